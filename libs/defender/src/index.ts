export * from './defender.module';
export * from './http/deadline';
export * from './http/defender-context';
export * from './http/defender-context.factory';
export * from './http/encode';
export * from './http/token.service';
export * from './kql/kql';
export * from './repositories/alerts.repository';
