import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt parameters: cost `N = 2^logN`, block size `r`, parallelism `p`. */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

export interface PasswordHasherOptions {
  /** From config `auth.scryptLogN`: 17 in production (OWASP), lower only in tests. */
  logN: number;
}

/** OWASP Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1. */
export const OWASP_SCRYPT: ScryptParams = { logN: 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 64;
// Bounds on what `verify` accepts from a stored hash, so a corrupt record cannot make us allocate gigabytes.
const LIMITS = { logN: [10, 22], r: [1, 32], p: [1, 16], keyBytes: [16, 128], saltBytes: [8, 64] } as const;
const FORMAT =
  /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

const within = (value: number, [min, max]: readonly [number, number]) => value >= min && value <= max;

/** The scrypt memory need is 128·N·r bytes; node refuses above `maxmem` (default 32 MiB), so allow twice that. */
function scryptOptions(params: ScryptParams): ScryptOptions {
  const N = 2 ** params.logN;
  return { N, r: params.r, p: params.p, maxmem: 2 * 128 * N * params.r };
}

function derive(password: string, salt: Buffer, keyBytes: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Async scrypt runs on the libuv pool, so hashing does not block the event loop.
    scrypt(normalise(password), salt, keyBytes, scryptOptions(params), (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** NIST SP 800-63B: the same password typed on two keyboards (composed vs decomposed accents) must match. */
function normalise(password: string): string {
  return password.normalize('NFKC');
}

function encode(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return `scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** The parts of a stored hash, or `undefined` if it is not one we made (or is out of bounds). */
function parse(hash: string): ParsedHash | undefined {
  const match = FORMAT.exec(hash);
  if (!match) return undefined;
  const [, ln, r, p, salt64, key64] = match;
  const parsed: ParsedHash = {
    logN: Number(ln),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt64 ?? '', 'base64'),
    key: Buffer.from(key64 ?? '', 'base64'),
  };
  const valid =
    within(parsed.logN, LIMITS.logN) &&
    within(parsed.r, LIMITS.r) &&
    within(parsed.p, LIMITS.p) &&
    within(parsed.key.length, LIMITS.keyBytes) &&
    within(parsed.salt.length, LIMITS.saltBytes);
  return valid ? parsed : undefined;
}

/**
 * Password hashing with scrypt (`node:crypto`), OWASP parameters by default. Hashes are self-describing —
 * `scrypt$ln=17,r=8,p=1$<salt b64>$<key b64>`, 16-byte random salt, 64-byte key — so a hash is always verified
 * with the parameters it was made with, and `needsRehash` spots hashes weaker than today's settings.
 * Comparison is constant-time; `verify` of a malformed hash is `false`, never an exception.
 */
export function createPasswordHasher(options: PasswordHasherOptions) {
  const params: ScryptParams = { ...OWASP_SCRYPT, logN: options.logN };
  if (!within(params.logN, LIMITS.logN))
    throw new RangeError(`scrypt logN must be in ${LIMITS.logN.join('–')}`);
  // Random, never matching anything: a dummy verification derives a key exactly as a real one does.
  const dummy: ParsedHash = { ...params, salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_BYTES) };

  const check = async (password: string, stored: ParsedHash): Promise<boolean> => {
    const key = await derive(password, stored.salt, stored.key.length, stored);
    return timingSafeEqual(key, stored.key);
  };

  return {
    params,

    async hash(password: string): Promise<string> {
      const salt = randomBytes(SALT_BYTES);
      return encode(params, salt, await derive(password, salt, KEY_BYTES, params));
    },

    async verify(password: string, hash: string): Promise<boolean> {
      const stored = parse(hash);
      if (!stored) return false;
      try {
        return await check(password, stored);
      } catch {
        // Only reachable for a hash whose parameters node rejects: a corrupt record, which verifies nothing.
        return false;
      }
    },

    async dummyVerify(password: string): Promise<void> {
      await check(password, dummy);
    },

    needsRehash(hash: string): boolean {
      const stored = parse(hash);
      return (
        !stored ||
        stored.logN < params.logN ||
        stored.r < params.r ||
        stored.p < params.p ||
        stored.key.length < KEY_BYTES ||
        stored.salt.length < SALT_BYTES
      );
    },
  };
}

export type PasswordHashing = ReturnType<typeof createPasswordHasher>;
