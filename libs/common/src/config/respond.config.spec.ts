import { loadRelayConfig } from './relay-config';
import { loadRespondConfig, parseIsoDuration } from './respond.config';
import { problems } from '../../test-support/config-problems';

const DAY = 24 * 3_600_000;

describe('respond config', () => {
  it('defaults: 25 devices per quarantine, no tags, indicators without expiration, severity override or scope', () => {
    expect(loadRespondConfig({})).toEqual({ quarantineMaxDevices: 25, deviceTags: [], indicatorRbacGroups: [], alertsApi: 'defender', alertTriageMax: 100, listingCacheMs: 0 });
    expect(loadRelayConfig({}).respond).toEqual(loadRespondConfig({}));
  });

  it('reads every variable, trimming list entries and normalising severity and duration case', () => {
    expect(
      loadRespondConfig({
        QUARANTINE_MAX_DEVICES: ' 3 ',
        DEVICE_TAGS: ' XDR-Contained , XDR-Investigating,, ',
        INDICATOR_EXPIRATION: 'p30d',
        INDICATOR_SEVERITY: 'medium',
        INDICATOR_RBAC_GROUPS: 'Servers,Finance laptops',
        ALERTS_API: 'Graph',
        ALERT_ASSIGNEE: ' soc-lead@contoso.example ',
        ALERT_TRIAGE_MAX: '250',
        RESPOND_LISTING_CACHE_MS: '5000',
      }),
    ).toEqual({
      quarantineMaxDevices: 3,
      deviceTags: ['XDR-Contained', 'XDR-Investigating'],
      indicatorExpiration: { iso: 'P30D', ms: 30 * DAY },
      indicatorSeverity: 'Medium',
      indicatorRbacGroups: ['Servers', 'Finance laptops'],
      alertsApi: 'graph',
      alertAssignee: 'soc-lead@contoso.example',
      alertTriageMax: 250,
      listingCacheMs: 5000,
    });
  });

  it.each([
    ['P30D', 30 * DAY],
    ['PT12H', 12 * 3_600_000],
    ['P1W', 7 * DAY],
    ['P1DT6H30M', DAY + 6.5 * 3_600_000],
    ['PT90S', 90_000],
  ])('parses the duration %s', (text, ms) => expect(parseIsoDuration(text)).toBe(ms));

  it.each(['30d', 'P', 'PT', 'P0D', 'P1Y', 'P2M', 'P1DT', '-P1D', 'P1.5D'])('refuses the duration %s', (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
  });

  it.each<[Record<string, string>, string]>([
    [{ QUARANTINE_MAX_DEVICES: 'many' }, "QUARANTINE_MAX_DEVICES: must be a whole number of devices (got 'many')"],
    [{ QUARANTINE_MAX_DEVICES: '0' }, "QUARANTINE_MAX_DEVICES: must be at least 1 (got '0')"],
    [{ QUARANTINE_MAX_DEVICES: '1001' }, "QUARANTINE_MAX_DEVICES: must be at most 1000 (got '1001')"],
    [
      { INDICATOR_EXPIRATION: '30 days' },
      "INDICATOR_EXPIRATION: must be an ISO-8601 duration of weeks, days, hours, minutes or seconds, such as P30D or PT12H, up to P3650D (got '30 days')",
    ],
    [
      { INDICATOR_EXPIRATION: 'P4000D' },
      "INDICATOR_EXPIRATION: must be an ISO-8601 duration of weeks, days, hours, minutes or seconds, such as P30D or PT12H, up to P3650D (got 'P4000D')",
    ],
    [{ INDICATOR_SEVERITY: 'Critical' }, "INDICATOR_SEVERITY: must be one of Informational, Low, Medium, High (got 'Critical')"],
    [{ DEVICE_TAGS: 'A,b,a' }, "DEVICE_TAGS: 'a' is listed twice"],
    [{ ALERTS_API: 'rest' }, "ALERTS_API: must be one of defender, graph (got 'rest')"],
    [{ ALERT_TRIAGE_MAX: '0' }, "ALERT_TRIAGE_MAX: must be at least 1 (got '0')"],
    [{ ALERT_TRIAGE_MAX: '1001' }, "ALERT_TRIAGE_MAX: must be at most 1000 (got '1001')"],
    [{ ALERT_TRIAGE_MAX: 'all' }, "ALERT_TRIAGE_MAX: must be a whole number of alerts (got 'all')"],
    [{ RESPOND_LISTING_CACHE_MS: '-1' }, "RESPOND_LISTING_CACHE_MS: must be 0 (off) or more (got '-1')"],
    [{ RESPOND_LISTING_CACHE_MS: '60001' }, "RESPOND_LISTING_CACHE_MS: must be at most 60000 (one minute) (got '60001')"],
    [{ RESPOND_LISTING_CACHE_MS: '5s' }, "RESPOND_LISTING_CACHE_MS: must be a whole number of milliseconds (got '5s')"],
    [{ ALERT_ASSIGNEE: 'x'.repeat(321) }, `ALERT_ASSIGNEE: must be at most 320 characters (an account name or e-mail address) (got '${'x'.repeat(40)}`],
    [{ ALERT_ASSIGNEE: 'soc\u0007lead' }, 'ALERT_ASSIGNEE: must not contain control characters'],
    [{ INDICATOR_RBAC_GROUPS: `ok,${'g'.repeat(257)}` }, `INDICATOR_RBAC_GROUPS: each entry must be at most 256 characters (got '${'g'.repeat(40)}…')`],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(problems(() => loadRespondConfig(env))).toEqual([expect.stringContaining(message)]);
    expect(problems(() => loadRelayConfig(env))).toEqual([expect.stringContaining(message)]);
  });

  it('an empty ALERT_ASSIGNEE means no assignee', () => {
    expect(loadRespondConfig({ ALERT_ASSIGNEE: '  ' }).alertAssignee).toBeUndefined();
  });

  it('lists every bad variable at once', () => {
    expect(problems(() => loadRespondConfig({ INDICATOR_SEVERITY: 'x', INDICATOR_EXPIRATION: 'y', DEVICE_TAGS: 'a,A' }))).toHaveLength(3);
  });
});
