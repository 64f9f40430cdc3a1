export * from './envelope';
export * from './envelope.filter';
export * from './error-list';
