import { outcomeOf } from './request-metrics';

describe('outcomeOf', () => {
  it('is ok for data, for data with warnings only, and for bodies that are not envelopes', () => {
    expect(outcomeOf(200, { data: [] })).toBe('ok');
    expect(outcomeOf(200, { data: [], errors: [{ type: 'warning', code: 'invalid payload', message: 'skipped' }] })).toBe('ok');
    expect(outcomeOf(200, { version: '1.0.0' })).toBe('ok');
    expect(outcomeOf(200, null)).toBe('ok');
  });

  it('is partial when data comes with an error, and error when an error comes alone', () => {
    expect(outcomeOf(200, { data: [], errors: [{ type: 'fatal', code: 'too many requests', message: 'x' }] })).toBe('partial');
    expect(outcomeOf(200, { errors: [{ type: 'fatal', code: 'permission denied', message: 'x' }] })).toBe('error');
  });

  it('is client_error for any 4xx answer, whatever its body', () => {
    expect(outcomeOf(404, { statusCode: 404, message: 'Not Found' })).toBe('client_error');
    expect(outcomeOf(405, { errors: [{ type: 'fatal' }] })).toBe('client_error');
  });
});
