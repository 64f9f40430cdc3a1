import { RouteDefinition } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';

/** The JWKS host of configuration tokens (as served by visibility.amp.cisco.com). */
export function jwksRoutes(services: SandboxServices): RouteDefinition[] {
  return [
    {
      key: 'jwks',
      method: 'GET',
      path: '/.well-known/jwks',
      prefixes: [''],
      family: 'plain',
      handler: () => ({ status: 200, body: services.jwks.document(), headers: { 'Cache-Control': 'public, max-age=300' } }),
    },
  ];
}
