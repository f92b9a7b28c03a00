import * as z from 'zod';
import type { Keyring } from '../../platform/crypto/keyring';
import { DecryptionError, InvalidCursorError } from '../../platform/errors';
import { sealTransient } from '../keyring/ciphertext-inventory';

const MAX_CURSOR_CHARS = 2048;
const CursorTextSchema = z
  .string()
  .max(MAX_CURSOR_CHARS)
  .regex(/^[A-Za-z0-9_-]+$/);
const LastKeySchema = z.record(z.string(), z.union([z.string(), z.number()]));

export type LastEvaluatedKey = z.infer<typeof LastKeySchema>;

function scopeAad(scope: string): string {
  return `cursor\u0000${scope}`;
}

/**
 * Pagination cursors are the query's LastEvaluatedKey sealed with the keyring: opaque to callers (no key
 * structure leaks), and bound to the query's scope (tenant, index, partition) so a tampered cursor, or one issued
 * for another tenant or list, fails authentication and answers 400.
 */
export function encodeCursor(keyring: Keyring, scope: string, lastKey: LastEvaluatedKey): string {
  const sealed = sealTransient(keyring, 'pagination-cursor', JSON.stringify(lastKey), scopeAad(scope));
  return Buffer.from(sealed).toString('base64url');
}

export function decodeCursor(keyring: Keyring, scope: string, cursor: string): LastEvaluatedKey {
  if (!CursorTextSchema.safeParse(cursor).success) throw new InvalidCursorError();
  try {
    const plaintext = keyring.decryptString(Buffer.from(cursor, 'base64url'), scopeAad(scope));
    return LastKeySchema.parse(JSON.parse(plaintext));
  } catch (error) {
    if (error instanceof DecryptionError || error instanceof SyntaxError || error instanceof z.ZodError) {
      throw new InvalidCursorError(error);
    }
    throw error;
  }
}
