export * from './auth.config';
export * from './clouds';
export * from './defender.config';
export * from './outbound.config';
export * from './relay-config';
export * from './server.config';
export * from './state.config';
export * from './validate-config';
