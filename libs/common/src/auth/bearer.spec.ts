import { wellFormedBearer } from './bearer';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (payload: Record<string, unknown>, alg = 'HS256') => `${part({ alg, typ: 'JWT' })}.${part(payload)}.c2ln`;

describe('wellFormedBearer', () => {
  it('decodes a header once and answers the same parts when it comes again', () => {
    const first = wellFormedBearer(`Bearer ${token({ client_id: 'a' })}`);
    expect(first.payload).toEqual({ client_id: 'a' });
    expect(wellFormedBearer(`Bearer ${token({ client_id: 'a' })}`)).toBe(first);
    expect(Object.isFrozen(first.payload)).toBe(true);
  });

  it('decodes a token that differs in one byte afresh', () => {
    const a = wellFormedBearer(`Bearer ${token({ client_id: 'b' })}`);
    const b = wellFormedBearer(`Bearer ${token({ client_id: 'c' })}`);
    expect([a.payload.client_id, b.payload.client_id]).toEqual(['b', 'c']);
  });

  it('refuses a bad bearer every time it comes', () => {
    const none = `Bearer ${token({ client_id: 'd' }, 'none')}`;
    for (let i = 0; i < 2; i++) {
      expect(() => wellFormedBearer(none)).toThrow("JWT algorithm 'none' is not accepted; use HS256 or RS256");
      expect(() => wellFormedBearer('Bearer a.b')).toThrow('Wrong JWT structure');
      expect(() => wellFormedBearer(undefined)).toThrow('Authorization header is missing');
    }
  });
});
