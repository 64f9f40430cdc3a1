import { Credentials, Env, loadDefenderConfig, loadRespondConfig, Observable, RelayError } from '@app/common';
import { ActionMapper, ResponseAction } from '@app/ctim';
import {
  Alert,
  AlertListsCache,
  AlertUpdatesRepository,
  DefenderContext,
  FilesRepository,
  Indicator,
  IndicatorsRepository,
  Machine,
  MachineAction,
  MachineActionsRepository,
  MachinesRepository,
  ObservableSearch,
  PermissionsService,
} from '@app/defender';
import { ObservableAlerts } from '../alerts/observable-alerts';
import { DeviceActions } from './device-actions';
import { ListingReads } from './listing-reads';
import { RespondService } from './respond.service';
import { Trigger } from './trigger.dto';
import { unprovenContexts } from '../test-support/unproven-contexts';
import { ANALYST, M1, M2, minutesAgo, NOW, SHA1, SHA256 } from '../test-support/service-fixtures';

// Listing and triggering below the e2e tests: strict fake repositories (only the reads and
// mutations RespondService may make, each recorded), the real action mapper, permission table and
// respond alert cache, with a fixed clock. The app's roles come from the token the fake issues.

const ALL_ROLES = ['Machine.ReadWrite.All', 'Machine.Isolate', 'Machine.RestrictExecution', 'Machine.Scan', 'Machine.CollectForensics', 'Machine.StopAndQuarantine', 'File.Read.All', 'Ti.ReadWrite.All', 'Alert.ReadWrite.All'];

const config = (env: Env = {}) => loadRespondConfig(env);
const CONTEXTS = unprovenContexts();

const jwt = (roles: string[]) => `x.${Buffer.from(JSON.stringify({ roles })).toString('base64url')}.y`;
const alert = (id: string, age: number, fields: Partial<Alert> = {}): Alert => ({ id, alertCreationTime: minutesAgo(age), status: 'New', severity: 'High', machineId: M1, ...fields }) as Alert;
const indicator = (id: number, expirationTime?: string): Indicator => ({ id, action: 'AlertAndBlock', title: `ioc ${id}`, indicatorValue: SHA1, expirationTime }) as unknown as Indicator;
const device = (id: string, fields: Partial<Machine> = {}): Machine => ({ id, computerDnsName: `host-${id.slice(0, 2)}.contoso.local`, machineTags: [], ...fields }) as Machine;

const ids = (actions: readonly ResponseAction[]) => actions.map((a) => a.id);
const sha1: Observable = { type: 'sha1', value: SHA1 };
const machineObs: Observable = { type: 'ms_machine_id', value: M1 };
const trigger = (actionId: string, observable: Trigger['observable'], fields: Partial<Trigger> = {}): Trigger => ({ actionId, observable, ...fields });

describe('RespondService', () => {
  let calls: string[];
  let roles: string[];
  let env: Env;
  let fleet: Map<string, Machine>;
  let holders: Machine[];
  let indicators: Indicator[];
  let alertsFound: Alert[];
  let actionsById: Map<string, MachineAction>;
  let indicatorsFail: RelayError | undefined;
  let opaqueToken: boolean;
  let tagsAfter: string[] | undefined;
  let refusing: Set<string>;
  let cache: AlertListsCache;
  let shared: ObservableAlerts;

  const contexts = CONTEXTS;
  const record = (call: string) => calls.push(call);
  const tokens = { token: async (_c: Credentials, audience: string) => (record(`token ${audience}`), { accessToken: opaqueToken ? 'opaque' : jwt(roles), fromCache: false }) };
  const machines = { current: async (_ctx: DefenderContext, id: string) => (record(`current ${id}`), fleet.get(id)) };
  const machineActions = {
    history: async (_ctx: DefenderContext, id: string) => (record(`history ${id}`), { succeeded: [], active: [] }),
    run: async (_ctx: DefenderContext, id: string, name: string) => record(`SEND ${name} ${id}`),
    tag: async (_ctx: DefenderContext, id: string, value: string, change: string) => {
      record(`SEND tag ${change} ${value} ${id}`);
      const machine = fleet.get(id) as Machine;
      const tags = (machine.machineTags ?? []).map(String);
      return { ...machine, machineTags: tagsAfter ?? (change === 'Add' ? [...tags, value] : tags.filter((t) => t !== value)) };
    },
    action: async (_ctx: DefenderContext, id: string) => (record(`action ${id}`), actionsById.get(id)),
    cancel: async (_ctx: DefenderContext, id: string) => record(`SEND cancel ${id}`),
    stopAndQuarantine: async (_ctx: DefenderContext, id: string, hash: string) => {
      record(`SEND quarantine ${hash} on ${id}`);
      if (refusing.has(id)) throw new RelayError('invalid request', 'Device is offline');
    },
  };
  const indicatorsRepo = {
    forObservable: async (_ctx: DefenderContext, o: Observable) => {
      record(`indicators ${o.value}`);
      if (indicatorsFail) throw indicatorsFail;
      return indicators;
    },
    submit: async (_ctx: DefenderContext, policy: string, o: Observable) => record(`SEND indicator ${policy} ${o.value}`),
    delete: async (_ctx: DefenderContext, id: string) => record(`SEND delete indicator ${id}`),
  };
  const files = {
    profile: async (_ctx: DefenderContext, hash: string, options: { fresh?: boolean } = {}) => (record(`profile ${hash}${options.fresh ? ' fresh' : ''}`), { sha1: SHA1, sha256: SHA256 }),
    machines: async (_ctx: DefenderContext, hash: string) => (record(`holders ${hash}`), holders),
  };
  const devices = {
    offer: async (_ctx: DefenderContext, o: Observable) => (record(`offer ${o.value}`), [] as ResponseAction[]),
    target: async (_ctx: DefenderContext, o: Observable, id: string | undefined) => (record(`target ${o.value} ${id}`), id as string),
  };
  const search = {
    alertsOf: async (_ctx: DefenderContext, observables: readonly Observable[]) => (record(`alertsOf ${observables.map((o) => o.value).join(',')}`), observables.map(() => alertsFound)),
  };
  const alertUpdates = { update: async (_ctx: DefenderContext, alertIds: string[], change: object) => record(`SEND update ${alertIds.join(',')} ${JSON.stringify(change)}`) };

  const service = () => {
    const settings = config(env);
    return new RespondService(
      contexts,
      machines as unknown as MachinesRepository,
      machineActions as unknown as MachineActionsRepository,
      indicatorsRepo as unknown as IndicatorsRepository,
      files as unknown as FilesRepository,
      new ActionMapper(() => NOW),
      devices as unknown as DeviceActions,
      shared,
      alertUpdates as unknown as AlertUpdatesRepository,
      new PermissionsService(tokens as unknown as ConstructorParameters<typeof PermissionsService>[0], loadDefenderConfig(env), settings, () => NOW),
      new ListingReads(settings, () => NOW),
      settings,
      () => NOW,
    );
  };
  const sent = () => calls.filter((c) => c.startsWith('SEND'));
  /** Leaves an observable's alert list in the respond cache, as an observe just before would. */
  const observed = (observable: Observable, alerts: Alert[]) => {
    const ctx = CONTEXTS.create(ANALYST);
    shared.remember(ctx, observable, alerts);
    ctx.dispose();
  };

  beforeEach(() => {
    calls = [];
    roles = ALL_ROLES;
    env = { DEVICE_TAGS: 'XDR-Contained,VIP' };
    fleet = new Map([[M1, device(M1)], [M2, device(M2)]]);
    holders = [device(M1), device(M2)];
    indicators = [];
    alertsFound = [];
    actionsById = new Map();
    indicatorsFail = undefined;
    opaqueToken = false;
    tagsAfter = undefined;
    refusing = new Set();
    cache = new AlertListsCache(() => NOW);
    shared = new ObservableAlerts(search as unknown as ObservableSearch, cache);
  });

  describe('list', () => {
    it('offers a file its indicators, its quarantine and its triage, from one look at each source', async () => {
      alertsFound = [alert('da1', 1)];
      const { actions, errors } = await service().list(ANALYST, [sha1], []);
      expect(errors).toEqual([]);
      expect(new Set(ids(actions))).toEqual(
        new Set(['microsoft-defender-add-indicator-alert', 'microsoft-defender-add-indicator-alert-and-block', 'microsoft-defender-add-indicator-allowed', 'microsoft-defender-stop-and-quarantine-file', 'microsoft-defender-triage-alerts']),
      );
      expect(calls.filter((c) => !c.startsWith('token')).sort()).toEqual([`alertsOf ${SHA1}`, `holders ${SHA1}`, `indicators ${SHA1}`]);
    });

    it('does not look up what the app’s roles withhold, and says so in one warning naming the permissions', async () => {
      roles = ALL_ROLES.filter((r) => !['Ti.ReadWrite.All', 'Machine.StopAndQuarantine', 'Alert.ReadWrite.All'].includes(r));
      const { actions, errors } = await service().list(ANALYST, [sha1, { type: 'sha256', value: SHA256 }], []);
      expect(actions).toEqual([]);
      expect(calls).toEqual(['token defender']);
      expect(errors).toEqual([
        {
          type: 'warning',
          code: 'permission denied',
          message: 'Not offered, the app lacks the application permission: indicators (grant WindowsDefenderATP Ti.ReadWrite.All); stop & quarantine file (grant WindowsDefenderATP Machine.StopAndQuarantine); alert triage (grant WindowsDefenderATP Alert.ReadWrite.All)',
        },
      ]);
    });

    it('withholds the device actions the roles do not cover from a device’s list, offering the rest', async () => {
      roles = ['Machine.Read.All', 'Machine.Scan'];
      const { actions, errors } = await service().list(ANALYST, [machineObs], []);
      expect(ids(actions)).toEqual(['microsoft-defender-RunAntiVirusScanQuick', 'microsoft-defender-RunAntiVirusScanFull']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ type: 'warning', code: 'permission denied' });
      expect(errors[0].message).toContain('isolate / release (grant WindowsDefenderATP Machine.Isolate)');
      expect(errors[0].message).toContain('device tags (grant WindowsDefenderATP Machine.ReadWrite.All)');
      // Triage is withheld too, so the device's alerts are not looked up.
      expect(calls.filter((c) => c.startsWith('alertsOf'))).toEqual([]);
    });

    it('withholds nothing when the roles cannot be read', async () => {
      opaqueToken = true;
      roles = [];
      const { actions, errors } = await service().list(ANALYST, [sha1], []);
      expect(ids(actions)).toContain('microsoft-defender-stop-and-quarantine-file');
      expect(ids(actions)).toContain('microsoft-defender-add-indicator-alert');
      expect(errors).toEqual([]);
    });

    it('does not offer quarantine of a file on more devices than QUARANTINE_MAX_DEVICES, with a warning, and keeps the rest', async () => {
      env = { ...env, QUARANTINE_MAX_DEVICES: '1' };
      const { actions, errors } = await service().list(ANALYST, [sha1], []);
      expect(ids(actions)).not.toContain('microsoft-defender-stop-and-quarantine-file');
      expect(ids(actions)).toContain('microsoft-defender-add-indicator-alert');
      expect(errors).toEqual([
        { type: 'warning', code: 'unknown', message: `Stop and quarantine is not offered for ${SHA1}: the file is on 2 devices, more than QUARANTINE_MAX_DEVICES (1) allows at once` },
      ]);
    });

    it('resolves a SHA-256 to its SHA-1 to find the devices that have it', async () => {
      const { actions } = await service().list(ANALYST, [{ type: 'sha256', value: SHA256 }], []);
      expect(calls).toContain(`profile ${SHA256}`);
      expect(calls).toContain(`holders ${SHA1}`);
      expect(actions.find((a) => a.id === 'microsoft-defender-stop-and-quarantine-file')?.['query-params']).toEqual({ observable_type: 'sha256', observable_value: SHA256 });
    });

    it('offers only the removal of a live indicator, and adds alongside the removal of expired ones', async () => {
      indicators = [indicator(7, '2026-06-01T00:00:00Z')];
      const live = (await service().list(ANALYST, [sha1], [])).actions.filter((a) => a.id.includes('indicator'));
      expect(live.map((a) => [a.id, a['query-params'].indicator_id])).toEqual([['microsoft-defender-remove-indicator', '7']]);

      indicators = [indicator(8, '2026-02-01T00:00:00Z')];
      const expired = (await service().list(ANALYST, [sha1], [])).actions.filter((a) => a.id.includes('indicator'));
      expect(ids(expired)).toEqual(['microsoft-defender-add-indicator-alert', 'microsoft-defender-add-indicator-alert-and-block', 'microsoft-defender-add-indicator-allowed', 'microsoft-defender-remove-indicator']);
      expect(expired[3].title).toMatch(/^Remove expired indicator/);
    });

    it('offers triage from the alert list a recent observe left, without looking the alerts up again', async () => {
      observed(sha1, [alert('da1', 1), alert('da2', 2, { status: 'Resolved' })]);
      const { actions } = await service().list(ANALYST, [sha1], []);
      expect(calls.filter((c) => c.startsWith('alertsOf'))).toEqual([]);
      const triage = actions.filter((a) => a.id === 'microsoft-defender-triage-alerts');
      expect(triage.length).toBeGreaterThan(0);
      expect(triage[0].title).toBe(`Resolve 1 Defender alert of ${SHA1}: true positive`);
    });

    it('a source that fails costs only its own actions, with its error', async () => {
      indicatorsFail = new RelayError('timeout', 'Defender did not answer in time');
      const { actions, errors } = await service().list(ANALYST, [sha1, machineObs], []);
      expect(ids(actions)).toContain('microsoft-defender-FullIsolation');
      expect(ids(actions).some((id) => id.includes('indicator'))).toBe(false);
      expect(errors).toEqual([{ type: 'fatal', code: 'timeout', message: 'Defender did not answer in time' }]);
    });

    it('asks the device actions for a host name’s devices, keeping the warnings the request came with', async () => {
      const warning = new RelayError('unknown', 'observable dropped', { type: 'warning' }).toBody();
      const { errors } = await service().list(ANALYST, [{ type: 'hostname', value: 'ws-1' }], [warning]);
      expect(calls.filter((c) => !c.startsWith('token')).sort()).toEqual(['alertsOf ws-1', 'offer ws-1']);
      expect(errors).toEqual([warning]);
    });
  });

  describe('trigger', () => {
    const failure = (message: string | RegExp, code?: string) => ({
      status: 'failure',
      errors: [expect.objectContaining({ type: 'fatal', ...(code ? { code } : {}), message: typeof message === 'string' ? message : expect.stringMatching(message) })],
    });

    it('refuses an action id the relay never offers, before any Defender call', async () => {
      expect(await service().trigger(ANALYST, trigger('microsoft-defender-format-disk', machineObs))).toEqual(
        failure('Unsupported action "microsoft-defender-format-disk": the relay runs only the actions /respond/observables offers, so nothing was sent to Microsoft Defender for Endpoint', 'invalid request'),
      );
      expect(calls).toEqual([]);
    });

    it('refuses an observable type the action does not take', async () => {
      expect(await service().trigger(ANALYST, trigger('microsoft-defender-add-tag', sha1, { tag: 'VIP' }))).toEqual(
        failure("Observable type 'sha1' is not supported by this action", 'unsupported type'),
      );
      expect(await service().trigger(ANALYST, trigger('microsoft-defender-FullIsolation', { type: 'no_such_type', value: 'x' }))).toEqual(failure(/no_such_type/, 'unsupported type'));
      expect(calls).toEqual([]);
    });

    it('reports the value the pipe found invalid, after the type check, sending nothing', async () => {
      const bad = trigger('microsoft-defender-FullIsolation', { type: 'ms_machine_id', value: 'zz' }, { invalidValue: "'zz' is not a Defender machine id" });
      expect(await service().trigger(ANALYST, bad)).toEqual(failure("'zz' is not a Defender machine id", 'invalid payload'));
      expect(calls).toEqual([]);
    });

    it('runs a machine action once on the device itself, or on the machine_id a host name was offered with', async () => {
      expect(await service().trigger(ANALYST, trigger('microsoft-defender-FullIsolation', machineObs))).toEqual({ status: 'success', errors: [] });
      await service().trigger(ANALYST, trigger('microsoft-defender-RunAntiVirusScanQuick', { type: 'hostname', value: 'ws-1' }, { machineId: M2 }));
      expect(calls).toEqual([`SEND FullIsolation ${M1}`, `target ws-1 ${M2}`, `SEND RunAntiVirusScanQuick ${M2}`]);
    });

    describe('remove indicator', () => {
      it('removes an indicator a fresh read shows is the observable’s', async () => {
        indicators = [indicator(5)];
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-remove-indicator', sha1, { indicatorId: '5' }))).toEqual({ status: 'success', errors: [] });
        expect(calls).toEqual([`indicators ${SHA1}`, 'SEND delete indicator 5']);
      });

      it('refuses an indicator of another observable and sends nothing', async () => {
        indicators = [indicator(5)];
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-remove-indicator', sha1, { indicatorId: '6' }))).toEqual(
          failure(`Indicator 6 is not an indicator of the sha1 ${SHA1}, so nothing was sent to Microsoft Defender for Endpoint`, 'invalid request'),
        );
        expect(sent()).toEqual([]);
      });

      it('requires indicator_id before any read', async () => {
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-remove-indicator', sha1))).toEqual(failure(/'indicator_id' is required/, 'invalid payload'));
        expect(calls).toEqual([]);
      });
    });

    describe('cancel', () => {
      it('cancels an action a fresh read shows is the device’s, whatever the case of its machine id', async () => {
        actionsById.set('act-1', { id: 'act-1', machineId: M1.toUpperCase(), status: 'Pending' } as MachineAction);
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-cancel-machine-action', machineObs, { machineActionId: 'act-1' }))).toEqual({ status: 'success', errors: [] });
        expect(calls).toEqual(['action act-1', 'SEND cancel act-1']);
      });

      it('refuses an action of another device, or one Defender does not know, and sends nothing', async () => {
        actionsById.set('act-2', { id: 'act-2', machineId: M2, status: 'Pending' } as MachineAction);
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-cancel-machine-action', machineObs, { machineActionId: 'act-2' }))).toEqual(
          failure(`Machine action act-2 is an action of device ${M2}, not of ${M1}, so nothing was sent to Microsoft Defender for Endpoint`, 'invalid request'),
        );
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-cancel-machine-action', machineObs, { machineActionId: 'act-9' }))).toEqual(failure(/^Machine action act-9 is not known/, 'not found'));
        expect(sent()).toEqual([]);
      });
    });

    describe('tags', () => {
      it('adds a configured tag in its configured spelling, whatever spelling the trigger used', async () => {
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-add-tag', machineObs, { tag: 'xdr-CONTAINED' }))).toEqual({ status: 'success', errors: [] });
        expect(calls).toEqual([`current ${M1}`, `SEND tag Add XDR-Contained ${M1}`]);
      });

      it('removes a tag in the spelling the device has it', async () => {
        fleet.set(M1, device(M1, { machineTags: ['xdr-contained'] }));
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-remove-tag', machineObs, { tag: 'XDR-Contained' }))).toEqual({ status: 'success', errors: [] });
        expect(sent()).toEqual([`SEND tag Remove xdr-contained ${M1}`]);
      });

      it('refuses a tag that is not configured before any read, and adding a tag the device has in any spelling', async () => {
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-add-tag', machineObs, { tag: 'Quarantined' }))).toEqual(
          failure("Tag 'Quarantined' is not one of the configured device tags (DEVICE_TAGS), so nothing was sent to Microsoft Defender for Endpoint", 'invalid request'),
        );
        expect(calls).toEqual([]);
        fleet.set(M1, device(M1, { machineTags: ['vip'] }));
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-add-tag', machineObs, { tag: 'VIP' }))).toEqual(failure(`Device ${M1} already has the tag 'vip', so nothing was sent to Microsoft Defender for Endpoint`));
        expect(sent()).toEqual([]);
      });

      it('reports a change Defender accepted but the device does not show', async () => {
        tagsAfter = ['Other'];
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-add-tag', machineObs, { tag: 'VIP' }))).toEqual(failure(/still lacks the tag 'VIP' \(its tags: Other\)$/));
        expect(sent()).toHaveLength(1);
      });
    });

    describe('triage', () => {
      it('re-reads the alerts fresh, not the cached listing, and updates those still open, newest first, up to ALERT_TRIAGE_MAX', async () => {
        env = { ...env, ALERT_TRIAGE_MAX: '2' };
        observed(sha1, [alert('cached', 1)]);
        alertsFound = [alert('old', 30), alert('new', 1), alert('done', 2, { status: 'Resolved' }), alert('mid', 10)];
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-triage-alerts', sha1, { triage: 'in-progress' }))).toEqual({ status: 'success', errors: [] });
        expect(calls[0]).toBe(`alertsOf ${SHA1}`);
        expect(sent()).toHaveLength(1);
        expect(sent()[0]).toMatch(/^SEND update new,mid /);
      });

      it('sends nothing, and succeeds, when no alert is left to triage', async () => {
        alertsFound = [alert('done', 2, { status: 'Resolved' })];
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-triage-alerts', sha1, { triage: 'resolve', classification: 'TruePositive' }))).toEqual({ status: 'success', errors: [] });
        expect(calls).toEqual([`alertsOf ${SHA1}`]);
      });

      it('invalidates the cached lists after an update, so the next listing looks again', async () => {
        alertsFound = [alert('new', 1)];
        await service().trigger(ANALYST, trigger('microsoft-defender-triage-alerts', sha1, { triage: 'in-progress' }));
        calls = [];
        await service().list(ANALYST, [sha1], []);
        expect(calls).toContain(`alertsOf ${SHA1}`);
      });

      it('refuses alert_ids that are not the observable’s alerts, sending nothing', async () => {
        alertsFound = [alert('mine', 1)];
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-triage-alerts', sha1, { triage: 'in-progress', alertIds: ['mine', 'theirs'] }))).toEqual(
          failure(`Alert theirs is not an alert of sha1 ${SHA1}, so nothing was sent to Microsoft Defender for Endpoint`, 'invalid request'),
        );
        expect(sent()).toEqual([]);
      });

      it('refuses assigning when no ALERT_ASSIGNEE is configured, before reading the alerts', async () => {
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-triage-alerts', sha1, { triage: 'assign' }))).toEqual(failure(/^No ALERT_ASSIGNEE is configured/, 'invalid request'));
        expect(calls).toEqual([]);
      });
    });

    describe('stop and quarantine', () => {
      it('quarantines on each device that has the file, by the SHA-1 of a fresh profile read', async () => {
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-stop-and-quarantine-file', { type: 'sha256', value: SHA256 }))).toEqual({ status: 'success', errors: [] });
        expect(calls.slice(0, 2)).toEqual([`profile ${SHA256} fresh`, `holders ${SHA1}`]);
        expect(sent().sort()).toEqual([`SEND quarantine ${SHA1} on ${M1}`, `SEND quarantine ${SHA1} on ${M2}`]);
      });

      it('refuses a file on more devices than QUARANTINE_MAX_DEVICES, sending nothing', async () => {
        env = { ...env, QUARANTINE_MAX_DEVICES: '1' };
        expect(await service().trigger(ANALYST, trigger('microsoft-defender-stop-and-quarantine-file', sha1))).toEqual(failure(/is on 2 devices, more than QUARANTINE_MAX_DEVICES \(1\)/, 'invalid request'));
        expect(sent()).toEqual([]);
      });

      it('names the device that refused, and neither retries nor undoes the others', async () => {
        refusing = new Set([M2]);
        const result = await service().trigger(ANALYST, trigger('microsoft-defender-stop-and-quarantine-file', sha1));
        expect(result).toEqual(failure(`host-22.contoso.local: Device is offline`, 'invalid request'));
        expect(sent()).toHaveLength(2);
      });
    });
  });
});
