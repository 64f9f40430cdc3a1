import { canonicalIp } from '@app/common';
import { odataString } from '../http/encode';
import { Machine } from '../models';
import { deviceHasIp, findByIpTimestamp, hostnameFilter, hostnameMatches, pickDevices } from './device-resolution';

const device = (id: string, computerDnsName: string, lastSeen = '2026-11-30T10:00:00Z'): Machine => ({ id, computerDnsName, lastSeen });

describe('hostnameMatches', () => {
  it('matches the whole DNS name, or the short name when the host name has no dot, case-insensitively', () => {
    expect(hostnameMatches('WS-01.corp.example', 'ws-01')).toBe(true);
    expect(hostnameMatches('ws-01.corp.example', 'ws-01.corp.example')).toBe(true);
    expect(hostnameMatches('ws-01', 'WS-01')).toBe(true);
  });

  it('never matches a prefix, a substring or another domain', () => {
    expect(hostnameMatches('ws-010.corp.example', 'ws-01')).toBe(false);
    expect(hostnameMatches('ws-01-old.corp.example', 'ws-01')).toBe(false);
    expect(hostnameMatches('ws-01.corp.example', 'ws-01.corp')).toBe(false);
    expect(hostnameMatches('ws-01.lab.example', 'ws-01.corp.example')).toBe(false);
    expect(hostnameMatches('', 'ws-01')).toBe(false);
    expect(hostnameMatches(null, 'ws-01')).toBe(false);
  });
});

describe('hostnameFilter', () => {
  it('asks for the exact name, and for the names it is the short name of when it has no dot', () => {
    expect(hostnameFilter('ws-01', odataString)).toBe("computerDnsName eq 'ws-01' or startswith(computerDnsName,'ws-01.')");
    expect(hostnameFilter('ws-01.corp.example', odataString)).toBe("computerDnsName eq 'ws-01.corp.example'");
  });

  it('passes every value through the encoder, so a quote cannot end the literal', () => {
    expect(hostnameFilter("a'or'1'eq'1", odataString)).toBe("computerDnsName eq 'a''or''1''eq''1' or startswith(computerDnsName,'a''or''1''eq''1.')");
  });
});

describe('pickDevices', () => {
  it('keeps exact matches with an id, most recently seen first, and says when it cut', () => {
    const candidates = [
      device('a', 'ws-01.corp.example', '2026-11-29T10:00:00Z'),
      device('b', 'ws-01.lab.example', '2026-11-30T10:00:00Z'),
      device('c', 'ws-010.corp.example'),
      { computerDnsName: 'ws-01.x.example' },
    ];
    const picked = pickDevices(candidates, (m) => hostnameMatches(m.computerDnsName, 'ws-01'), 10);
    expect(picked).toEqual({ devices: [candidates[1], candidates[0]], truncated: false });
    expect(pickDevices(candidates, (m) => hostnameMatches(m.computerDnsName, 'ws-01'), 1)).toEqual({ devices: [candidates[1]], truncated: true });
  });
});

describe('deviceHasIp', () => {
  const machine: Machine = { lastIpAddress: '10.0.0.5', ipAddresses: [{ ipAddress: '2001:DB8::0001' }, { ipAddress: null }] };

  it('finds the last IP or any adapter’s, whatever the IPv6 spelling', () => {
    expect(deviceHasIp(machine, '10.0.0.5', canonicalIp)).toBe(true);
    expect(deviceHasIp(machine, '2001:db8::1', canonicalIp)).toBe(true);
    expect(deviceHasIp(machine, '10.0.0.50', canonicalIp)).toBe(false);
  });
});

it('findByIpTimestamp writes UTC to the second', () => {
  expect(findByIpTimestamp(new Date('2026-11-30T08:44:05.123Z'))).toBe('2026-11-30T08:44:05Z');
});
