import { scrypt, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPasswordHasher, OWASP_SCRYPT } from '../../../functions/platform/crypto/password-hash';

// node's own scrypt and timingSafeEqual behind spies: every test still hashes for real, and the ones about cost
// and comparison read the calls instead of timing them.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt), timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const scryptCalls = vi.mocked(scrypt);
const comparisons = vi.mocked(timingSafeEqual);

/** What one scrypt call costs: everything but the password and the salt's bytes. */
function costOf(call: Parameters<typeof scrypt> | undefined) {
  const [, salt, keyBytes, options] = call ?? [];
  return { saltBytes: Buffer.from(salt as Buffer).length, keyBytes, options };
}

afterEach(() => {
  scryptCalls.mockReset();
  comparisons.mockReset();
});

// logN 14 keeps these fast; the parameters themselves are asserted separately.
const hasher = createPasswordHasher({ logN: 14 });
const PASSWORD = 'correct horse battery staple';

describe('password hashing (scrypt)', () => {
  it('defaults to the OWASP parameters', () => {
    expect(OWASP_SCRYPT).toEqual({ logN: 17, r: 8, p: 1 });
    expect(createPasswordHasher({ logN: 17 }).params).toEqual({ logN: 17, r: 8, p: 1 });
  });

  it('writes a self-describing hash with a 16-byte salt and a 64-byte key', async () => {
    const hash = await hasher.hash(PASSWORD);
    const match = /^scrypt\$ln=14,r=8,p=1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
    expect(match).not.toBeNull();
    expect(Buffer.from(match?.[1] ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(match?.[2] ?? '', 'base64')).toHaveLength(64);
    expect(hash).not.toContain(PASSWORD);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hasher.hash(PASSWORD)).not.toBe(await hasher.hash(PASSWORD));
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash(PASSWORD);
    expect(await hasher.verify(PASSWORD, hash)).toBe(true);
    expect(await hasher.verify(`${PASSWORD}!`, hash)).toBe(false);
    expect(await hasher.verify('', hash)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, not the current ones', async () => {
    const old = await createPasswordHasher({ logN: 14 }).hash(PASSWORD);
    const stronger = createPasswordHasher({ logN: 15 });
    expect(await stronger.verify(PASSWORD, old)).toBe(true);
  });

  it('treats composed and decomposed accents as the same password (NFKC)', async () => {
    const hash = await hasher.hash('caf\u00e9 au lait, please');
    expect(await hasher.verify('cafe\u0301 au lait, please', hash)).toBe(true);
  });

  it('returns false, never throws, for malformed or out-of-bounds hashes', async () => {
    const good = await hasher.hash(PASSWORD);
    const malformed = [
      '',
      'not a hash',
      'bcrypt$2b$12$abc',
      good.replace('scrypt$', 'scrypt2$'),
      good.replace('ln=14', 'ln=40'),
      good.replace('ln=14', 'ln=5'),
      good.replace('r=8', 'r=99'),
      good.split('$').slice(0, 3).join('$'),
      `${good}$extra`,
      good.replace(/\$[^$]+$/, '$QUJD'),
    ];
    for (const hash of malformed) expect(await hasher.verify(PASSWORD, hash)).toBe(false);
  });

  it('dummyVerify derives a key like verify does and resolves without matching anything', async () => {
    await expect(hasher.dummyVerify(PASSWORD)).resolves.toBeUndefined();
    expect(comparisons).toHaveLastReturnedWith(false);
  });

  // What login relies on so that its answer time does not tell whether an email has an account: an unknown
  // email costs one scrypt with the same N, r, p, salt and key length as checking a real user's password.
  it('dummyVerify runs one scrypt costing exactly what verifying a current hash costs', async () => {
    const hash = await hasher.hash(PASSWORD);
    scryptCalls.mockClear();
    await hasher.verify('wrong password here', hash);
    expect(scryptCalls).toHaveBeenCalledTimes(1);
    const real = costOf(scryptCalls.mock.calls[0]);

    scryptCalls.mockClear();
    await hasher.dummyVerify('wrong password here');
    expect(scryptCalls).toHaveBeenCalledTimes(1);
    expect(costOf(scryptCalls.mock.calls[0])).toEqual(real);
    expect(real).toMatchObject({ saltBytes: 16, keyBytes: 64, options: { N: 2 ** 14, r: 8, p: 1 } });
  });

  it('dummyVerify ends in the same constant-time comparison as verify, over keys of the same length', async () => {
    const hash = await hasher.hash(PASSWORD);
    await hasher.verify('wrong password here', hash);
    await hasher.dummyVerify('wrong password here');
    expect(comparisons).toHaveBeenCalledTimes(2);
    const lengths = comparisons.mock.calls.map(([a, b]) => [a.byteLength, b.byteLength]);
    expect(lengths).toEqual([
      [64, 64],
      [64, 64],
    ]);
  });

  it('decides with timingSafeEqual alone, comparing the derived key with the stored one', async () => {
    const hash = await hasher.hash(PASSWORD);
    const storedKey = Buffer.from(hash.split('$').at(-1) ?? '', 'base64');
    comparisons.mockClear();
    // If the verdict came from anything but this comparison, forcing it would not change the answer.
    comparisons.mockReturnValueOnce(true);
    expect(await hasher.verify('wrong password here', hash)).toBe(true);
    expect(comparisons).toHaveBeenCalledTimes(1);
    expect(Buffer.from(comparisons.mock.calls[0]?.[1] as Buffer)).toEqual(storedKey);
    comparisons.mockReturnValueOnce(false);
    expect(await hasher.verify(PASSWORD, hash)).toBe(false);
  });

  it('runs scrypt with the OWASP parameters at the production cost, for hash, verify and dummyVerify', async () => {
    // Stands in for the 128 MiB derivation at N = 2^17: only the parameters it is asked for matter here.
    scryptCalls.mockImplementation(((...args: unknown[]) => {
      const callback = args.at(-1) as (error: Error | null, key: Buffer) => void;
      callback(null, Buffer.alloc(args[2] as number, 1));
    }) as typeof scrypt);
    const production = createPasswordHasher({ logN: OWASP_SCRYPT.logN });
    const hash = await production.hash(PASSWORD);
    expect(hash.startsWith('scrypt$ln=17,r=8,p=1$')).toBe(true);
    await production.verify(PASSWORD, hash);
    await production.dummyVerify(PASSWORD);

    expect(scryptCalls).toHaveBeenCalledTimes(3);
    for (const call of scryptCalls.mock.calls) {
      const cost = costOf(call);
      expect(cost).toMatchObject({ saltBytes: 16, keyBytes: 64, options: { N: 2 ** 17, r: 8, p: 1 } });
      // Node refuses a derivation needing more than `maxmem`; 128·N·r bytes is what N = 2^17, r = 8 needs.
      expect(cost.options?.maxmem).toBeGreaterThanOrEqual(128 * 2 ** 17 * 8);
    }
  });

  it('asks for a rehash when stored parameters are weaker than configured, or the hash is malformed', async () => {
    const weak = await createPasswordHasher({ logN: 14 }).hash(PASSWORD);
    const current = createPasswordHasher({ logN: 15 });
    expect(current.needsRehash(weak)).toBe(true);
    expect(current.needsRehash(await current.hash(PASSWORD))).toBe(false);
    expect(current.needsRehash(weak.replace('ln=14', 'ln=16'))).toBe(false);
    expect(current.needsRehash(weak.replace('r=8', 'r=4'))).toBe(true);
    expect(current.needsRehash('garbage')).toBe(true);
  });

  it('reads every stored parameter up to its bound and none past it (no scrypt runs: parsing only)', () => {
    const current = createPasswordHasher({ logN: 14 });
    const stored = (ln: number, r: number, p: number, saltBytes: number, keyBytes: number) =>
      `scrypt$ln=${ln},r=${r},p=${p}$${Buffer.alloc(saltBytes, 1).toString('base64')}$${Buffer.alloc(keyBytes, 2).toString('base64')}`;
    // Every parameter at its upper bound is a hash we could have made, at least as strong as today's.
    expect(current.needsRehash(stored(22, 32, 16, 64, 128))).toBe(false);
    expect(current.needsRehash(stored(14, 8, 1, 16, 64))).toBe(false);
    // One past a bound, or weaker than today in any one parameter, is not.
    for (const hash of [
      stored(23, 8, 1, 16, 64),
      stored(14, 33, 1, 16, 64),
      stored(14, 8, 17, 16, 64),
      stored(14, 8, 1, 65, 64),
      stored(14, 8, 1, 16, 129),
      stored(14, 7, 1, 16, 64),
      stored(14, 8, 1, 15, 64),
      stored(14, 8, 1, 16, 63),
    ]) {
      expect(current.needsRehash(hash)).toBe(true);
    }
    expect(createPasswordHasher({ logN: 14 }).params).toEqual({ logN: 14, r: 8, p: 1 });
    expect(current.needsRehash(stored(14, 8, 2, 16, 64))).toBe(false);
    expect(createPasswordHasher({ logN: 15 }).needsRehash(stored(14, 8, 2, 16, 64))).toBe(true);
  });

  it('refuses a configured cost outside the supported range, naming it', () => {
    expect(() => createPasswordHasher({ logN: 8 })).toThrow(new RangeError('scrypt logN must be in 10–22'));
    expect(() => createPasswordHasher({ logN: 23 })).toThrow(RangeError);
    expect(createPasswordHasher({ logN: 22 }).params.logN).toBe(22);
  });
});
