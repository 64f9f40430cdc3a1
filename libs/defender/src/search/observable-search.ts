import { accountName, ErrorList, Observable, RelayError } from '@app/common';
import { Injectable } from '@nestjs/common';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { EventFilter } from '../kql/hunting-queries';
import { Alert, FileProfile, HuntingEvent, Machine, PrevalenceStats } from '../models';
import { permissionName, CAPABILITIES } from '../permissions/capabilities';
import { PermissionsService } from '../permissions/permissions.service';
import { AlertsRepository } from '../repositories/alerts.repository';
import { MAX_HOSTNAME_DEVICES, tooManyDevices } from '../repositories/device-resolution';
import { DevicesRepository } from '../repositories/devices.repository';
import { FilesRepository } from '../repositories/files.repository';
import { HuntingRepository } from '../repositories/hunting.repository';
import { MachinesRepository } from '../repositories/machines.repository';
import { PrevalenceRepository } from '../repositories/prevalence.repository';
import { AlertRoute, planAlertLookups, plannedApis, planPrevalence } from './search-plan';
import { ColumnSearch, RestAlerts, searchRow, SearchRow, TableSearch } from './search-table';

export interface Found {
  observable: Observable;
  alerts: Alert[];
  events: HuntingEvent[];
  profile?: FileProfile;
  devices: Machine[];
  prevalence?: PrevalenceStats;
}

export interface SearchOptions {
  limit: number;
  errors: ErrorList;
  /** false: alerts only (no event tables in the hunting query, no statistics). */
  events?: boolean;
}

const EVIDENCE_ROWS = 1_000;
const DEVICE_ROWS = 1_000;

/** Evidence columns that find alerts the table's REST lookup cannot (whole URL, IPv6). */
const EVIDENCE_ONLY: Partial<Record<Observable['type'], readonly ColumnSearch[]>> = {
  ipv6: [{ column: 'RemoteIP', match: 'ip' }],
  url: [{ column: 'RemoteUrl', match: 'url' }],
};

type Keyed = { observable: Observable; row: SearchRow; i: number };

/** Finds observables by the search table (docs/observe-planning.md); a failing call costs only what depended on it. */
@Injectable()
export class ObservableSearch {
  constructor(
    private readonly client: DefenderHttpClient,
    private readonly alerts: AlertsRepository,
    private readonly files: FilesRepository,
    private readonly devices: DevicesRepository,
    private readonly machines: MachinesRepository,
    private readonly hunting: HuntingRepository,
    private readonly prevalence: PrevalenceRepository,
    private readonly permissions: PermissionsService,
  ) {}

  find(ctx: DefenderContext, observables: readonly Observable[], options: SearchOptions): Promise<Found>[] {
    const keyed = observables.map((observable, i) => ({ observable, row: searchRow(observable.type), i }));
    const withStats = options.events !== false && keyed.some((k) => k.row.prevalence);
    const free = this.client.freeSlots(ctx, plannedApis(observables, withStats));
    const plan = free.then((slots) => planAlertLookups(observables, slots));
    // Hunting first: calls queue for the per-tenant concurrency in the order they are made, and
    // this one call serves every observable.
    const hunt = plan.then((routes) => this.hunt(ctx, keyed, routes, options));
    const hunted = hunt.then((rows) => rows ?? new Map<string, HuntingEvent[]>());
    const evidenceAlerts = hunted.then((rows) => this.alertsByEvidence(ctx, keyed, rows, options.errors));
    const stats = withStats
      ? Promise.all([free, plan, this.deniedStats(ctx)]).then(([slots, routes, denied]) =>
          planPrevalence(observables, routes, slots).map((planned, i) => planned && !denied.has(keyed[i].row.prevalence?.capability ?? '')),
        )
      : Promise.resolve(keyed.map(() => false));
    return keyed.map((k) => {
      const found = plan.then(async (routes) => {
        const route = routes[k.i];
        // Chosen for size, not for want of REST budget: if the hunting query failed, REST still answers.
        const fallback = route.kind === 'evidence' ? route.rest : undefined;
        const useRest = fallback !== undefined && (await hunt) === undefined;
        return this.findOne(ctx, k, useRest ? { kind: 'rest', calls: fallback } : route, hunted, evidenceAlerts, options.errors);
      });
      const prevalence = stats.then((planned) => (planned[k.i] ? options.errors.capture(() => this.statsOf(ctx, k), undefined) : undefined));
      return Promise.all([found, prevalence]).then(([f, p]) => (p ? { ...f, prevalence: p } : f));
    });
  }

  async alertsOf(ctx: DefenderContext, observables: readonly Observable[], errors: ErrorList): Promise<Alert[][]> {
    const found = await Promise.all(this.find(ctx, observables, { limit: 0, errors, events: false }));
    return found.map((f) => f.alerts);
  }

  /** The alerts whose evidence names an IPv6 address or a URL, which no related-alerts API answers; none for other types. */
  async alertsByEvidenceOf(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<Alert[]> {
    const columns = EVIDENCE_ONLY[observable.type];
    if (!columns) return [];
    const filter: EventFilter = { key: evidenceKey(0), table: 'AlertEvidence', terms: terms(columns, observable.value), limit: EVIDENCE_ROWS };
    const ids = alertIdsIn((await this.hunting.events(ctx, [filter])).get(filter.key) ?? []);
    return [...(await this.alerts.byIds(ctx, ids, errors)).values()];
  }

  /** The devices a host name or MAC stands for, with their profiles; none for other types. */
  async devicesOf(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<Machine[]> {
    const row = searchRow(observable.type);
    if (row.devices === 'hostname') return (await this.byHostname(ctx, observable.value, errors)).devices;
    if (typeof row.devices !== 'object') return [];
    const rows = await this.hunting.events(ctx, [tableFilter(devicesKey(0), row.devices, observable.value, DEVICE_ROWS)]);
    return this.profiles(ctx, deviceIdsIn(rows.get(devicesKey(0)) ?? []), errors);
  }

  private async findOne(
    ctx: DefenderContext,
    { observable, row, i }: Keyed,
    route: AlertRoute,
    hunted: Promise<Map<string, HuntingEvent[]>>,
    evidenceAlerts: Promise<Map<string, Alert[]>>,
    errors: ErrorList,
  ): Promise<Found> {
    const lookup: Promise<Pick<Found, 'alerts' | 'profile' | 'devices'>> =
      route.kind === 'evidence'
        ? evidenceAlerts.then((byKey) => ({ alerts: byKey.get(evidenceKey(i)) ?? [], devices: [] }))
        : errors.capture(() => this.alertsFor(ctx, observable, row, route, hunted, i, errors), { alerts: [], devices: [] });
    const [found, rows] = await Promise.all([lookup, hunted]);
    return { observable, ...found, events: rows.get(eventsKey(i)) ?? [] };
  }

  private async alertsFor(
    ctx: DefenderContext,
    observable: Observable,
    row: SearchRow,
    route: AlertRoute,
    hunted: Promise<Map<string, HuntingEvent[]>>,
    i: number,
    errors: ErrorList,
  ): Promise<Pick<Found, 'alerts' | 'profile' | 'devices'>> {
    if (row.devices === 'machineId') return { alerts: await this.machineAlerts(ctx, observable.value), devices: [] };
    if (row.devices === 'hostname') {
      const { devices } = await this.byHostname(ctx, observable.value, errors);
      return { alerts: (await Promise.all(devices.map((d) => this.machineAlerts(ctx, String(d.id))))).flat(), devices };
    }
    if (row.devices !== undefined) {
      const ids = deviceIdsIn((await hunted).get(devicesKey(i)) ?? []);
      const [devices, alerts] = await Promise.all([this.profiles(ctx, ids, errors), Promise.all(ids.map((id) => this.machineAlerts(ctx, id)))]);
      return { alerts: alerts.flat(), devices };
    }
    if (route.kind === 'rest' && row.rest) return { ...(await this.restAlerts(ctx, observable.value, row.rest.lookup)), devices: [] };
    return { alerts: [], devices: [] };
  }

  private async restAlerts(ctx: DefenderContext, value: string, lookup: RestAlerts): Promise<Pick<Found, 'alerts' | 'profile'>> {
    switch (lookup) {
      case 'file':
        return { alerts: await this.fileAlerts(ctx, value) };
      case 'fileByHash': {
        // Related alerts are looked up by SHA-1 only: resolve the file first.
        const profile = await this.files.profile(ctx, value);
        const sha1 = typeof profile?.sha1 === 'string' ? profile.sha1.trim().toLowerCase() : '';
        return { alerts: /^[0-9a-f]{40}$/.test(sha1) ? await this.fileAlerts(ctx, sha1) : [], profile };
      }
      case 'domain':
        return { alerts: await this.alerts.forDomain(ctx, value) };
      case 'ip':
        return { alerts: await this.alerts.forIp(ctx, value) };
      case 'user': {
        const account = accountName(value);
        return { alerts: await ctx.once(`search:userAlerts:${account.toLowerCase()}`, () => this.alerts.forUser(ctx, account)) };
      }
    }
  }

  /** Skipped without an error when readable roles lack them (/health names the permission); else Defender's 403 tells. */
  private async deniedStats(ctx: DefenderContext): Promise<Set<string>> {
    try {
      await this.client.authenticate(ctx);
      const roles = await this.permissions.roles(ctx.credentials, false);
      const ids = ['observe.file-prevalence', 'observe.ip-prevalence', 'observe.domain-prevalence'];
      return new Set(ids.filter((id) => this.permissions.assess(roles, id)?.state === 'missing'));
    } catch {
      return new Set();
    }
  }

  private async statsOf(ctx: DefenderContext, { observable, row }: Keyed): Promise<PrevalenceStats | undefined> {
    const search = row.prevalence;
    if (!search) return undefined;
    let value = observable.value;
    if (row.rest?.lookup === 'fileByHash') {
      const sha1 = (await this.files.profile(ctx, value))?.sha1?.trim().toLowerCase() ?? '';
      if (!/^[0-9a-f]{40}$/.test(sha1)) return undefined;
      value = sha1;
    }
    try {
      return await ctx.once(`search:stats:${search.of}:${value.toLowerCase()}`, () => this.prevalence.stats(ctx, search.of, value));
    } catch (error) {
      throw error instanceof RelayError && error.upstreamStatus === 403 ? statsRefusal(error, search.capability) : error;
    }
  }

  private async byHostname(ctx: DefenderContext, hostname: string, errors: ErrorList): Promise<{ devices: Machine[] }> {
    const { devices, truncated } = await this.devices.byHostname(ctx, hostname);
    if (truncated) errors.add(tooManyDevices(hostname));
    return { devices };
  }

  private async profiles(ctx: DefenderContext, ids: readonly string[], errors: ErrorList): Promise<Machine[]> {
    const found = await Promise.all(ids.map((id) => errors.capture(() => this.machines.machine(ctx, id), undefined)));
    return found.filter((m): m is Machine => m !== undefined);
  }

  private fileAlerts(ctx: DefenderContext, sha1: string): Promise<Alert[]> {
    return ctx.once(`search:fileAlerts:${sha1}`, () => this.alerts.forFile(ctx, sha1));
  }

  private machineAlerts(ctx: DefenderContext, id: string): Promise<Alert[]> {
    return ctx.once(`search:machineAlerts:${id.toLowerCase()}`, () => this.alerts.forMachine(ctx, id));
  }

  private hunt(ctx: DefenderContext, keyed: readonly Keyed[], routes: readonly AlertRoute[], options: SearchOptions): Promise<Map<string, HuntingEvent[]> | undefined> {
    const filters = keyed.flatMap(({ observable, row, i }) => [
      ...(options.events === false ? [] : row.events.map((t) => tableFilter(eventsKey(i), t, observable.value, options.limit))),
      ...(routes[i].kind === 'evidence' && row.evidence
        ? [{ key: evidenceKey(i), table: 'AlertEvidence' as const, terms: terms(row.evidence, observable.value), limit: EVIDENCE_ROWS }]
        : []),
      ...(typeof row.devices === 'object' ? [tableFilter(devicesKey(i), row.devices, observable.value, DEVICE_ROWS)] : []),
    ]);
    return options.errors.capture(() => this.hunting.events(ctx, filters), undefined);
  }

  private async alertsByEvidence(ctx: DefenderContext, keyed: readonly Keyed[], rows: Map<string, HuntingEvent[]>, errors: ErrorList): Promise<Map<string, Alert[]>> {
    const idsByKey = new Map(keyed.flatMap(({ i }) => (rows.has(evidenceKey(i)) ? [[evidenceKey(i), alertIdsIn(rows.get(evidenceKey(i)) ?? [])]] : [])));
    if (idsByKey.size === 0) return new Map();
    const byId = await this.alerts.byIds(ctx, [...idsByKey.values()].flat(), errors);
    return new Map([...idsByKey].map(([key, ids]) => [key, ids.flatMap((id) => byId.get(id) ?? [])]));
  }
}

/** Defender's 403 need not name the permission, so the relay does. */
function statsRefusal(error: RelayError, capability: string): RelayError {
  const row = CAPABILITIES.find((c) => c.id === capability);
  const permission = row?.needs[0]?.[0];
  const what = row ? `${row.label[0].toUpperCase()}${row.label.slice(1)}` : 'Prevalence';
  const needs = permission ? `. ${what} needs the application permission ${permissionName(permission)} with admin consent` : '';
  return new RelayError(error.code, `${error.message.replace(/\.$/, '')}${needs}`, { upstreamStatus: error.upstreamStatus, cause: error });
}

const eventsKey = (i: number) => `o${i}`;
const evidenceKey = (i: number) => `a${i}`;
const devicesKey = (i: number) => `d${i}`;

function terms(columns: readonly ColumnSearch[], value: string) {
  return columns.map((c) => ({ column: c.column, match: c.match, value: c.value ? c.value(value) : value }));
}

function tableFilter(key: string, search: TableSearch, value: string, limit: number): EventFilter {
  return { key, table: search.table, terms: terms(search.columns, value), limit };
}

function cell(row: HuntingEvent, column: string): string {
  const value = (row as Record<string, unknown>)[column];
  return typeof value === 'string' ? value.trim() : '';
}

function alertIdsIn(rows: readonly HuntingEvent[]): string[] {
  return [...new Set(rows.map((row) => cell(row, 'AlertId')).filter((id) => id !== ''))];
}

function deviceIdsIn(rows: readonly HuntingEvent[]): string[] {
  return [...new Set(rows.map((row) => cell(row, 'DeviceId').toLowerCase()).filter((id) => id !== ''))].slice(0, MAX_HOSTNAME_DEVICES);
}
