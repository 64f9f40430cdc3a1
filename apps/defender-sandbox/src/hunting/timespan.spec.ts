import { parseTimespan, TimespanError } from './timespan';

describe('Graph hunting Timespan', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const at = (iso: string) => Date.parse(iso);
  const DAY = 86_400_000;

  it.each([
    ['P30D', { start: now - 30 * DAY, end: now }],
    ['PT12H', { start: now - 12 * 3_600_000, end: now }],
    ['P1W', { start: now - 7 * DAY, end: now }],
    ['P1DT2H30M15.5S', { start: now - DAY - 2 * 3_600_000 - 30 * 60_000 - 15_500, end: now }],
    ['2026-11-01T08:00:00Z', { start: at('2026-11-01T08:00:00Z'), end: now }],
    ['2026-11-01T08:00:00Z/2026-11-15T08:00:00Z', { start: at('2026-11-01T08:00:00Z'), end: at('2026-11-15T08:00:00Z') }],
    ['P2D/2026-11-15T08:00:00Z', { start: at('2026-11-13T08:00:00Z'), end: at('2026-11-15T08:00:00Z') }],
    ['2026-11-01T08:00:00Z/P1D', { start: at('2026-11-01T08:00:00Z'), end: at('2026-11-02T08:00:00Z') }],
    ['2026-11-01', { start: at('2026-11-01T00:00:00Z'), end: now }],
  ])('reads %s as Microsoft documents it', (value, window) => {
    expect(parseTimespan(value, now)).toEqual(window);
  });

  it.each([
    ['30 days', 'is not an ISO 8601 date'],
    ['P', 'is not an ISO 8601 duration'],
    ['PT', 'is not an ISO 8601 duration'],
    ['P1M', 'is not an ISO 8601 duration'],
    ['P1Y', 'is not an ISO 8601 duration'],
    ['P99999D', 'is longer than'],
    ['P1D/P2D', 'gives no date'],
    ['a/b/c', 'is not a time span'],
    ['2026-11-15T00:00:00Z/2026-11-01T00:00:00Z', 'ends before it starts'],
    ['2026-13-45T00:00:00Z', 'is not an ISO 8601 date'],
  ])('refuses %s', (value, message) => {
    expect(() => parseTimespan(value, now)).toThrow(TimespanError);
    expect(() => parseTimespan(value, now)).toThrow(message);
  });
});
