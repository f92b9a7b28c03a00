import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { readBodyCapped } from '../../../lib/local/request-body';

describe('readBodyCapped', () => {
  it('returns the whole body when it fits', async () => {
    const result = await readBodyCapped(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4);
    expect(result).toEqual({ kind: 'ok', body: Buffer.from('abcd') });
  });

  it('stops at the first chunk past the limit', async () => {
    const result = await readBodyCapped(Readable.from([Buffer.alloc(3), Buffer.alloc(3)]), 5);
    expect(result).toEqual({ kind: 'too_large', receivedBytes: 6 });
  });

  it('refuses at once when the declared length is over the limit', async () => {
    const result = await readBodyCapped(Readable.from([]), 5, 6);
    expect(result.kind).toBe('too_large');
  });

  it('drains the rest of an oversize body instead of leaving it unread', async () => {
    const stream = Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]);
    await readBodyCapped(stream, 5);
    await finished(stream);
    expect(stream.readableEnded).toBe(true);
  });
});
