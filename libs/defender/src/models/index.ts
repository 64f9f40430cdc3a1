export * from './alert.model';
export * from './file-profile.model';
export * from './machine.model';
export * from './machine-action.model';
export * from './indicator.model';
export * from './hunting.model';
export * from './alert-update.model';
export * from './prevalence.model';
