import { HOSTNAME, MACHINE_ID, aMachine } from '../test-support/builders';
import { Machine } from '@app/defender/models';
import { endpointTarget, formatMac, osDescription } from './target.mapper';

const observed = { start_time: '2021-01-26T20:31:32.9562661Z', end_time: '2021-01-26T20:31:33.0577322Z' };

/** Every machine given answers a request for MACHINE_ID (the builders' device). */
function context(machines: Machine[] = []) {
  return { machines: new Map(machines.map((machine) => [MACHINE_ID, machine])) };
}

/** A profile with two adapters, as Defender lists them: one entry per address, the MAC on each. */
const twoAdapters = aMachine({
  lastIpAddress: '10.1.1.68',
  ipAddresses: [
    { ipAddress: '10.1.1.68', macAddress: '00224843C030', operationalStatus: 'Up' },
    { ipAddress: 'fe80::6d25:8926:20c3:49ea', macAddress: '00224843C030', operationalStatus: 'Up' },
    { ipAddress: '127.0.0.1', macAddress: null, operationalStatus: 'Up' },
    { ipAddress: '10.1.2.9', macAddress: '00-22-48-43-C0-31', operationalStatus: 'Down' },
  ],
});

describe('endpointTarget', () => {
  it('lists hostname, machine id, MACs and IPs from the machine profile, de-duplicated, with its os', () => {
    const target = endpointTarget(MACHINE_ID, HOSTNAME, observed, context([twoAdapters]));

    expect(target).toEqual({
      type: 'endpoint',
      observables: [
        { type: 'hostname', value: HOSTNAME },
        { type: 'ms_machine_id', value: MACHINE_ID },
        { type: 'mac_address', value: '00:22:48:43:c0:30' },
        { type: 'mac_address', value: '00:22:48:43:c0:31' },
        { type: 'ip', value: '10.1.1.68' },
        { type: 'ip', value: '10.1.2.9' },
      ],
      observed_time: observed,
      os: 'Windows10x64 version: 1901',
    });
  });

  it('drops link-local adapters (fe80::/10, 169.254.0.0/16) as it drops loopback, keeping global IPv6', () => {
    const machine = aMachine({
      lastIpAddress: '169.254.12.7',
      ipAddresses: [
        { ipAddress: '10.20.14.37', macAddress: '3C7C3FA1B2C4', operationalStatus: 'Up' },
        { ipAddress: 'fe80::8d4c:2b1e:4f6a:91c3', macAddress: '3C7C3FA1B2C4', operationalStatus: 'Up' },
        { ipAddress: 'FEBF::1%12', macAddress: '3C7C3FA1B2C4', operationalStatus: 'Up' },
        { ipAddress: '169.254.12.7', macAddress: 'F4A4754C9D10', operationalStatus: 'Down' },
        { ipAddress: '2001:db8:4a2f:10::21', macAddress: '3C7C3FA1B2C4', operationalStatus: 'Up' },
        { ipAddress: 'fec0::1', macAddress: '3C7C3FA1B2C4', operationalStatus: 'Up' },
        { ipAddress: '169.255.0.1', macAddress: '3C7C3FA1B2C4', operationalStatus: 'Up' },
      ],
    });
    const ips = endpointTarget(MACHINE_ID, HOSTNAME, observed, context([machine]))?.observables.filter((o) => o.type === 'ip' || o.type === 'ipv6');
    expect(ips).toEqual([
      { type: 'ip', value: '10.20.14.37' },
      { type: 'ipv6', value: '2001:db8:4a2f:10::21' },
      { type: 'ipv6', value: 'fec0::1' },
      { type: 'ip', value: '169.255.0.1' },
    ]);
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

  it('adds the profile’s lastIpAddress when no adapter lists it', () => {
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
    const target = endpointTarget(MACHINE_ID, HOSTNAME, observed, { machines: new Map([[MACHINE_ID, profile]]) });
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
