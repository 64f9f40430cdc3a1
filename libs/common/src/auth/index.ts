export * from './auth-messages';
export * from './credentials';
export * from './jwks.service';
export * from './jwt-auth.guard';
