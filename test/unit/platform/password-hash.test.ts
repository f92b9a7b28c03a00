import { describe, expect, it } from 'vitest';
import { createPasswordHasher, OWASP_SCRYPT } from '../../../functions/platform/crypto/password-hash';

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
  });

  it('dummyVerify costs about what a real verify costs', async () => {
    const slow = createPasswordHasher({ logN: 15 });
    const hash = await slow.hash(PASSWORD);
    const time = async (run: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 4; i += 1) await run();
      return Number(process.hrtime.bigint() - start);
    };
    await slow.dummyVerify(PASSWORD);
    const real = await time(() => slow.verify('wrong password here', hash));
    const dummy = await time(() => slow.dummyVerify('wrong password here'));
    expect(dummy / real).toBeGreaterThan(0.5);
    expect(dummy / real).toBeLessThan(2);
  }, 60_000);

  it('asks for a rehash when stored parameters are weaker than configured, or the hash is malformed', async () => {
    const weak = await createPasswordHasher({ logN: 14 }).hash(PASSWORD);
    const current = createPasswordHasher({ logN: 15 });
    expect(current.needsRehash(weak)).toBe(true);
    expect(current.needsRehash(await current.hash(PASSWORD))).toBe(false);
    expect(current.needsRehash(weak.replace('ln=14', 'ln=16'))).toBe(false);
    expect(current.needsRehash(weak.replace('r=8', 'r=4'))).toBe(true);
    expect(current.needsRehash('garbage')).toBe(true);
  });

  it('refuses a configured cost outside the supported range', () => {
    expect(() => createPasswordHasher({ logN: 8 })).toThrow(RangeError);
  });
});
