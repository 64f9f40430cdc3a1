export * from './relay-error';
export * from './internal-error';
