import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../functions/adapters/store/cursor';
import { createKeyring, generateKeyringKey } from '../../../functions/platform/crypto/keyring';
import { InvalidCursorError } from '../../../functions/platform/errors';

const keyring = createKeyring({ keys: [generateKeyringKey('k1')] });
const lastKey = { pk: 'T#firm-a#CLIENTS', sk: 'CLIENT#0042' };

describe('pagination cursors', () => {
  it('round-trips the last evaluated key and reveals nothing of it', () => {
    const cursor = encodeCursor(keyring, 'firm-a|table', lastKey);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('firm-a');
    expect(decodeCursor(keyring, 'firm-a|table', cursor)).toEqual(lastKey);
  });

  it('rejects a cursor issued for another scope (another tenant or list)', () => {
    const cursor = encodeCursor(keyring, 'firm-a|table', lastKey);
    expect(() => decodeCursor(keyring, 'firm-b|table', cursor)).toThrow(InvalidCursorError);
  });

  it('rejects any single-character change', () => {
    const cursor = encodeCursor(keyring, 's', lastKey);
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(...'AZaz09-_'), (index, ch) => {
        fc.pre(cursor[index] !== ch);
        const tampered = cursor.slice(0, index) + ch + cursor.slice(index + 1);
        // The last base64url character may carry padding bits only; decoding to the same bytes is not tampering.
        fc.pre(Buffer.from(tampered, 'base64url').compare(Buffer.from(cursor, 'base64url')) !== 0);
        expect(() => decodeCursor(keyring, 's', tampered)).toThrow(InvalidCursorError);
      }),
    );
  });

  it.each(['', 'not base64!', 'x'.repeat(3000), 'AAAA'])('rejects garbage %#', (garbage) => {
    expect(() => decodeCursor(keyring, 's', garbage)).toThrow(InvalidCursorError);
  });
});
