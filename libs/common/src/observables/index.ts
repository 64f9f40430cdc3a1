export * from './observable-types';
export * from './observable.dto';
export * from './observables.pipe';
export * from './openapi-examples';
