import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** `CTR_ENTITIES_LIMIT` claim, already validated and capped; undefined → the env default. */
  entitiesLimit?: number;
}

export interface AuthenticatedRequest extends FastifyRequest {
  credentials?: Credentials;
}

export const IS_PUBLIC = 'relay:isPublic';

export const PUBLIC_ROUTE = 'relayPublic';

/** Opts a route out of the global JWT guard (only watchdog and version). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), RouteConfig({ [PUBLIC_ROUTE]: true }));

export const AuthCredentials = createParamDecorator((_: unknown, ctx: ExecutionContext): Credentials => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.credentials) throw new Error('AuthCredentials used on a route without the JWT guard');
  return request.credentials;
});
