import { ipObservable, normaliseHash, text, urlObservable } from './observable.helpers';

describe('text', () => {
  it('reads the spellings of a missing value in real Defender payloads as absent', () => {
    for (const absent of [null, undefined, 7, '', '  ', 'null', 'NULL', 'None', 'none', 'N/A', ' n/a ']) expect(text(absent)).toBeUndefined();
    expect(text(' Execution ')).toBe('Execution');
    expect(text('Nonesuch')).toBe('Nonesuch');
  });
});

describe('urlObservable', () => {
  it.each([
    ['https://evil.example.com/x?y=1', { type: 'url', value: 'https://evil.example.com/x?y=1' }],
    ['Evil.Example.COM', { type: 'domain', value: 'evil.example.com' }],
    ['example.com.', { type: 'domain', value: 'example.com' }],
    ['93.184.216.34', { type: 'ip', value: '93.184.216.34' }],
    ['2001:DB8::1', { type: 'ipv6', value: '2001:db8::1' }],
    ['example.com/path', { type: 'url', value: 'example.com/path' }],
  ])('classifies %p', (raw, expected) => {
    expect(urlObservable(raw)).toEqual(expected);
  });

  it('returns undefined for blank values', () => {
    expect(urlObservable('')).toBeUndefined();
    expect(urlObservable(null)).toBeUndefined();
  });
});

describe('ipObservable', () => {
  it('drops an IPv6 zone id and rejects non-addresses', () => {
    expect(ipObservable('fe80::1%12')).toEqual({ type: 'ipv6', value: 'fe80::1' });
    expect(ipObservable('not-an-ip')).toBeUndefined();
  });
});

describe('normaliseHash', () => {
  it('lower-cases well-formed hashes and rejects malformed ones', () => {
    expect(normaliseHash('md5', ' 1E8EE4BBE3BD7EE6FD5A1E8C0D2BF0C5 ')).toBe('1e8ee4bbe3bd7ee6fd5a1e8c0d2bf0c5');
    expect(normaliseHash('sha1', '1e8ee4bbe3bd7ee6fd5a1e8c0d2bf0c5')).toBeUndefined();
  });
});
