import { DEMO_TENANT_ID } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

const SHA1 = '36c5d12033b2eaf251bae61c00690ffb17fddc87';
const SHA256 = 'b5a4f3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4';
const MD5 = '0123456789abcdef0123456789abcdef';
const MACHINE = '1e5bc9d7e413ddd7902c2932e418702b84d0cc07';
const CATEGORIES = ['Search', 'Microsoft Defender for Endpoint'];
const TID = `tid=${DEMO_TENANT_ID}`;

describe('POST /refer/observables', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  it('links every supported type into the commercial portal, pinned to the tenant, without calling Defender', async () => {
    relay.sandbox.stats.reset();
    const res = await relay.post('/refer/observables', [
      { type: 'sha1', value: SHA1 },
      { type: 'sha256', value: SHA256 },
      { type: 'md5', value: MD5 },
      { type: 'ip', value: '10.1.2.3' },
      { type: 'ipv6', value: '2001:db8::1' },
      { type: 'domain', value: 'evil.example' },
      { type: 'ms_machine_id', value: MACHINE },
    ]);
    expect(res.body).toEqual({
      data: [
        { id: `ref-md-search-sha1-${SHA1}`, title: 'Search for this SHA1', description: 'Lookup this SHA1 on Microsoft Defender for Endpoint', url: `https://security.microsoft.com/file/${SHA1}?${TID}`, categories: CATEGORIES },
        { id: `ref-md-search-sha256-${SHA256}`, title: 'Search for this SHA256', description: 'Lookup this SHA256 on Microsoft Defender for Endpoint', url: `https://security.microsoft.com/file/${SHA256}?${TID}`, categories: CATEGORIES },
        { id: `ref-md-search-md5-${MD5}`, title: 'Search for this MD5', description: 'Lookup this MD5 on Microsoft Defender for Endpoint', url: `https://security.microsoft.com/file/${MD5}?${TID}`, categories: CATEGORIES },
        { id: 'ref-md-search-ip-10.1.2.3', title: 'Search for this IP', description: 'Lookup this IP on Microsoft Defender for Endpoint', url: `https://security.microsoft.com/ip/10.1.2.3/overview?${TID}`, categories: CATEGORIES },
        { id: 'ref-md-search-ipv6-2001:db8::1', title: 'Search for this IPV6', description: 'Lookup this IPV6 on Microsoft Defender for Endpoint', url: `https://security.microsoft.com/ip/2001%3Adb8%3A%3A1/overview?${TID}`, categories: CATEGORIES },
        { id: 'ref-md-search-domain-evil.example', title: 'Search for this DOMAIN', description: 'Lookup this DOMAIN on Microsoft Defender for Endpoint', url: `https://security.microsoft.com/url/overview?url=evil.example&${TID}`, categories: CATEGORIES },
        { id: `ref-md-search-ms_machine_id-${MACHINE}`, title: 'Search for this MS_MACHINE_ID', description: 'Lookup this MS_MACHINE_ID on Microsoft Defender for Endpoint', url: `https://security.microsoft.com/machines/${MACHINE}/overview?${TID}`, categories: CATEGORIES },
      ],
    });
    expect(relay.sandbox.stats.count()).toBe(0);
  });

  it('drops unknown types and collapses duplicates', async () => {
    const res = await relay.post('/refer/observables', [
      { type: 'cve', value: 'CVE-2024-1234' },
      { type: 'IP', value: '10.9.9.9' },
      { type: 'ip', value: ' 10.9.9.9 ' },
      { type: 'Domain', value: 'Evil.Example' },
      { type: 'domain', value: 'evil.example' },
    ]);
    expect(res.body.data.map((l: { id: string }) => l.id)).toEqual(['ref-md-search-ip-10.9.9.9', 'ref-md-search-domain-evil.example']);
    expect(res.body.errors).toBeUndefined();
  });

  it('URL-encodes values', async () => {
    const res = await relay.post('/refer/observables', [{ type: 'domain', value: 'bücher.example' }]);
    expect(res.body.data[0].url).toBe(`https://security.microsoft.com/url/overview?url=b%C3%BCcher.example&${TID}`);
  });
});

describe('refer links follow the configured cloud', () => {
  it.each([
    ['gcc-high', 'https://security.microsoft.us'],
    ['dod', 'https://security.apps.mil'],
  ])('%s → %s', async (cloud, portal) => {
    const relay = await startRelay({ DEFENDER_CLOUD: cloud });
    try {
      const res = await relay.post('/refer/observables', [{ type: 'ms_machine_id', value: MACHINE }]);
      expect(res.body.data[0].url).toBe(`${portal}/machines/${MACHINE}/overview?${TID}`);
    } finally {
      await relay.close();
    }
  });
});
