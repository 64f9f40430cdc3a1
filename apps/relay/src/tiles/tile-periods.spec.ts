import { bucketStarts, bucketUnit, inWindow, periodWindow } from './tile-periods';

const at = (iso: string) => Date.parse(iso);
const isos = (starts: number[]) => starts.map((s) => new Date(s).toISOString());

describe('tile periods', () => {
  const now = at('2026-11-25T12:34:56.789Z');

  it('end now and reach back the period, both ends included', () => {
    expect(periodWindow('last_hour', now)).toEqual({ start: at('2026-11-25T11:34:56.789Z'), end: now });
    expect(periodWindow('last_30_days', now).start).toBe(at('2026-10-26T12:34:56.789Z'));
    const day = periodWindow('last_24_hours', now);
    expect([inWindow(day.start, day), inWindow(now, day), inWindow(day.start - 1, day), inWindow(now + 1, day), inWindow(Number.NaN, day)]).toEqual([true, true, false, false, false]);
  });

  it('count hours for the hour and the day, days for the week and the month', () => {
    expect(['last_hour', 'last_24_hours', 'last_7_days', 'last_30_days'].map((p) => bucketUnit(p as 'last_hour'))).toEqual(['hour', 'hour', 'day', 'day']);
  });

  it('bucket by UTC hour or day, the first and last partial', () => {
    expect(isos(bucketStarts(periodWindow('last_hour', now), 'hour'))).toEqual(['2026-11-25T11:00:00.000Z', '2026-11-25T12:00:00.000Z']);
    const day = bucketStarts(periodWindow('last_24_hours', now), 'hour');
    expect(day).toHaveLength(25);
    expect(isos([day[0], day[24]])).toEqual(['2026-11-24T12:00:00.000Z', '2026-11-25T12:00:00.000Z']);
    const week = bucketStarts(periodWindow('last_7_days', now), 'day');
    expect(isos([week[0], week[7]])).toEqual(['2026-11-18T00:00:00.000Z', '2026-11-25T00:00:00.000Z']);
    expect(week).toHaveLength(8);
    expect(bucketStarts(periodWindow('last_30_days', now), 'day')).toHaveLength(31);
  });

  it('on the hour exactly, the last bucket is the one starting now', () => {
    const onTheHour = at('2026-11-25T12:00:00.000Z');
    expect(isos(bucketStarts(periodWindow('last_hour', onTheHour), 'hour'))).toEqual(['2026-11-25T11:00:00.000Z', '2026-11-25T12:00:00.000Z']);
  });
});
