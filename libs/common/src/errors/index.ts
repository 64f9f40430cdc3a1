export * from './relay-error';
