import { keepVerifiedBearer, wellFormedBearer } from './bearer';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (payload: Record<string, unknown>, alg = 'HS256') => `${part({ alg, typ: 'JWT' })}.${part(payload)}.c2ln`;

describe('wellFormedBearer', () => {
  it('answers a header the guard verified from memory, and decodes one it did not verify every time', () => {
    const header = `Bearer ${token({ client_id: 'a' })}`;
    const first = wellFormedBearer(header);
    expect(first.payload).toEqual({ client_id: 'a' });
    expect(Object.isFrozen(first.payload)).toBe(true);
    expect(wellFormedBearer(header)).not.toBe(first);
    keepVerifiedBearer(header, first);
    expect(wellFormedBearer(header)).toBe(first);
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
