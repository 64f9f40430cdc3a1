import { RelayError } from '@app/common';
import { TileDataRequestPipe, TileRequestPipe } from './tile.pipe';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof RelayError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a RelayError');
}

describe('tile request pipes', () => {
  const data = new TileDataRequestPipe();

  it('pass a known tile and period, reading nothing else', () => {
    expect({ ...data.transform({ tile_id: 'device-posture', period: 'last_7_days', extra: { deep: [1] } }) }).toEqual({ tile_id: 'device-posture', period: 'last_7_days' });
    expect({ ...new TileRequestPipe().transform({ tile_id: 'alerts-summary' }) }).toEqual({ tile_id: 'alerts-summary' });
  });

  it('call an unknown tile or period an invalid request, naming the known ones', () => {
    expect(failure(() => data.transform({ tile_id: 'nope', period: 'last_hour' }))).toEqual({
      code: 'invalid request',
      message: "Unknown tile_id 'nope'; POST /tiles lists the tiles: alerts-summary, alerts-over-time, top-alerted-devices, alerts-by-detection-source, device-posture, response-activity",
    });
    expect(failure(() => data.transform({ tile_id: 'alerts-summary', period: 'today' })).code).toBe('invalid request');
  });

  it('call a body of the wrong shape an invalid payload (a type is checked before the value)', () => {
    expect(failure(() => data.transform({ tile_id: 7, period: 'last_hour' }))).toEqual({ code: 'invalid payload', message: "Invalid JSON payload received: 'tile_id' must be a string" });
    expect(failure(() => data.transform({ tile_id: 'alerts-summary', period: ['last_hour'] })).message).toBe("Invalid JSON payload received: 'period' must be a string");
    expect(failure(() => data.transform('alerts-summary')).message).toBe("Invalid JSON payload received: expected an object with 'tile_id' and 'period'");
    expect(failure(() => new TileRequestPipe().transform(null)).code).toBe('invalid payload');
  });
});
