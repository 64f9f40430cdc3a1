import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { WellFormedBearer } from './bearer';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** `CTR_ENTITIES_LIMIT` claim, already validated and capped; undefined → the env default. */
  entitiesLimit?: number;
}

export interface AuthenticatedRequest extends FastifyRequest {
  credentials?: Credentials;
  /** The bearer as the transport's early check parsed it, so the guard does not parse it again. */
  bearer?: WellFormedBearer;
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
