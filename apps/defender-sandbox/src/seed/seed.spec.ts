import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUNTING_TABLE_NAMES, TABLE_SCHEMAS } from '../hunting/hunting-tables.schema';
import { SandboxState } from '../state/sandbox.state';
import {
  DEMO_ALERTS,
  DEMO_INDICATORS,
  DEMO_MACHINES,
  DEMO_OBSERVABLES,
  DEMO_SEED,
  DEMO_TENANT_ID,
  ISOLATED_MACHINE_ID,
  RESTRICTED_MACHINE_ID,
  SEED_FILES,
} from '../seed';

const ISO7 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;

describe('demo seed', () => {
  it('has machines of every platform with 40-hex ids', () => {
    expect(DEMO_MACHINES.map((m) => m.osPlatform)).toEqual(['Windows10', 'Windows11', 'WindowsServer2019', 'WindowsServer2022', 'Linux', 'macOS']);
    expect(DEMO_MACHINES.every((m) => /^[0-9a-f]{40}$/.test(m.id))).toBe(true);
  });

  it('has alerts with Defender-style ids, 7-digit times and evidence with all 25 keys', () => {
    expect(DEMO_ALERTS).toHaveLength(10);
    for (const alert of DEMO_ALERTS) {
      expect(alert.id).toMatch(/^da\d{18}_-?\d+$/);
      expect(alert.alertCreationTime).toMatch(ISO7);
      expect(alert.aadTenantId).toBe(DEMO_TENANT_ID);
      for (const item of alert.evidence) expect(Object.keys(item)).toHaveLength(25);
    }
    const entityTypes = new Set(DEMO_ALERTS.flatMap((a) => a.evidence.map((e) => e.entityType)));
    expect(entityTypes).toEqual(new Set(['File', 'Process', 'User', 'Ip', 'Url']));
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

  it('has the four kinds of indicators the relay maps to verdicts', () => {
    expect(DEMO_INDICATORS.map((i) => `${i.indicatorType}:${i.action}`)).toEqual([
      'FileSha256:BlockAndRemediate',
      'DomainName:Audit',
      'IpAddress:Allowed',
      'Url:Warn',
    ]);
    expect(DEMO_INDICATORS.every((i) => /^\d+$/.test(i.id))).toBe(true);
  });

  it('observables.json lists the demo observables, each hitting alerts and events', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../../observables.json'), 'utf8')) as unknown;
    expect(file).toEqual(DEMO_OBSERVABLES);
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
