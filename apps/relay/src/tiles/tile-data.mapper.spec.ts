import { alertsByDetectionSource, alertsOverTime, portalLinks, responseActivity, sourceLabel, tileFrame, topAlertedDevices } from './tile-data.mapper';
import { AlertStats } from './tile-stats';

const TENANT = 'dad06cfa-6552-4c43-af40-7cc2de5fd068';
const links = portalLinks('https://security.microsoft.us', TENANT);
const counts = (High = 0, Medium = 0, Low = 0, Informational = 0) => ({ High, Medium, Low, Informational });
const status = (New = 0, InProgress = 0, Resolved = 0, Unknown = 0) => ({ New, InProgress, Resolved, Unknown });

const STATS: AlertStats = {
  window: { start: Date.parse('2026-11-18T12:00:00Z'), end: Date.parse('2026-11-25T12:00:00Z') },
  unit: 'day',
  total: 4,
  severity: counts(2, 1, 0, 1),
  status: status(3, 0, 1),
  buckets: [{ start: Date.parse('2026-11-25T00:00:00Z'), severity: counts(2, 1, 0, 1) }],
  devices: [{ id: 'ab'.repeat(20), name: 'pc-1', total: 4, severity: counts(2, 1, 0, 1) }],
  sources: [
    { source: 'WindowsDefenderAtp', total: 3, status: status(2, 0, 1) },
    { source: 'Bitdefender', total: 1, status: status(1) },
  ],
};

describe('tile data mapping', () => {
  it('links into the cloud’s portal, pinned to the tenant', () => {
    expect(links.alerts).toBe(`https://security.microsoft.us/alerts?tid=${TENANT}`);
    expect(links.device('ab'.repeat(20))).toBe(`https://security.microsoft.us/machines/${'ab'.repeat(20)}/overview?tid=${TENANT}`);
    expect(portalLinks('https://security.microsoft.com', 'contoso.onmicrosoft.com&x=1').devices).toBe('https://security.microsoft.com/machines?tid=contoso.onmicrosoft.com%26x%3D1');
  });

  it('frames the figures with the period they cover and how long they are reused', () => {
    expect(tileFrame(STATS.window, STATS.window.end, 60_000)).toEqual({
      valid_time: { start_time: '2026-11-25T12:00:00.000Z', end_time: '2026-11-25T12:01:00.000Z' },
      observed_time: { start_time: '2026-11-18T12:00:00.000Z', end_time: '2026-11-25T12:00:00.000Z' },
      cache_scope: 'org',
    });
  });

  it('stacks every bar by the four severities, zeros included, labelled by UTC day', () => {
    const chart = alertsOverTime(STATS, links);
    expect(chart.data).toEqual([
      {
        key: Date.parse('2026-11-25T00:00:00Z'),
        label: '2026-11-25',
        value: 4,
        values: [
          { key: 'high', value: 2, tooltip: '2 High alerts (2026-11-25 UTC)', link_uri: links.alerts },
          { key: 'medium', value: 1, tooltip: '1 Medium alert (2026-11-25 UTC)', link_uri: links.alerts },
          { key: 'low', value: 0, tooltip: '0 Low alerts (2026-11-25 UTC)', link_uri: links.alerts },
          { key: 'informational', value: 1, tooltip: '1 Informational alert (2026-11-25 UTC)', link_uri: links.alerts },
        ],
      },
    ]);
    expect(topAlertedDevices(STATS, links).data[0]).toMatchObject({ key: 'ab'.repeat(20), label: 'pc-1', value: 4 });
    expect(topAlertedDevices(STATS, links).data[0].values[0].tooltip).toBe('2 High alerts on pc-1');
  });

  it('names detection sources as the portal does, keeps unknown ones, and leaves out empty status segments', () => {
    expect(sourceLabel('WindowsDefenderAv')).toBe('Antivirus');
    expect(alertsByDetectionSource(STATS, links)).toEqual({
      labels: [['EDR', 'Bitdefender'], ['New', 'In progress', 'Resolved', 'Unknown']],
      label_headers: ['Detection source', 'Status'],
      data: [
        { key: 0, value: 3, segments: [{ key: 0, value: 2, link_uri: links.alerts }, { key: 2, value: 1, link_uri: links.alerts }] },
        { key: 1, value: 1, segments: [{ key: 0, value: 1, link_uri: links.alerts }] },
      ],
    });
  });

  it('links machine action counts to the action center; indicators have no page to link to', () => {
    const { data } = responseActivity({ actions: { Pending: 1, Succeeded: 2, Failed: 0, Cancelled: 0 }, indicatorsAdded: 3 }, links);
    expect(data.map((m) => [m.label, m.value, m.link_uri])).toEqual([
      ['Pending', 1, links.actions],
      ['Succeeded', 2, links.actions],
      ['Failed', 0, links.actions],
      ['Cancelled', 0, links.actions],
      ['Indicators added', 3, undefined],
    ]);
  });
});
