import { openToken, sealToken } from './token-crypto';

const creds = { tenantId: 't', clientId: 'c', clientSecret: 'the-secret' };

describe('token sealing for Redis', () => {
  it('round-trips for the same credentials and never stores the token in clear', () => {
    const sealed = sealToken('eyJ.access.token', creds, 'defender', 'salt');
    expect(sealed).not.toContain('access');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('access.token');
    expect(openToken(sealed, creds, 'defender', 'salt')).toBe('eyJ.access.token');
  });

  it('does not open for another secret, audience, salt, or a tampered value', () => {
    const sealed = sealToken('tok', creds, 'defender', 'salt');
    expect(openToken(sealed, { ...creds, clientSecret: 'other' }, 'defender', 'salt')).toBeUndefined();
    expect(openToken(sealed, creds, 'graph', 'salt')).toBeUndefined();
    expect(openToken(sealed, creds, 'defender', 'other-salt')).toBeUndefined();
    const tampered = Buffer.from(sealed, 'base64');
    tampered[tampered.length - 1] ^= 1;
    expect(openToken(tampered.toString('base64'), creds, 'defender', 'salt')).toBeUndefined();
    expect(openToken('garbage', creds, 'defender', 'salt')).toBeUndefined();
  });
});
