/**
 * `npm run jwt`: the original relay's `jwt` command for Defender Relay. Asks for (or takes) the
 * Azure AD application's credentials, generates a SECRET_KEY unless one is given, signs the HS256
 * module JWT `{client_id, client_secret, tenant_id[, CTR_ENTITIES_LIMIT]}` with it, and prints the
 * SECRET_KEY, the JWT and the steps to create the module in Cisco XDR / SecureX.
 *
 * The Azure client secret is never printed (the JWT carries it, base64url-encoded, not encrypted),
 * and the SECRET_KEY is printed once, and only when this command generated it. Neither is ever a
 * command-line argument: npm prints a script's arguments, shells keep them in their history and
 * `ps` shows them to every user, so the secrets come from the prompt or the environment only.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sign } from 'jsonwebtoken';
import { isClientId, isTenantId } from '../libs/common/src/auth/credential-format';
import { Cancelled, prompt } from './prompt';

/** The relay warns about a shorter SECRET_KEY, so this command does not sign with one. */
const STRONG_SECRET_LENGTH = 32;

const USAGE = `Usage: npm run jwt -- [options]

Builds the module JWT that Cisco XDR / SecureX sends to Defender Relay (HS256, signed with SECRET_KEY).
Missing credentials are asked for on a terminal (the client secret without echo); without a
terminal they must come from the options or the environment.

Options (environment fallback in brackets):
  --client-id <guid>        Azure AD application (client) id               [CLIENT_ID]
  --tenant-id <id>          Azure AD tenant id (or a verified domain)      [TENANT_ID]
  --entities-limit <n>      CTR_ENTITIES_LIMIT claim for this module, 1..1000
  --relay-url <url>         the relay's public URL, for the instructions   [RELAY_PUBLIC_URL]
  --namespace <name>        Kubernetes namespace in the printed command (default defender-relay)
  -h, --help                this text

Secrets are never options (npm prints a script's arguments; shells and ps keep them):
  the Azure AD client secret  is asked for without echo, or read from CLIENT_SECRET
  an existing SECRET_KEY      is read from SECRET_KEY (at least ${STRONG_SECRET_LENGTH} characters; not
                              printed); without it a new one is generated and printed once
`;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_ENTITIES_LIMIT = 1000;
/** Options people reach for that would put a secret on the command line, and what to do instead. */
const SECRET_OPTIONS: Readonly<Record<string, string>> = {
  'client-secret': 'leave it out to be asked without echo, or set CLIENT_SECRET',
  'secret-key': 'set SECRET_KEY in the environment to reuse a key',
};
const SECRET_NAME = 'defender-relay-secrets';

class UsageError extends Error {}

interface Inputs {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  secretKey?: string;
  entitiesLimit?: number;
  relayUrl?: string;
  namespace: string;
}

function readOptions(argv: string[]) {
  for (const arg of argv) {
    const name = /^--([a-z-]+)(=|$)/.exec(arg)?.[1] ?? '';
    const instead = Object.hasOwn(SECRET_OPTIONS, name) ? SECRET_OPTIONS[name] : undefined;
    if (instead) throw new UsageError(`--${name} is refused: a secret on the command line is printed by npm, kept in shell history and shown by ps; ${instead} (see --help)`);
  }
  try {
    return parseArgs({
      args: argv,
      options: {
        'client-id': { type: 'string' },
        'tenant-id': { type: 'string' },
        'entities-limit': { type: 'string' },
        'relay-url': { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch {
    // Node's message quotes the offending argument, which may be a secret: say it without it.
    throw new UsageError('unknown option, unexpected argument or missing value (see --help; write a value that starts with "-" as --option=value)');
  }
}

async function gatherInputs(argv: string[], env: NodeJS.ProcessEnv): Promise<Inputs | undefined> {
  const o = readOptions(argv);
  if (o.help) return undefined;
  const given = (option: string | undefined, variable: string) => (option ?? env[variable] ?? '').trim();
  let clientId = given(o['client-id'], 'CLIENT_ID');
  let clientSecret = (env.CLIENT_SECRET ?? '').trim();
  let tenantId = given(o['tenant-id'], 'TENANT_ID');

  const missing = [!clientId && '--client-id', !tenantId && '--tenant-id', !clientSecret && 'the client secret (CLIENT_SECRET)'].filter(Boolean);
  if (missing.length > 0) {
    if (!process.stdin.isTTY) throw new UsageError(`missing ${missing.join(', ')} (no terminal to ask on; see --help)`);
    if (!clientId) clientId = await prompt('Azure AD application (client) id: ', false);
    if (!tenantId) tenantId = await prompt('Azure AD tenant id: ', false);
    if (!clientSecret) clientSecret = await prompt('Azure AD client secret (not shown): ', true);
  }
  // The relay's own checks, so this never signs a JWT that the relay would refuse.
  if (!isClientId(clientId)) throw new UsageError('the client id must be a GUID (Azure AD: App registrations → Application (client) ID)');
  if (!isTenantId(tenantId)) throw new UsageError('the tenant id must be a GUID or a domain such as contoso.onmicrosoft.com');
  if (!clientSecret) throw new UsageError('the client secret is empty');

  const secretKey = (env.SECRET_KEY ?? '').trim() || undefined;
  if (secretKey !== undefined && secretKey.length < STRONG_SECRET_LENGTH) {
    throw new UsageError(`SECRET_KEY has ${secretKey.length} characters; use at least ${STRONG_SECRET_LENGTH} (the relay warns about shorter keys), or unset it to generate one`);
  }

  let entitiesLimit: number | undefined;
  if (o['entities-limit'] !== undefined) {
    entitiesLimit = /^\d+$/.test(o['entities-limit']) ? Number(o['entities-limit']) : Number.NaN;
    if (!Number.isSafeInteger(entitiesLimit) || entitiesLimit < 1 || entitiesLimit > MAX_ENTITIES_LIMIT) {
      throw new UsageError(`--entities-limit must be an integer from 1 to ${MAX_ENTITIES_LIMIT}`);
    }
  }

  const relayUrl = given(o['relay-url'], 'RELAY_PUBLIC_URL').replace(/\/+$/, '') || undefined;
  if (relayUrl !== undefined && !/^https?:\/\/[^\s/]+$/i.test(relayUrl)) throw new UsageError('--relay-url must be an origin such as https://relay.example.com');
  const namespace = o.namespace ?? 'defender-relay';
  if (!NAMESPACE.test(namespace)) throw new UsageError('--namespace must be a Kubernetes namespace name');
  return { clientId, clientSecret, tenantId, secretKey, entitiesLimit, relayUrl, namespace };
}

function render(inputs: Inputs, secretKey: string, generated: boolean, jwt: string): string {
  const url = inputs.relayUrl ?? 'https://<the relay public URL>';
  const limit = inputs.entitiesLimit === undefined ? '' : `, CTR_ENTITIES_LIMIT=${inputs.entitiesLimit}`;
  const keySection = generated
    ? [
        '1. SECRET_KEY: set it on the relay, which verifies module JWTs with it. Keep it secret;',
        '   it is shown only here. (A leading space keeps the line out of most shells\' history.)',
        '',
        `    export SECRET_KEY=${secretKey}`,
        '',
        '   Kubernetes (the Secret that deploy/ expects; add REDIS_URL if you run Redis):',
        `     kubectl -n ${inputs.namespace} create secret generic ${SECRET_NAME} --from-literal=SECRET_KEY="$SECRET_KEY"`,
        '   Docker:',
        '     docker run -d -p 9090:9090 -e SECRET_KEY defender-relay:<tag>',
      ]
    : ['1. SECRET_KEY: the one you gave (not printed). The relay must run with the same value.'];
  return [
    'Defender Relay module credentials',
    '',
    ...keySection,
    '',
    `2. The module JWT (HS256, signed with SECRET_KEY; claims client_id, tenant_id, client_secret${limit}).`,
    '   It contains the Azure client secret, base64url-encoded and NOT encrypted: treat it as a secret.',
    '',
    jwt,
    '',
    '3. Create the module in Cisco XDR (SecureX Threat Response is alike; menu names vary by release):',
    '   a. Administration → Integrations → Add custom integration (a relay module).',
    `   b. URL: ${url}   (the relay's public base URL, HTTPS)`,
    '   c. Authorization Bearer / JWT: paste the JWT above.',
    '   d. Save, then check the module\'s health: the relay answers /health after fetching an Azure',
    '      AD token and reading one alert.',
    '',
  ].join('\n');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const inputs = await gatherInputs(argv, env);
    if (!inputs) {
      process.stdout.write(USAGE);
      return 0;
    }
    const generated = inputs.secretKey === undefined;
    const secretKey = inputs.secretKey ?? randomBytes(32).toString('hex');
    const claims: Record<string, string | number> = { client_id: inputs.clientId, client_secret: inputs.clientSecret, tenant_id: inputs.tenantId };
    if (inputs.entitiesLimit !== undefined) claims.CTR_ENTITIES_LIMIT = inputs.entitiesLimit;
    const jwt = sign(claims, secretKey, { algorithm: 'HS256', noTimestamp: true });
    process.stdout.write(render(inputs, secretKey, generated, jwt));
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof Cancelled) {
      process.stderr.write(`jwt: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`jwt: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
