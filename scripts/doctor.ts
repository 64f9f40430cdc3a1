/**
 * `npm run doctor`: for whoever registers the Azure AD application. Obtains its Defender and
 * Microsoft Graph tokens as the relay does, checks that login, Defender and Graph answer and that
 * this machine's clock agrees with Azure AD's, and prints what the app's permissions allow per
 * capability, what to grant, and the admin-consent URL. Exit 1 when observe cannot work.
 *
 * The client secret comes from the prompt (or CLIENT_SECRET), never from an option.
 */
import { parseArgs } from 'node:util';
import { isClientId, isTenantId } from '../libs/common/src/auth/credential-format';
import { CLOUD_ENDPOINTS, DEFENDER_CLOUDS, DEFENDER_HUNTING_RETIREMENT, DefenderCloud } from '../libs/common/src/config/clouds';
import {
  assessCapabilities,
  CapabilityReport,
  GrantedRoles,
  missingPermissions,
  observeBlocked,
  PermissionSettings,
  rolesOf,
  usesGraph,
} from '../libs/defender/src/permissions/capabilities';
import { Cancelled, prompt } from './prompt';

const USAGE = `Usage: npm run doctor -- [options]

Checks an Azure AD application for Defender Relay: obtains its Defender and Microsoft Graph tokens,
checks that login, Defender and Graph answer and the clock skew, and prints per capability what
its permissions allow, which ones to grant and the admin-consent URL. Exit status 1 when observe
cannot work, 2 for a usage error.

Options (environment fallback in brackets):
  --tenant-id <id>      Azure AD tenant id (or a verified domain)          [TENANT_ID]
  --client-id <guid>    Azure AD application (client) id                   [CLIENT_ID]
  -h, --help            this text

The client secret is never an option: it is asked for without echo, or read from CLIENT_SECRET.
The relay's own variables choose the hosts and what is checked: DEFENDER_CLOUD, DEFENDER_LOGIN_URL,
DEFENDER_API_URL, GRAPH_API_URL, HUNTING_API.
`;

/** Azure AD accepts tokens within five minutes of clock skew. */
const MAX_SKEW_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;
const HUNTING_APIS = ['auto', 'graph', 'defender'] as const;

class UsageError extends Error {}

interface Target {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  loginUrl: string;
  apiUrl: string;
  graphUrl: string;
  apiResource: string;
  graphResource: string;
  settings: PermissionSettings;
}

async function gather(argv: string[], env: NodeJS.ProcessEnv): Promise<Target | undefined> {
  if (argv.some((a) => /^--(client-secret|secret)(=|$)/.test(a))) {
    throw new UsageError('the client secret is never an option (npm prints arguments, shells keep them): leave it out to be asked, or set CLIENT_SECRET');
  }
  let o;
  try {
    o = parseArgs({ args: argv, options: { 'tenant-id': { type: 'string' }, 'client-id': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch {
    throw new UsageError('unknown option, unexpected argument or missing value (see --help)');
  }
  if (o.help) return undefined;
  const cloud = (env.DEFENDER_CLOUD ?? 'commercial').trim().toLowerCase() as DefenderCloud;
  if (!DEFENDER_CLOUDS.includes(cloud)) throw new UsageError(`DEFENDER_CLOUD must be one of ${DEFENDER_CLOUDS.join(', ')}`);
  const huntingApi = (env.HUNTING_API ?? 'auto').trim().toLowerCase() as PermissionSettings['huntingApi'];
  if (!HUNTING_APIS.includes(huntingApi)) throw new UsageError(`HUNTING_API must be one of ${HUNTING_APIS.join(', ')}`);
  let tenantId = (o['tenant-id'] ?? env.TENANT_ID ?? '').trim();
  let clientId = (o['client-id'] ?? env.CLIENT_ID ?? '').trim();
  let clientSecret = (env.CLIENT_SECRET ?? '').trim();
  if (!tenantId || !clientId || !clientSecret) {
    if (!process.stdin.isTTY) throw new UsageError('missing the tenant id, client id or client secret (CLIENT_SECRET), and no terminal to ask on (see --help)');
    if (!tenantId) tenantId = await prompt('Azure AD tenant id: ', false);
    if (!clientId) clientId = await prompt('Azure AD application (client) id: ', false);
    if (!clientSecret) clientSecret = await prompt('Azure AD client secret (not shown): ', true);
  }
  if (!isTenantId(tenantId)) throw new UsageError('the tenant id must be a GUID or a domain such as contoso.onmicrosoft.com');
  if (!isClientId(clientId)) throw new UsageError('the client id must be a GUID (Azure AD: App registrations → Application (client) ID)');
  if (!clientSecret) throw new UsageError('the client secret is empty');
  const preset = CLOUD_ENDPOINTS[cloud];
  const url = (name: string, fallback: string) => (env[name] ?? '').trim().replace(/\/+$/, '') || fallback;
  return {
    tenantId,
    clientId,
    clientSecret,
    loginUrl: url('DEFENDER_LOGIN_URL', preset.loginUrl),
    apiUrl: url('DEFENDER_API_URL', preset.apiUrl),
    graphUrl: url('GRAPH_API_URL', preset.graphUrl),
    apiResource: preset.apiResource,
    graphResource: preset.graphResource,
    settings: { huntingApi, huntingRetirement: DEFENDER_HUNTING_RETIREMENT },
  };
}

interface Reachability {
  ok: boolean;
  detail: string;
  serverDate?: number;
}

/** Any HTTP answer means the host is reachable; its Date header gives the clock skew. */
async function reach(url: string): Promise<Reachability> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.body?.cancel();
    const date = Date.parse(res.headers.get('date') ?? '');
    return { ok: true, detail: `HTTP ${res.status}`, serverDate: Number.isNaN(date) ? undefined : date };
  } catch (error) {
    return { ok: false, detail: `no answer (${failure(error)})` };
  }
}

/** fetch's own error says only "fetch failed": the system error code is in its cause. */
function failure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).name;
}

interface TokenResult {
  token?: string;
  error?: string;
}

async function token(t: Target, resource: string): Promise<TokenResult> {
  const tenant = encodeURIComponent(t.tenantId);
  const form = { grant_type: 'client_credentials', client_id: t.clientId, client_secret: t.clientSecret };
  const post = async (path: string, extra: Record<string, string>) => {
    const res = await fetch(`${t.loginUrl}/${tenant}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ ...form, ...extra }).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as { access_token?: string; error_description?: string } };
  };
  try {
    let answer = await post('/oauth2/token', { resource });
    if (answer.status === 404) answer = await post('/oauth2/v2.0/token', { scope: `${resource}/.default` });
    if (answer.status === 200 && answer.body.access_token) return { token: answer.body.access_token };
    const said = typeof answer.body.error_description === 'string' ? answer.body.error_description.split(/\r?\n/)[0].slice(0, 400) : `HTTP ${answer.status}`;
    return { error: said };
  } catch (error) {
    return { error: `login host did not answer (${failure(error)})` };
  }
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');

function capabilityLine(r: CapabilityReport): string {
  const symbol = r.state === 'works' ? '✓' : r.state === 'missing' ? '✗' : '?';
  const what = `${r.group}${r.group === r.label ? '' : `: ${r.label}`}`;
  const tail = r.state === 'missing' ? `   grant ${(r.grant ?? []).join(' + ')}` : r.state === 'unknown' ? '   unknown (token not readable)' : '';
  return `  ${symbol} ${what.padEnd(48)}${tail}`.trimEnd();
}

async function check(t: Target, out: (line: string) => void): Promise<number> {
  const now = Date.now();
  const graphUsed = usesGraph(t.settings, now);
  out(`Defender Relay doctor: tenant ${t.tenantId}, app ${t.clientId}`);
  out('');
  out('Hosts');
  const hosts: [string, string][] = [
    ['login', t.loginUrl],
    ['Defender API', t.apiUrl],
    ...(graphUsed ? [['Microsoft Graph', t.graphUrl] as [string, string]] : []),
  ];
  const reached = await Promise.all(hosts.map(([, url]) => reach(url)));
  hosts.forEach(([name, url], i) => out(`  ${mark(reached[i].ok)} ${name.padEnd(16)} ${url}  ${reached[i].detail}`));
  const serverDate = reached[0].serverDate;
  if (serverDate !== undefined) {
    const skew = Date.now() - serverDate;
    const ok = Math.abs(skew) <= MAX_SKEW_MS;
    out(`  ${mark(ok)} clock skew       ${Math.round(skew / 1000)} s against the login host${ok ? '' : ' (more than 5 minutes: tokens will be refused; fix this machine\'s time)'}`);
  }
  out('');
  out('Tokens');
  const [defender, graph] = await Promise.all([token(t, t.apiResource), graphUsed ? token(t, t.graphResource) : Promise.resolve<TokenResult>({})]);
  const roles: GrantedRoles = {};
  const describe = (name: string, result: TokenResult, key: 'defender' | 'graph') => {
    if (!result.token) return out(`  ✗ ${name.padEnd(16)} ${result.error}`);
    const granted = rolesOf(result.token);
    roles[key] = granted;
    out(`  ✓ ${name.padEnd(16)} ${granted === undefined ? 'issued; its roles cannot be read (not a plain JWT)' : `roles: ${granted.length > 0 ? granted.join(', ') : 'none'}`}`);
  };
  describe('Defender', defender, 'defender');
  if (graphUsed) describe('Microsoft Graph', graph, 'graph');
  else out('  - Microsoft Graph  not used (HUNTING_API=defender)');
  if (!defender.token) {
    out('');
    out('No Defender token: fix the tenant id, client id or secret as Azure AD said above.');
    return 1;
  }

  const reports = assessCapabilities(roles, t.settings, now);
  out('');
  out('Capabilities (from the tokens\' roles; Defender\'s and Graph\'s answers stay the authority)');
  for (const r of reports) out(capabilityLine(r));
  const missing = missingPermissions(reports);
  out('');
  if (missing.size > 0) {
    out('Grant these application permissions, then admin consent (Azure AD → App registrations → API permissions → Add a permission;');
    out("WindowsDefenderATP is under 'APIs my organization uses', Microsoft Graph under 'Microsoft APIs'; type: Application permissions):");
    for (const [permission, enables] of missing) out(`  ${permission.padEnd(48)} enables ${enables.join(', ')}`);
  } else {
    out('Nothing to grant.');
  }
  out('');
  out(`Admin consent (a tenant admin opens it; redirects to the app's registered reply URL):`);
  out(`  ${t.loginUrl}/${encodeURIComponent(t.tenantId)}/adminconsent?client_id=${encodeURIComponent(t.clientId)}`);
  const blocked = observeBlocked(reports);
  out('');
  out(blocked ? '✗ Observe cannot work with these permissions.' : `✓ Observe can work${missing.size > 0 ? '; the capabilities marked ✗ are disabled' : ''}.`);
  return blocked ? 1 : 0;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const target = await gather(argv, env);
    if (!target) {
      process.stdout.write(USAGE);
      return 0;
    }
    return await check(target, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    if (error instanceof UsageError || error instanceof Cancelled) {
      process.stderr.write(`doctor: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`doctor: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
