export * from './auth.config';
export * from './clouds';
export * from './defender.config';
export * from './outbound.config';
export * from './server.config';
export * from './validate-config';
export * from './respond.config';
