import { indicatorRequest, indicatorTypeFor } from './indicator.requests';

// Each observable type an indicator can be made of: its Defender indicator type and its blocking action.
const BY_TYPE = [
  ['sha1', 'FileSha1', 'BlockAndRemediate'],
  ['sha256', 'FileSha256', 'BlockAndRemediate'],
  ['md5', 'FileMd5', 'BlockAndRemediate'],
  ['ip', 'IpAddress', 'Block'],
  ['ipv6', 'IpAddress', 'Block'],
  ['domain', 'DomainName', 'Block'],
  ['url', 'Url', 'Block'],
];

describe('indicatorTypeFor', () => {
  it.each([...BY_TYPE.map(([type, indicatorType]) => [type, indicatorType]), ['SHA1', 'FileSha1']])('%p → %p', (type, indicatorType) => {
    expect(indicatorTypeFor(type)).toBe(indicatorType);
  });

  it.each(['hostname', 'ms_machine_id', 'email', ''])('none for %p', (type) => {
    expect(indicatorTypeFor(type)).toBeUndefined();
  });
});

describe('indicatorRequest', () => {
  const opts = { title: 'From Cisco XDR', description: 'Added via Cisco XDR' };

  it('alert → Audit with an alert, severity High', () => {
    expect(indicatorRequest('alert', { type: 'domain', value: 'asdf.com' }, opts)).toEqual({
      indicatorValue: 'asdf.com',
      indicatorType: 'DomainName',
      action: 'Audit',
      title: 'From Cisco XDR',
      description: 'Added via Cisco XDR',
      severity: 'High',
      generateAlert: true,
    });
  });

  it.each(BY_TYPE.map(([type, , action]) => [type, action]))('alert-and-block on %p → %p with an alert', (type, action) => {
    expect(indicatorRequest('alert-and-block', { type, value: 'v' }, opts)).toMatchObject({ action, severity: 'High', generateAlert: true });
  });

  it('allowed → Allowed without an alert, severity Informational', () => {
    expect(indicatorRequest('allowed', { type: 'ip', value: '1.2.3.4' }, opts)).toMatchObject({
      indicatorValue: '1.2.3.4',
      indicatorType: 'IpAddress',
      action: 'Allowed',
      severity: 'Informational',
      generateAlert: false,
    });
  });

  it('passes an expiration time through', () => {
    const body = indicatorRequest('alert', { type: 'ip', value: '1.2.3.4' }, { ...opts, expirationTime: '2027-01-01T00:00:00Z' });
    expect(body?.expirationTime).toBe('2027-01-01T00:00:00Z');
  });

  it('a configured severity replaces the policy one; device groups scope it; an empty scope sends none', () => {
    expect(indicatorRequest('allowed', { type: 'ip', value: '1.2.3.4' }, { ...opts, severity: 'Low', rbacGroupNames: ['Servers'] })).toMatchObject({
      severity: 'Low',
      rbacGroupNames: ['Servers'],
    });
    expect(indicatorRequest('alert', { type: 'ip', value: '1.2.3.4' }, { ...opts, rbacGroupNames: [] })).not.toHaveProperty('rbacGroupNames');
  });

  it('is undefined for an observable type indicators do not support', () => {
    expect(indicatorRequest('alert', { type: 'hostname', value: 'x' }, opts)).toBeUndefined();
  });
});
