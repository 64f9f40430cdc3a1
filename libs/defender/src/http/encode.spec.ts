import { RelayError } from '@app/common';
import { apiPath } from './encode';

const BASE = 'https://api.security.microsoft.com/api/';

/** The path Node's WHATWG URL parser (as axios and fetch use it) makes of `users/{value}/alerts`. */
const requested = (value: string) => new URL(BASE + apiPath`users/${value}/alerts`).pathname;

describe('apiPath', () => {
  it.each(['', '.', '..'])('refuses %j, which URL parsing would drop or collapse, naming it', (value) => {
    expect(() => apiPath`users/${value}/alerts`).toThrow(RelayError);
    expect(() => apiPath`users/${value}/alerts`).toThrow(`${JSON.stringify(value)} cannot name anything in a Microsoft Defender for Endpoint path`);
  });

  it.each(['%2e', '%2E', '.%2e', '%2e.', '%2E%2E', '%2e%2E', '.%2E', '%252e%252e', '...', ' .. ', '..\\', './', '../', '/..', '..%2f', '\t..', '.\n.', '\u3002\u3002', '\uff0e\uff0e'])(
    'keeps %j inside its own segment, however URL parsing reads it',
    (value) => {
      const path = requested(value);
      expect(path.startsWith('/api/users/')).toBe(true);
      expect(path.endsWith('/alerts')).toBe(true);
      expect(path.split('/')).toHaveLength(5);
      expect(decodeURIComponent(path.split('/')[3])).toBe(value);
    },
  );

  it('encodes every value as one segment and leaves the literal parts alone', () => {
    expect(apiPath`machines/${'a/b?c#d'}/alerts`).toBe('machines/a%2Fb%3Fc%23d/alerts');
    expect(apiPath`files/${'abc'}`).toBe('files/abc');
    expect(apiPath`indicators/${13}`).toBe('indicators/13');
  });
});
