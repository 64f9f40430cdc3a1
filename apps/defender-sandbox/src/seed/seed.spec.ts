import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUNTING_TABLE_NAMES, TABLE_SCHEMAS } from '../hunting/hunting-tables.schema';
import { SandboxState } from '../state/sandbox.state';
import { shiftIsoTime } from '../util/time.util';
import {
  DEMO_ACTION_HISTORY,
  DEMO_ALERT_HISTORY,
  DEMO_ALERTS,
  DEMO_FLEET,
  DEMO_FLEET_IDS,
  DEMO_INDICATORS,
  DEMO_MACHINES,
  DEMO_OBSERVABLES,
  DEMO_SEED,
  DEMO_TENANT,
  DEMO_TENANT_ID,
  ISOLATED_MACHINE_ID,
  RESTRICTED_MACHINE_ID,
  SEED_BASE_TIME,
  SEED_FILES,
  TWENTY_OBSERVABLES,
} from '../seed';

const ISO7 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;

describe('demo seed', () => {
  it('has one demo machine per platform, with 40-hex ids', () => {
    expect(new Set(DEMO_MACHINES.map((m) => m.osPlatform)).size).toBe(DEMO_MACHINES.length);
    expect(DEMO_MACHINES.every((m) => /^[0-9a-f]{40}$/.test(m.id))).toBe(true);
  });

  it('has alerts with Defender-style ids, 7-digit times and evidence with all 25 keys', () => {
    for (const alert of DEMO_ALERTS) {
      expect(alert.id).toMatch(/^da\d{18}_-?\d+$/);
      expect(alert.alertCreationTime).toMatch(ISO7);
      expect(alert.aadTenantId).toBe(DEMO_TENANT_ID);
      for (const item of alert.evidence) expect(Object.keys(item)).toHaveLength(25);
    }
    const keys = DEMO_ALERTS.flatMap((a) => a.evidence.map((e) => Object.keys(e).join()));
    expect(new Set(keys).size).toBe(1); // every evidence item has the same 25 keys, whatever its entity type
    const entityTypes = new Set(DEMO_ALERTS.flatMap((a) => a.evidence.map((e) => e.entityType)));
    expect(entityTypes).toEqual(new Set(['File', 'Process', 'User', 'Ip', 'Url', 'Registry']));
  });

  it('hunting rows carry every column of their table; missing strings are ""', () => {
    for (const tenant of DEMO_SEED.tenants) {
      for (const table of HUNTING_TABLE_NAMES) {
        const columns = TABLE_SCHEMAS[table].map((c) => c.name);
        for (const row of tenant.hunting[table]) {
          expect(Object.keys(row)).toEqual(columns);
          for (const c of TABLE_SCHEMAS[table]) if (c.type === 'string') expect(typeof row[c.name]).toBe('string');
        }
      }
    }
  });

  it('DeviceNetworkInfo has 12-hex MACs and IPAddresses as a parseable JSON string', () => {
    for (const row of DEMO_SEED.tenants[0].hunting.DeviceNetworkInfo) {
      expect(row.MacAddress).toMatch(/^[0-9A-F]{12}$/);
      expect(Array.isArray(JSON.parse(String(row.IPAddresses)))).toBe(true);
    }
  });

  it('DeviceFileEvents FolderPath includes the file name', () => {
    for (const row of DEMO_SEED.tenants[0].hunting.DeviceFileEvents) {
      expect(String(row.FolderPath).endsWith(String(row.FileName))).toBe(true);
    }
  });

  it('isolates one machine and restricts another through Succeeded machine actions', () => {
    const state = new SandboxState(DEMO_SEED, Date.now);
    const tenant = state.tenant(DEMO_TENANT_ID);
    const controls = DEMO_MACHINES.map((m) => ({ id: m.id, ...state.machineControl(tenant, m.id) }));
    expect(controls.filter((c) => c.isolation !== null).map((c) => c.id)).toEqual([ISOLATED_MACHINE_ID]);
    expect(controls.filter((c) => c.restricted).map((c) => c.id)).toEqual([RESTRICTED_MACHINE_ID]);
  });

  describe('the rest of the fleet and 30 days of history (for the dashboard tiles)', () => {
    const BASE = Date.parse(SEED_BASE_TIME);
    const minutesAgo = (iso: string) => (BASE - Date.parse(iso)) / 60_000;

    it('has alerts in every tile period: the last hour, day, week and 30 days, and a few older', () => {
      const ages = DEMO_ALERT_HISTORY.map((a) => minutesAgo(a.alertCreationTime));
      for (const [from, to] of [[0, 60], [60, 1440], [1440, 10_080], [10_080, 43_200], [43_200, Infinity]]) {
        expect(ages.filter((m) => m >= from && m < to).length).toBeGreaterThan(0);
      }
      const ids = DEMO_TENANT.alerts.map((a) => a.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const alert of DEMO_ALERT_HISTORY) {
        expect(alert.id).toMatch(/^da\d{18}_-?\d+$/);
        expect(alert.alertCreationTime).toMatch(ISO7);
      }
    });

    it('never answers an observable lookup: its only evidence is a user', () => {
      const values = TWENTY_OBSERVABLES.map((o) => o.value);
      for (const alert of DEMO_ALERT_HISTORY) {
        expect(alert.evidence.map((e) => e.entityType)).toEqual(['User']);
        expect(values.some((v) => JSON.stringify(alert).includes(v))).toBe(false);
      }
    });

    it('has onboarded devices in every health state, one not onboarded, and keeps the demo machines’ action state', () => {
      expect(DEMO_FLEET.every((m) => /^[0-9a-f]{40}$/.test(m.id))).toBe(true);
      expect(new Set(DEMO_TENANT.machines.map((m) => m.id)).size).toBe(DEMO_TENANT.machines.length);
      expect(new Set(DEMO_FLEET.filter((m) => m.onboardingStatus === 'Onboarded').map((m) => m.healthStatus))).toEqual(
        new Set(['Active', 'ImpairedCommunication', 'NoSensorData', 'Inactive']),
      );
      expect(DEMO_FLEET.filter((m) => m.onboardingStatus !== 'Onboarded').map((m) => m.id)).toEqual([DEMO_FLEET_IDS.printer]);
      const demoIds = new Set(DEMO_MACHINES.map((m) => m.id));
      expect(DEMO_ACTION_HISTORY.filter((a) => demoIds.has(a.machineId))).toEqual([]);
      const state = new SandboxState(DEMO_SEED, Date.now);
      expect(state.machineControl(state.tenant(DEMO_TENANT_ID), DEMO_FLEET_IDS.kiosk).isolation).toBe('Full');
    });
  });

  it('moves every timestamp with a seed time, keeping order and the seven fractional digits', () => {
    const shift = 6 * 86_400_000 + 37_000;
    const state = new SandboxState(DEMO_SEED, Date.now, shift);
    const [plain, moved] = [new SandboxState(DEMO_SEED, Date.now).tenant(DEMO_TENANT_ID), state.tenant(DEMO_TENANT_ID)];
    moved.alerts.forEach((alert, i) => {
      expect(Date.parse(alert.alertCreationTime) - Date.parse(plain.alerts[i].alertCreationTime)).toBe(shift);
      expect(alert.alertCreationTime).toMatch(ISO7);
      expect(alert.alertCreationTime.slice(-9)).toBe(plain.alerts[i].alertCreationTime.slice(-9));
    });
    expect(Date.parse(moved.hunting.DeviceFileEvents[0].Timestamp as string) - Date.parse(plain.hunting.DeviceFileEvents[0].Timestamp as string)).toBe(shift);
    expect(moved.machineActions.map((a) => a.id)).toEqual(plain.machineActions.map((a) => a.id));
    expect(shiftIsoTime('2026-11-25T12:00:00Z', 1000)).toBe('2026-11-25T12:00:01Z');
    expect(shiftIsoTime('not a time', 1000)).toBe('not a time');
    state.reset();
    expect(state.tenant(DEMO_TENANT_ID).alerts[0].alertCreationTime).toBe(moved.alerts[0].alertCreationTime);
  });

  it('has indicators of distinct types and actions, with numeric ids', () => {
    expect(new Set(DEMO_INDICATORS.map((i) => i.indicatorType)).size).toBe(DEMO_INDICATORS.length);
    expect(new Set(DEMO_INDICATORS.map((i) => i.action)).size).toBe(DEMO_INDICATORS.length);
    expect(DEMO_INDICATORS.every((i) => /^\d+$/.test(i.id))).toBe(true);
  });

  it('observables.json starts with the demo observables, each hitting alerts and events', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../../observables.json'), 'utf8')) as unknown[];
    expect(file.slice(0, DEMO_OBSERVABLES.length)).toEqual(DEMO_OBSERVABLES);
    const evidenceValues = DEMO_ALERTS.flatMap((a) => a.evidence.flatMap((e) => [e.sha1, e.ipAddress, e.url]));
    expect(evidenceValues).toContain(SEED_FILES.svcUpdater.sha1);
    expect(evidenceValues).toContain(DEMO_OBSERVABLES[0].value);
  });

  it('is deterministic', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const again = require('../seed') as typeof import('../seed');
      expect(JSON.stringify(again.DEMO_SEED)).toBe(JSON.stringify(DEMO_SEED));
    });
  });
});
