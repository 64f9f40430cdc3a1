export * from './auth';
export * from './common.module';
export * from './config';
export * from './envelope';
export * from './errors';
export * from './metrics';
export * from './observables';
export * from './version';
