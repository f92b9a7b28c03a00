import * as z from 'zod';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Length in Unicode code points, as NIST SP 800-63B counts it (an emoji is one character, not two). */
const codePoints = (value: string) => [...value].length;

/**
 * A new password: 12 to 256 characters, nothing else required (NIST SP 800-63B: length beats composition
 * rules). The upper bound keeps hashing cost bounded.
 */
export const PasswordSchema = z
  .string()
  .refine((value) => codePoints(value) >= PASSWORD_MIN_LENGTH, {
    message: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
    abort: true,
  })
  .refine((value) => codePoints(value) <= PASSWORD_MAX_LENGTH, {
    message: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  });

/**
 * A password presented at sign-in: any non-empty string up to the maximum. The policy is not re-checked, so a
 * wrong guess of any length gets the same answer as any other wrong guess.
 */
export const PresentedPasswordSchema = z
  .string()
  .min(1, 'is required')
  .refine((value) => codePoints(value) <= PASSWORD_MAX_LENGTH, {
    message: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  });
