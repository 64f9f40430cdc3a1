export * from './validate-body';
