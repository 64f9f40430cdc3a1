import { HOSTNAME, MACHINE_ID, aMachine, aNetworkInfoRow } from '../test-support/builders';
import { Machine, DeviceNetworkInfoRow } from '@app/defender/models';
import { endpointTarget, formatMac, osDescription, parseIpAddresses } from './target.mapper';

const observed = { start_time: '2021-01-26T20:31:32.9562661Z', end_time: '2021-01-26T20:31:33.0577322Z' };

/** Every machine given answers a request for MACHINE_ID (the builders' device). */
function context(machines: Machine[] = [], rows: DeviceNetworkInfoRow[] = []) {
  return {
    machines: new Map(machines.map((machine) => [MACHINE_ID, machine])),
    networkInfo: new Map(rows.length ? [[MACHINE_ID, rows]] : []),
  };
}

describe('endpointTarget', () => {
  it('lists hostname, machine id, MACs and IPs from DeviceNetworkInfo, with the os of the machine profile', () => {
    const target = endpointTarget(MACHINE_ID, HOSTNAME, observed, context([aMachine()], [aNetworkInfoRow()]));

    expect(target).toEqual({
      type: 'endpoint',
      observables: [
        { type: 'hostname', value: HOSTNAME },
        { type: 'ms_machine_id', value: MACHINE_ID },
        { type: 'mac_address', value: '00:22:48:43:c0:30' },
        { type: 'ip', value: '10.1.1.68' },
        { type: 'ipv6', value: 'fe80::6d25:8926:20c3:49ea' },
      ],
      observed_time: observed,
      os: 'Windows10x64 version: 1901',
    });
  });

  it('de-duplicates addresses reported by several rows', () => {
    const rows = [aNetworkInfoRow(), aNetworkInfoRow({ ReportId: 2 }), aNetworkInfoRow({ MacAddress: '00-22-48-43-C0-31' })];
    const target = endpointTarget(MACHINE_ID, HOSTNAME, observed, context([], rows));

    expect(target?.observables.map((o) => `${o.type}:${o.value}`)).toEqual([
      `hostname:${HOSTNAME}`,
      `ms_machine_id:${MACHINE_ID}`,
      'mac_address:00:22:48:43:c0:30',
      'mac_address:00:22:48:43:c0:31',
      'ip:10.1.1.68',
      'ipv6:fe80::6d25:8926:20c3:49ea',
    ]);
  });

  it('ignores bad IPAddresses JSON but keeps the MAC of that row', () => {
    const rows = [
      aNetworkInfoRow({ IPAddresses: '[{"IPAddress":"10.1.1.68"' }),
      aNetworkInfoRow({ MacAddress: '', IPAddresses: '{"IPAddress":"1.2.3.4"}' }),
    ];
    const target = endpointTarget(MACHINE_ID, HOSTNAME, observed, context([], rows));

    expect(target?.observables.map((o) => o.type)).toEqual(['hostname', 'ms_machine_id', 'mac_address']);
  });

  it('takes the host name from the machine profile when the alert or event has none, and omits os without a platform', () => {
    const machine = aMachine({ osPlatform: null, ipAddresses: [], lastIpAddress: null });
    const target = endpointTarget(MACHINE_ID, null, observed, context([machine]));
    expect(target).toEqual({
      type: 'endpoint',
      observables: [
        { type: 'hostname', value: HOSTNAME },
        { type: 'ms_machine_id', value: MACHINE_ID },
      ],
      observed_time: observed,
    });
  });

  it('falls back to the machine profile addresses when DeviceNetworkInfo has no rows for the device', () => {
    const target = endpointTarget(MACHINE_ID, HOSTNAME, observed, context([aMachine()]));
    expect(target?.observables.slice(2)).toEqual([
      { type: 'mac_address', value: '8c:ec:4b:89:7e:73' },
      { type: 'ip', value: '10.166.113.47' },
      { type: 'ip', value: '10.166.113.46' },
    ]);
  });

  it('is undefined without machine id and host name', () => {
    expect(endpointTarget(null, '', observed, context())).toBeUndefined();
  });

  it('a malformed machine profile costs only its own fields: no os, no profile addresses', () => {
    const malformed = aMachine({ osPlatform: 42, ipAddresses: 'none', lastIpAddress: ['10.0.0.1'] } as unknown as Partial<Machine>);
    expect(endpointTarget(MACHINE_ID, HOSTNAME, observed, context([malformed]))).toEqual({
      type: 'endpoint',
      observables: [
        { type: 'hostname', value: HOSTNAME },
        { type: 'ms_machine_id', value: MACHINE_ID },
      ],
      observed_time: observed,
    });
    const oddAdapters = aMachine({ ipAddresses: [null, 'x', { ipAddress: '10.2.3.4', macAddress: 7 }] } as unknown as Partial<Machine>);
    expect(endpointTarget(MACHINE_ID, HOSTNAME, observed, context([oddAdapters]))?.observables.slice(2)).toEqual([
      { type: 'ip', value: '10.2.3.4' },
      { type: 'ip', value: '10.166.113.46' },
    ]);
  });

  it('takes the os from a profile without an id (the original relay’s answers lack it)', () => {
    const profile = { osPlatform: 'Windows10', osProcessor: 'x64', version: '1709' } as Machine;
    const target = endpointTarget(MACHINE_ID, HOSTNAME, observed, { machines: new Map([[MACHINE_ID, profile]]), networkInfo: new Map() });
    expect(target?.os).toBe('Windows10x64 version: 1709');
  });

  it('still names the host when the machine id is unknown', () => {
    expect(endpointTarget(null, 'desktop-1', observed, context())?.observables).toEqual([{ type: 'hostname', value: 'desktop-1' }]);
  });
});

describe('formatMac', () => {
  it.each([
    ['00224843C030', '00:22:48:43:c0:30'],
    ['00-22-48-43-C0-30', '00:22:48:43:c0:30'],
    ['000000000000', undefined],
    ['0022', undefined],
    ['', undefined],
    [null, undefined],
  ])('formats %p as %p', (raw, expected) => {
    expect(formatMac(raw)).toBe(expected);
  });
});

describe('parseIpAddresses', () => {
  it.each([
    ['not json', []],
    ['{"IPAddress":"1.2.3.4"}', []],
    ['[null, 5, {"IPAddress": 7}, {"IPAddress":"garbage"}]', []],
    ['[{"IPAddress":"127.0.0.1"},{"IPAddress":"::1"},{"IPAddress":"192.168.0.2"}]', [{ type: 'ip', value: '192.168.0.2' }]],
  ])('parses %p safely', (json, expected) => {
    expect(parseIpAddresses(json)).toEqual(expected);
  });
});

describe('osDescription', () => {
  it.each([
    [{ osPlatform: 'Windows10', osProcessor: 'x64', version: '1901' }, 'Windows10x64 version: 1901'],
    [{ osPlatform: 'Linux', osProcessor: null, osArchitecture: '64-bit', version: null }, 'Linux64-bit'],
    [{ osPlatform: 'macOS', osProcessor: null, osArchitecture: null, version: '14.1' }, 'macOS version: 14.1'],
    [{ osPlatform: null }, undefined],
  ])('describes %p', (overrides, expected) => {
    expect(osDescription(aMachine(overrides))).toBe(expected);
  });

  it('is undefined without a machine profile', () => {
    expect(osDescription(undefined)).toBeUndefined();
  });
});
