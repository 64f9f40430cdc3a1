export * from './bounded-map';
export * from './key-value';
export * from './shared-state.service';
export * from './sliding-window';
export * from './ttl-cache';
