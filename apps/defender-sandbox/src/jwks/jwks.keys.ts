import { generateKeyPairSync, JsonWebKey, KeyObject, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface JwksSignOptions {
  /** Key id for the header; defaults to the first key. An unknown kid is put in the header as given. */
  kid?: string;
  /** Seconds or a `ms`-style string ("5m"); omitted → no `exp` claim. */
  expiresIn?: jwt.SignOptions['expiresIn'];
  /** RS256 by default; `none` gives an unsigned token, HS* needs `secret`. */
  alg?: jwt.Algorithm;
  /** Shared secret for HS256/384/512. */
  secret?: string;
}

export interface JwksHelper {
  /** The key ids served at /.well-known/jwks. */
  readonly kids: string[];
  /** Signs a configuration token with the sandbox's private key (RS256 unless told otherwise). */
  sign(payload: object, options?: JwksSignOptions): string;
  /** The JWKS document served at /.well-known/jwks. */
  document(): { keys: JsonWebKey[] };
}

interface KeyPair {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
}

/**
 * The RSA key pairs of one sandbox (2048-bit, like a real JWKS host), generated on first use:
 * most sandboxes only ever see HS256 tokens, and a key pair costs a noticeable slice of CPU.
 */
export async function createJwksHelper(count = 2): Promise<JwksHelper> {
  let generated: KeyPair[] | undefined;
  const pairs = (): KeyPair[] =>
    (generated ??= Array.from({ length: count }, () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = randomUUID();
      return { kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
    }));

  return {
    get kids() {
      return pairs().map((p) => p.kid);
    },
    document: () => ({ keys: pairs().map((p) => ({ ...p.publicJwk })) }),
    sign(payload: object, options: JwksSignOptions = {}): string {
      const alg = options.alg ?? 'RS256';
      const kid = options.kid ?? pairs()[0].kid;
      const signOptions: jwt.SignOptions = { algorithm: alg, keyid: kid };
      if (options.expiresIn !== undefined) signOptions.expiresIn = options.expiresIn;
      if (alg === 'none') return jwt.sign(payload, null, { ...signOptions, algorithm: 'none' });
      if (alg.startsWith('HS')) {
        if (!options.secret) throw new TypeError(`${alg} needs options.secret`);
        return jwt.sign(payload, options.secret, signOptions);
      }
      const pair = pairs().find((p) => p.kid === kid) ?? pairs()[0];
      return jwt.sign(payload, pair.privateKey, signOptions);
    },
  };
}
