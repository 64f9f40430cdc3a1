import { Audience, resolveResource } from '../auth/resources';
import { AadError } from '../http/api-error';
import { CallContext, RouteDefinition, RouteResult } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { TenantData } from '../state/sandbox.state';
import { asRecord } from '../util/guards.util';
import { epochSeconds } from '../util/time.util';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const NOT_INSTALLED =
  'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.';

const missing = (name: string): AadError =>
  new AadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);

function resolveTenant(services: SandboxServices, tenantParam: string): TenantData {
  if (!GUID.test(tenantParam) && !DNS_NAME.test(tenantParam)) {
    throw new AadError(
      400,
      'invalid_request',
      900023,
      `Specified tenant identifier '${tenantParam.slice(0, 100)}' is neither a valid DNS name, nor a valid external domain.`,
    );
  }
  const tenant = services.state.findTenant(tenantParam);
  if (!tenant) {
    throw new AadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenantParam}' not found. This may happen if there are no active subscriptions for the tenant. Check to make sure you have the correct tenant ID. Check with your subscription administrator.`,
    );
  }
  return tenant;
}

function resourceNotFound(resource: string, tenant: TenantData): AadError {
  return new AadError(
    400,
    'invalid_resource',
    500011,
    `The resource principal named ${resource.slice(0, 200)} was not found in the tenant named ${tenant.displayName}. ${NOT_INSTALLED}`,
  );
}

/** Client-credentials token endpoint, v1 (`resource`) or v2 (`scope`), with Azure AD's exact errors. */
function issueToken(services: SandboxServices, call: CallContext, version: 'v1' | 'v2'): RouteResult {
  const tenantParam = call.params.tenant;
  const tenant = resolveTenant(services, tenantParam);
  const form = asRecord(call.body) ?? {};
  const field = (name: string): string | undefined => {
    const value = form[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  services.stats.attribute(call.entry, tenant.tenantId, field('client_id') ?? null);

  const grantType = field('grant_type');
  if (!grantType) throw missing('grant_type');
  if (grantType !== 'client_credentials') {
    throw new AadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType.slice(0, 60)}'.`);
  }
  const clientId = field('client_id');
  if (!clientId) throw missing('client_id');
  const requested = version === 'v1' ? field('resource') : field('scope');
  if (!requested) throw missing(version === 'v1' ? 'resource' : 'scope');

  const app = services.state.findApp(tenant, clientId);
  if (!app) {
    throw new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId.slice(0, 100)}' was not found in the directory '${tenantParam}'. ${NOT_INSTALLED.replace('You might', 'You may')}`,
    );
  }
  const secret = field('client_secret');
  if (!secret) {
    throw new AadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (secret !== app.clientSecret) {
    throw new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }

  let resource = requested;
  if (version === 'v2') {
    if (!requested.endsWith('/.default')) {
      throw new AadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${requested.slice(0, 200)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    resource = requested.slice(0, -'/.default'.length);
  }
  const audience: Audience | undefined = resolveResource(resource);
  if (!audience) throw resourceNotFound(resource, tenant);

  const lifetime = services.config.tokenLifetimeSeconds;
  const token = services.tokens.issue(
    { tenantId: tenant.tenantId, clientId: app.clientId, appName: app.displayName, roles: [...app.roles[audience]], audience, resource, opaque: app.opaqueTokens },
    lifetime,
  );
  const headers = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };
  if (version === 'v2') {
    return { status: 200, headers, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token.accessToken } };
  }
  return {
    status: 200,
    headers,
    body: {
      token_type: 'Bearer',
      expires_in: String(lifetime),
      ext_expires_in: String(lifetime),
      expires_on: String(epochSeconds(token.expiresAt)),
      not_before: String(epochSeconds(token.issuedAt)),
      resource,
      access_token: token.accessToken,
    },
  };
}

function rejectGet(services: SandboxServices, call: CallContext): RouteResult {
  const tenant = services.state.findTenant(call.params.tenant);
  if (tenant) services.stats.attribute(call.entry, tenant.tenantId, null);
  throw new AadError(400, 'invalid_request', 900561, 'The endpoint only accepts POST, OPTIONS requests. Received a GET request.');
}

export function tokenRoutes(services: SandboxServices): RouteDefinition[] {
  const base = { key: 'token' as const, prefixes: [''], family: 'aad' as const };
  return [
    { ...base, method: 'POST', path: '/:tenant/oauth2/token', handler: (call) => issueToken(services, call, 'v1') },
    { ...base, method: 'POST', path: '/:tenant/oauth2/v2.0/token', handler: (call) => issueToken(services, call, 'v2') },
    { ...base, method: 'GET', path: '/:tenant/oauth2/token', handler: (call) => rejectGet(services, call) },
    { ...base, method: 'GET', path: '/:tenant/oauth2/v2.0/token', handler: (call) => rejectGet(services, call) },
  ];
}
