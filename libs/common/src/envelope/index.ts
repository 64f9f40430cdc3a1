export * from './envelope';
export * from './envelope.filter';
