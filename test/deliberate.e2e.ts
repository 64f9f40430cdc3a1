import { DEMO_INDICATOR_IDS, DEMO_TENANT_ID, Indicator, OTHER_TENANT_ID, REAL_PAYLOADS, SEED_FILES, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// Verdicts and judgements from the tenant's custom indicators and file determinations.

const FOREVER = '2525-01-01T00:00:00.000Z';
const DROPPER = SEED_FILES.emotetDropper;

interface Verdict {
  type: string;
  disposition: number;
  disposition_name: string;
  observable: { type: string; value: string };
  valid_time: { start_time?: string; end_time?: string };
  judgement_id?: string;
}
interface Judgement extends Omit<Verdict, 'judgement_id'> {
  id: string;
  schema_version: string;
  source: string;
  priority: number;
  confidence: string;
  severity: string;
  reason?: string;
  external_ids?: string[];
}

const VERDICT_FIELDS = ['type', 'disposition', 'disposition_name', 'observable', 'valid_time'];
const JUDGEMENT_FIELDS = ['id', 'type', 'schema_version', 'source', 'observable', 'disposition', 'disposition_name', 'priority', 'confidence', 'severity', 'valid_time'];
const DISPOSITION_NAMES: Record<number, string> = { 1: 'Clean', 2: 'Malicious', 3: 'Suspicious', 4: 'Common', 5: 'Unknown' };
const SEVERITIES = ['Info', 'Low', 'Medium', 'High', 'Critical', 'None', 'Unknown'];
const CONFIDENCES = ['Info', 'Low', 'Medium', 'High', 'None', 'Unknown'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('POST /deliberate/observables', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const deliberate = (observables: Array<{ type: string; value: string }>) => relay.post('/deliberate/observables', observables);
  /** Adds an indicator to the demo tenant, as an analyst would in the portal. */
  const addIndicator = (patch: Partial<Indicator> & Pick<Indicator, 'id' | 'indicatorValue' | 'indicatorType' | 'action'>) =>
    relay.sandbox.state.indicators.push({ ...relay.sandbox.state.indicators[0], title: `e2e ${patch.id}`, expirationTime: null, ...patch });

  /** Every verdict and judgement is well-formed CTIM and every verdict points at a judgement of the answer. */
  function checkCtim(data: { verdicts: { count: number; docs: Verdict[] }; judgements: { count: number; docs: Judgement[] } }): void {
    expect(data.verdicts.count).toBe(data.verdicts.docs.length);
    expect(data.judgements.count).toBe(data.judgements.docs.length);
    const judgements = new Map(data.judgements.docs.map((j) => [j.id, j]));
    expect(judgements.size).toBe(data.judgements.docs.length);
    for (const verdict of data.verdicts.docs) {
      for (const field of VERDICT_FIELDS) expect([field, verdict[field as keyof Verdict]]).toEqual([field, expect.anything()]);
      expect(verdict.type).toBe('verdict');
      expect(verdict.disposition_name).toBe(DISPOSITION_NAMES[verdict.disposition]);
      expect(verdict.valid_time.end_time).toMatch(ISO);
      const judgement = judgements.get(verdict.judgement_id ?? '');
      expect(judgement).toBeDefined();
      expect(judgement!.observable).toEqual(verdict.observable);
      expect(judgement!.disposition).toBe(verdict.disposition);
    }
    for (const judgement of data.judgements.docs) {
      for (const field of JUDGEMENT_FIELDS) expect([field, judgement[field as keyof Judgement]]).toEqual([field, expect.anything()]);
      expect(judgement.type).toBe('judgement');
      expect(judgement.id).toMatch(/^transient:judgement-[0-9a-f-]{36}$/);
      expect(judgement.schema_version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(judgement.source).toBe('Microsoft Defender for Endpoint');
      expect(judgement.disposition_name).toBe(DISPOSITION_NAMES[judgement.disposition]);
      expect(judgement.priority).toBeGreaterThanOrEqual(0);
      expect(judgement.priority).toBeLessThanOrEqual(100);
      expect(SEVERITIES).toContain(judgement.severity);
      expect(CONFIDENCES).toContain(judgement.confidence);
      expect(judgement.valid_time.start_time).toMatch(ISO);
      expect(judgement.valid_time.end_time).toMatch(ISO);
      expect(Date.parse(judgement.valid_time.start_time!)).toBeLessThanOrEqual(Date.parse(judgement.valid_time.end_time!));
    }
  }

  const dispositions = (verdicts: Verdict[]) => verdicts.map((v) => [v.observable.type, v.observable.value, v.disposition, v.disposition_name]);

  it('judges the seeded indicators and file determinations', async () => {
    const res = await deliberate([
      { type: 'sha256', value: DROPPER.sha256 },
      { type: 'domain', value: SEED_NETWORK.payloadDomain },
      { type: 'ip', value: SEED_NETWORK.partnerVpnIp },
      { type: 'sha1', value: DROPPER.sha1 },
      { type: 'md5', value: DROPPER.md5 },
    ]);
    expect(res.body.errors).toBeUndefined();
    checkCtim(res.body.data);
    expect(dispositions(res.body.data.verdicts.docs)).toEqual([
      ['sha256', DROPPER.sha256, 2, 'Malicious'],
      ['domain', SEED_NETWORK.payloadDomain, 3, 'Suspicious'],
      ['ip', SEED_NETWORK.partnerVpnIp, 1, 'Clean'],
      ['sha1', DROPPER.sha1, 2, 'Malicious'],
      ['md5', DROPPER.md5, 2, 'Malicious'],
    ]);
    // The sha256 has two sources (BlockAndRemediate indicator and Malware determination): one verdict, two judgements.
    const judged = (value: string) => (res.body.data.judgements.docs as Judgement[]).filter((j) => j.observable.value === value);
    expect(judged(DROPPER.sha256).map((j) => j.disposition)).toEqual([2, 2]);
    expect(res.body.data.judgements.count).toBe(6);
  });

  it('a judgement from an indicator is valid from its creation, open-ended, and names it', async () => {
    const res = await deliberate([{ type: 'domain', value: SEED_NETWORK.payloadDomain }]);
    const seeded = relay.sandbox.state.indicators.find((i) => i.id === DEMO_INDICATOR_IDS.payloadDomain)!;
    const [verdict] = res.body.data.verdicts.docs as Verdict[];
    const [judgement] = res.body.data.judgements.docs as Judgement[];
    expect(verdict.valid_time).toEqual({ start_time: seeded.creationTimeDateTimeUtc, end_time: FOREVER });
    expect(judgement).toMatchObject({
      observable: { type: 'domain', value: SEED_NETWORK.payloadDomain },
      disposition: 3,
      disposition_name: 'Suspicious',
      severity: 'Medium',
      valid_time: { start_time: seeded.creationTimeDateTimeUtc, end_time: FOREVER },
      external_ids: [DEMO_INDICATOR_IDS.payloadDomain],
      reason: expect.stringContaining('Stage-2 payload host'),
    });
  });

  it.each<[string, string, string, string, Indicator['indicatorType'], Indicator['action'], number]>([
    ['Block on an ip', 'ip', '203.0.113.66', '203.0.113.66', 'IpAddress', 'Block', 2],
    ['Block on an ipv6', 'ipv6', '2001:DB8::66', '2001:db8::66', 'IpAddress', 'Block', 2],
    ['Block on a domain', 'domain', 'Blocked-E2E.example', 'blocked-e2e.example', 'DomainName', 'Block', 2],
    ['legacy AlertAndBlock on a sha1', 'sha1', 'aa'.repeat(20), 'aa'.repeat(20), 'FileSha1', 'AlertAndBlock', 2],
    ['Warn on a domain', 'domain', 'warn-e2e.example', 'warn-e2e.example', 'DomainName', 'Warn', 3],
    ['Audit on an md5', 'md5', 'bb'.repeat(16), 'bb'.repeat(16), 'FileMd5', 'Audit', 3],
    ['legacy Alert on an ip', 'ip', '203.0.113.67', '203.0.113.67', 'IpAddress', 'Alert' as Indicator['action'], 3],
    ['Allowed on a sha256', 'sha256', 'cc'.repeat(32), 'cc'.repeat(32), 'FileSha256', 'Allowed', 1],
  ])('%s', async (_name, type, input, stored, indicatorType, action, disposition) => {
    addIndicator({ id: '900', indicatorValue: stored, indicatorType, action });
    const res = await deliberate([{ type, value: input }]);
    expect(res.body.errors).toBeUndefined();
    checkCtim(res.body.data);
    expect(dispositions(res.body.data.verdicts.docs)).toEqual([[type, stored, disposition, DISPOSITION_NAMES[disposition]]]);
  });

  it('valid_time ends at the indicator’s expiration; an expired indicator gives no verdict', async () => {
    addIndicator({ id: '901', indicatorValue: 'expiring-e2e.example', indicatorType: 'DomainName', action: 'Block', expirationTime: '2099-06-30T00:00:00Z' });
    addIndicator({ id: '902', indicatorValue: 'expired-e2e.example', indicatorType: 'DomainName', action: 'Block', expirationTime: '2020-01-01T00:00:00Z' });
    const res = await deliberate([
      { type: 'domain', value: 'expiring-e2e.example' },
      { type: 'domain', value: 'expired-e2e.example' },
    ]);
    checkCtim(res.body.data);
    expect(res.body.data.verdicts.docs).toHaveLength(1);
    expect(res.body.data.verdicts.docs[0].valid_time.end_time).toBe('2099-06-30T00:00:00Z');
  });

  describe('choosing the verdict as CTIM does: highest priority, then Clean first', () => {
    const judgementsOf = (docs: Judgement[]) => docs.map((j) => [j.disposition, j.priority, j.external_ids ?? []]).sort();
    const chosen = (data: { verdicts: { docs: Verdict[] }; judgements: { docs: Judgement[] } }) =>
      data.judgements.docs.find((j) => j.id === data.verdicts.docs[0].judgement_id);

    it("an Allowed indicator overrides Defender's Malware determination", async () => {
      addIndicator({ id: '903', indicatorValue: DROPPER.sha1, indicatorType: 'FileSha1', action: 'Allowed' });
      const res = await deliberate([{ type: 'sha1', value: DROPPER.sha1 }]);
      expect(res.body.errors).toBeUndefined();
      checkCtim(res.body.data);
      expect(dispositions(res.body.data.verdicts.docs)).toEqual([['sha1', DROPPER.sha1, 1, 'Clean']]);
      // The analyst's indicator at 95, Defender's determination at 90; the verdict names the indicator's.
      expect(judgementsOf(res.body.data.judgements.docs)).toEqual([
        [1, 95, ['903']],
        [2, 90, []],
      ]);
      expect(chosen(res.body.data)?.external_ids).toEqual(['903']);
    });

    it('the same disposition from both sources: the verdict points at the indicator’s judgement', async () => {
      const res = await deliberate([{ type: 'sha256', value: DROPPER.sha256 }]);
      checkCtim(res.body.data);
      expect(dispositions(res.body.data.verdicts.docs)).toEqual([['sha256', DROPPER.sha256, 2, 'Malicious']]);
      expect(chosen(res.body.data)?.priority).toBe(95);
    });

    it('a tie between two indicators of one value, Block and Allowed: Clean', async () => {
      // Defender keeps one indicator per value and type; should it hold two, CTIM's tie rule decides.
      addIndicator({ id: '907', indicatorValue: 'tie-e2e.example', indicatorType: 'DomainName', action: 'Block' });
      addIndicator({ id: '908', indicatorValue: 'tie-e2e.example', indicatorType: 'DomainName', action: 'Allowed' });
      const res = await deliberate([{ type: 'domain', value: 'tie-e2e.example' }]);
      expect(res.body.errors).toBeUndefined();
      checkCtim(res.body.data);
      expect(dispositions(res.body.data.verdicts.docs)).toEqual([['domain', 'tie-e2e.example', 1, 'Clean']]);
      expect(judgementsOf(res.body.data.judgements.docs)).toEqual([
        [1, 95, ['908']],
        [2, 95, ['907']],
      ]);
      expect(chosen(res.body.data)?.external_ids).toEqual(['908']);
    });
  });

  it("maps each determinationType: Microsoft's Pua example (its AlertAndBlock indicator expired 2020-12-12) and a Pua miner Suspicious, Clean Clean, Unknown nothing", async () => {
    const expired = relay.sandbox.state.indicators.find((i) => i.id === REAL_PAYLOADS.expiredIndicatorId);
    expect(expired).toMatchObject({ indicatorValue: REAL_PAYLOADS.puaFile.sha1, action: 'AlertAndBlock', expirationTime: '2020-12-12T00:00:00Z' });
    const res = await deliberate([
      { type: 'sha1', value: REAL_PAYLOADS.puaFile.sha1 },
      { type: 'sha256', value: SEED_FILES.xmrig.sha256 },
      { type: 'sha1', value: SEED_FILES.sevenZip.sha1 },
      { type: 'md5', value: SEED_FILES.svcUpdater.md5 },
    ]);
    expect(res.body.errors).toBeUndefined();
    checkCtim(res.body.data);
    expect(dispositions(res.body.data.verdicts.docs)).toEqual([
      ['sha1', REAL_PAYLOADS.puaFile.sha1, 3, 'Suspicious'],
      ['sha256', SEED_FILES.xmrig.sha256, 3, 'Suspicious'],
      ['sha1', SEED_FILES.sevenZip.sha1, 1, 'Clean'],
    ]);
    const judgements = res.body.data.judgements.docs as Judgement[];
    expect(judgements.map((j) => [j.observable.value, j.priority, j.severity, j.reason])).toEqual([
      [REAL_PAYLOADS.puaFile.sha1, 90, 'Medium', 'File determined as a potentially unwanted application (PUA:Win32/FusionCore) by Microsoft Defender for Endpoint'],
      [SEED_FILES.xmrig.sha256, 90, 'Medium', 'File determined as a potentially unwanted application (PUA:Linux/CoinMiner) by Microsoft Defender for Endpoint'],
      [SEED_FILES.sevenZip.sha1, 90, 'Info', 'File determined as Clean by Microsoft Defender for Endpoint'],
    ]);
  });

  it('a Block indicator still outranks a Clean determination', async () => {
    addIndicator({ id: '909', indicatorValue: SEED_FILES.sevenZip.sha1, indicatorType: 'FileSha1', action: 'Block' });
    const res = await deliberate([{ type: 'sha1', value: SEED_FILES.sevenZip.sha1 }]);
    expect(dispositions(res.body.data.verdicts.docs)).toEqual([['sha1', SEED_FILES.sevenZip.sha1, 2, 'Malicious']]);
    expect((res.body.data.judgements.docs as Judgement[]).map((j) => [j.priority, j.disposition_name])).toEqual([
      [95, 'Malicious'],
      [90, 'Clean'],
    ]);
  });

  it('nothing known → {"data":{}}: unknown values, Unknown determinations, other types, other tenants, other indicator types', async () => {
    addIndicator({ id: '904', indicatorValue: `http://${SEED_NETWORK.c2Ip}/`, indicatorType: 'Url', action: 'Block' });
    addIndicator({ id: '905', indicatorValue: SEED_NETWORK.c2Ip, indicatorType: 'Url', action: 'Block' });
    expect(relay.sandbox.state.tenant(OTHER_TENANT_ID).indicators.map((i) => i.indicatorValue)).toContain(SEED_NETWORK.otherTenantDomain);
    const res = await deliberate([
      { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { type: 'sha256', value: SEED_FILES.svcUpdater.sha256 },
      { type: 'sha1', value: SEED_FILES.svcUpdater.sha1 },
      { type: 'domain', value: 'unknown-e2e.example' },
      { type: 'ip', value: SEED_NETWORK.c2Ip },
      { type: 'ipv6', value: '2001:db8::1' },
      { type: 'domain', value: SEED_NETWORK.otherTenantDomain },
      { type: 'url', value: 'http://unknown-e2e.example/x' },
      { type: 'ms_machine_id', value: '985ecec0d21c0c98890573e3a094474a2b6dbf6a' },
      { type: 'hostname', value: 'fin-wks-017' },
      { type: 'user', value: 'CONTOSODEMO\\jdoe' },
    ]);
    expect(res.body).toEqual({ data: {} });
    // Host names, users and machine ids have nothing to judge: no call is made for them.
    expect(relay.sandbox.stats.count('indicators.list', DEMO_TENANT_ID)).toBe(8);
  });

  it('judges a URL by its custom indicator, as a domain', async () => {
    const res = await deliberate([{ type: 'url', value: SEED_NETWORK.phishingUrl }]);
    expect(res.body.errors).toBeUndefined();
    checkCtim(res.body.data);
    expect(dispositions(res.body.data.verdicts.docs)).toEqual([['url', SEED_NETWORK.phishingUrl, 3, 'Suspicious']]);
  });

  it('an empty list → {"data":{}} without calling Defender', async () => {
    expect((await deliberate([])).body).toEqual({ data: {} });
    expect(relay.sandbox.stats.count() - relay.sandbox.stats.count('token')).toBe(0);
  });

  it('looks indicators up with a quoted OData literal of the normalised value', async () => {
    await deliberate([{ type: 'domain', value: 'Blocked-E2E.Example.' }]);
    expect(relay.sandbox.stats.entries('indicators.list').map((e) => e.query.$filter)).toEqual(["indicatorValue eq 'blocked-e2e.example'"]);
  });

  describe('partial results', () => {
    it('the file profile refused: the indicator verdict is kept, with the error', async () => {
      // A file whose profile this relay has not cached yet (profiles may be cached across requests).
      const shell = SEED_FILES.webShell.sha256;
      addIndicator({ id: '906', indicatorValue: shell, indicatorType: 'FileSha256', action: 'BlockAndRemediate' });
      const message = 'The application does not have any of the required application permissions (File.Read.All) to access the resource.';
      relay.sandbox.faults.add({ route: 'files.get', status: 403, body: { error: { code: 'Forbidden', message, target: 'e2e' } } });
      const res = await deliberate([{ type: 'sha256', value: shell }]);
      expect(relay.sandbox.stats.count('files.get')).toBe(1);
      expect(res.body.errors).toEqual([{ type: 'fatal', code: 'permission denied', message: `Microsoft Defender for Endpoint refused the request: ${message}` }]);
      checkCtim(res.body.data);
      expect(dispositions(res.body.data.verdicts.docs)).toEqual([['sha256', shell, 2, 'Malicious']]);
      expect(res.body.data.judgements.docs).toHaveLength(1);
      expect(res.body.data.judgements.docs[0].external_ids).toEqual(['906']);
    });

    it('indicators throttled: file determinations are kept, with a precise error', async () => {
      relay.sandbox.faults.add({ route: 'indicators.list', status: 429, retryAfter: 60 });
      const res = await deliberate([
        { type: 'sha1', value: DROPPER.sha1 },
        { type: 'ip', value: SEED_NETWORK.partnerVpnIp },
      ]);
      expect(res.body.errors).toEqual([
        {
          type: 'fatal',
          code: 'too many requests',
          message: 'Too many requests to Microsoft Defender for Endpoint have been made. Please, try again later: API calls quota exceeded! maximum allowed 100 per 00:01:00 (retry after 60 s)',
        },
      ]);
      checkCtim(res.body.data);
      expect(dispositions(res.body.data.verdicts.docs)).toEqual([['sha1', DROPPER.sha1, 2, 'Malicious']]);
    });
  });
});
