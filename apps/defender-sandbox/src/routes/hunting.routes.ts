import { ACCESS } from '../auth/permissions';
import { StatsEntry } from '../controls/stats.control';
import { alertTables } from '../hunting/alert-tables';
import { ALERT_TABLE_SCHEMAS, DOTNET_TYPE, isAlertTableName, isHuntingTableName, TABLE_SCHEMAS } from '../hunting/hunting-tables.schema';
import { parseTimespan, TimespanError, TimeWindow } from '../hunting/timespan';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { KqlQuery } from '../kql/kql.ast';
import { KqlSemanticError, KqlSyntaxError } from '../kql/kql.error';
import { evaluateKql, KqlTable, TableResolver } from '../kql/kql.evaluator';
import { parseKql } from '../kql/kql.parser';
import { TenantData } from '../state/sandbox.state';
import { asRecord } from '../util/guards.util';
import { API_PREFIXES, callerTenant, ok } from './route.helpers';

/** Defender returns at most this many rows per query. */
const MAX_ROWS = 100_000;

/**
 * Parses and runs a hunting query on the caller's tables, limited to `window` when given; the AST
 * goes into the call's stats entry.
 */
function runQuery(services: SandboxServices, call: CallContext, query: string, entry: StatsEntry, window?: TimeWindow): KqlTable {
  const ast = parseOrReject(query);
  entry.kql = ast;
  const tenant = callerTenant(services, call);
  try {
    const result = evaluateKql(ast, tablesOf(tenant, window));
    return { columns: result.columns, rows: result.rows.slice(0, MAX_ROWS) };
  } catch (err) {
    if (err instanceof KqlSemanticError) throw new ApiError(400, 'BadRequest', err.message);
    throw err;
  }
}

/** The event tables as seeded and the alert tables as the tenant's alerts are now. */
function tablesOf(tenant: TenantData, window?: TimeWindow): TableResolver {
  const within = (table: KqlTable): KqlTable =>
    window ? { columns: table.columns, rows: table.rows.filter((row) => inWindow(row.Timestamp, window)) } : table;
  return (name) => {
    if (isHuntingTableName(name)) return within({ columns: TABLE_SCHEMAS[name], rows: tenant.hunting[name] });
    if (isAlertTableName(name)) return within({ columns: ALERT_TABLE_SCHEMAS[name], rows: alertTables(tenant.alerts, tenant.files)[name] });
    return undefined;
  };
}

function inWindow(timestamp: unknown, window: TimeWindow): boolean {
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return at >= window.start && at <= window.end;
}

/**
 * Graph's optional `Timespan`. Without it Graph looks back 30 days; the sandbox then serves all
 * its data, because the seed sits at a fixed instant and must not age out of the tests.
 */
function timeWindow(services: SandboxServices, value: unknown): TimeWindow | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError(400, 'BadRequest', 'Timespan must be a string.');
  try {
    return parseTimespan(value, services.clock());
  } catch (err) {
    if (err instanceof TimespanError) throw new ApiError(400, 'BadRequest', `Invalid Timespan: ${err.message}.`);
    throw err;
  }
}

function parseOrReject(query: string): KqlQuery {
  try {
    return parseKql(query);
  } catch (err) {
    if (err instanceof KqlSyntaxError) throw new ApiError(400, 'BadRequest', `Query could not be parsed: ${err.message}`);
    throw err;
  }
}

function queryStats(table: KqlTable): unknown {
  const size = JSON.stringify(table.rows).length;
  return {
    ExecutionTime: 0.0312486,
    resource_usage: {
      cache: { memory: { hits: 110, misses: 0, total: 110 }, disk: { hits: 0, misses: 0, total: 0 } },
      cpu: { user: '00:00:00', kernel: '00:00:00.0312500', 'total cpu': '00:00:00.0312500' },
      memory: { peak_per_node: 167773216 },
    },
    dataset_statistics: [{ table_row_count: table.rows.length, table_size: size }],
  };
}

/** Defender `advancedqueries/run` and Graph `security/runHuntingQuery`: one engine, two envelopes. */
export function huntingRoutes(services: SandboxServices): RouteDefinition[] {
  return [
    {
      key: 'hunting',
      method: 'POST',
      path: '/advancedqueries/run',
      prefixes: API_PREFIXES,
      family: 'defender',
      access: ACCESS.hunting,
      rateBuckets: ['hunting'],
      handler: (call) => {
        // The body key is case-sensitive: only "Query" counts.
        const query = asRecord(call.body)?.Query;
        if (typeof query !== 'string' || query.trim() === '') throw new ApiError(400, 'InvalidRequestBody', 'Missing query.');
        const table = runQuery(services, call, query, call.entry);
        return ok({
          Stats: queryStats(table),
          Schema: table.columns.map((c) => ({ Name: c.name, Type: DOTNET_TYPE[c.type] })),
          Results: table.rows,
        });
      },
    },
    {
      key: 'graph.hunting',
      method: 'POST',
      path: '/security/runHuntingQuery',
      prefixes: ['/v1.0', '/beta'],
      family: 'graph',
      access: ACCESS.graphHunting,
      rateBuckets: ['graphHunting'],
      handler: (call) => {
        const body = asRecord(call.body);
        // Graph property names are case-insensitive.
        const query = body?.Query ?? body?.query;
        if (typeof query !== 'string' || query.trim() === '') throw new ApiError(400, 'BadRequest', 'Missing query.');
        const window = timeWindow(services, body?.Timespan ?? body?.timespan);
        const table = runQuery(services, call, query, call.entry, window);
        return ok({
          '@odata.context': `${call.origin}${call.prefix}/$metadata#microsoft.graph.security.huntingQueryResults`,
          schema: table.columns.map((c) => ({ name: c.name, type: DOTNET_TYPE[c.type] })),
          results: table.rows,
        });
      },
    },
  ];
}

/** `GET /api/exposureScore`: the original relay's health probe; needs Score.Read.All. */
export function exposureScoreRoutes(services: SandboxServices): RouteDefinition[] {
  return [
    {
      key: 'exposureScore',
      method: 'GET',
      path: '/exposureScore',
      prefixes: API_PREFIXES,
      family: 'defender',
      access: ACCESS.score,
      rateBuckets: ['general'],
      handler: (call) =>
        ok({
          '@odata.context': `${call.origin}${call.prefix}/$metadata#ExposureScore/$entity`,
          time: new Date(services.clock()).toISOString(),
          score: 33.491554051195706,
        }),
    },
  ];
}
