import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmailSchema, emailDigest, normaliseEmail } from '../../../../functions/core/identity/email';
import { PasswordSchema, PresentedPasswordSchema } from '../../../../functions/core/identity/password-policy';

describe('email', () => {
  it('normalises by trimming and lower-casing', () => {
    expect(EmailSchema.parse('  Ann.Lee@Example.COM ')).toBe('ann.lee@example.com');
    expect(normaliseEmail(' A@B.CO ')).toBe('a@b.co');
  });

  it.each([
    '',
    'ann',
    'ann@',
    '@example.com',
    'ann@example',
    'ann lee@example.com',
    `${'a'.repeat(250)}@x.com`,
  ])('rejects %j with a message naming the expected form', (value) => {
    const result = EmailSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/email|at most/);
  });

  it('digests the normalised form, so case and spaces do not matter', () => {
    expect(emailDigest(' Ann@Example.com')).toBe(emailDigest('ann@example.com'));
    expect(emailDigest('ann@example.com')).toMatch(/^[0-9a-f]{64}$/);
    expect(emailDigest('ann@example.com')).not.toBe(emailDigest('bob@example.com'));
  });
});

describe('password policy', () => {
  it('accepts 12 to 256 characters', () => {
    expect(PasswordSchema.safeParse('a'.repeat(12)).success).toBe(true);
    expect(PasswordSchema.safeParse('a'.repeat(256)).success).toBe(true);
  });

  it('rejects 11 characters with a clear message', () => {
    const result = PasswordSchema.safeParse('a'.repeat(11));
    expect(result.error?.issues.map((i) => i.message)).toEqual(['must be at least 12 characters']);
  });

  it('rejects more than 256 characters', () => {
    expect(PasswordSchema.safeParse('a'.repeat(257)).error?.issues[0]?.message).toBe(
      'must be at most 256 characters',
    );
  });

  it('counts code points: twelve emoji are twelve characters', () => {
    expect(PasswordSchema.safeParse('🔐'.repeat(12)).success).toBe(true);
    expect(PasswordSchema.safeParse('🔐'.repeat(6)).success).toBe(false);
  });

  it('agrees with a code-point count for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (value) => {
        const length = [...value].length;
        expect(PasswordSchema.safeParse(value).success).toBe(length >= 12 && length <= 256);
      }),
    );
  });

  it('lets any non-empty password be presented at sign-in (no policy leak)', () => {
    expect(PresentedPasswordSchema.safeParse('short').success).toBe(true);
    expect(PresentedPasswordSchema.safeParse('').success).toBe(false);
  });
});
