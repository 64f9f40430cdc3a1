export * from './auth-messages';
export * from './credential-format';
export * from './credentials';
export * from './jwks.service';
export * from './jwt-auth.guard';
export * from './bearer';
