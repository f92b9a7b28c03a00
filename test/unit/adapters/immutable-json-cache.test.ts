import { describe, expect, it } from 'vitest';
import { cacheImmutableJson, type JsonReader } from '../../../functions/adapters/blobs/immutable-json-cache';

/** A reader over a map that counts its reads; `fail` makes the next read throw. */
function countingReader(objects: Record<string, unknown>) {
  const reads: string[] = [];
  let fail = false;
  const reader: JsonReader & { reads: string[]; failNext(): void } = {
    reads,
    failNext: () => {
      fail = true;
    },
    getJson: async (tenantId, key) => {
      reads.push(`${tenantId}:${key}`);
      if (fail) {
        fail = false;
        throw new Error('read failed');
      }
      return structuredClone(objects[key]);
    },
  };
  return reader;
}

const immutable = (key: string) => key.endsWith('.immutable');

describe('cacheImmutableJson', () => {
  it('reads an immutable object once per tenant and key', async () => {
    const reader = countingReader({ 'a.immutable': { items: [1, 2] } });
    const cache = cacheImmutableJson(reader, { isImmutable: immutable, maxChars: 1000 });
    expect(await cache.getJson('t1', 'a.immutable')).toEqual({ items: [1, 2] });
    expect(await cache.getJson('t1', 'a.immutable')).toEqual({ items: [1, 2] });
    await cache.getJson('t2', 'a.immutable');
    expect(reader.reads).toEqual(['t1:a.immutable', 't2:a.immutable']);
  });

  it('always reads objects that may change', async () => {
    const reader = countingReader({ 'transcript.json': { v: 1 } });
    const cache = cacheImmutableJson(reader, { isImmutable: immutable, maxChars: 1000 });
    await cache.getJson('t1', 'transcript.json');
    await cache.getJson('t1', 'transcript.json');
    expect(reader.reads).toHaveLength(2);
  });

  it('shares one read between concurrent callers, and does not keep a failed read', async () => {
    const reader = countingReader({ 'a.immutable': { v: 1 }, 'b.immutable': { v: 2 } });
    const cache = cacheImmutableJson(reader, { isImmutable: immutable, maxChars: 1000 });
    await Promise.all([cache.getJson('t1', 'a.immutable'), cache.getJson('t1', 'a.immutable')]);
    expect(reader.reads).toHaveLength(1);

    reader.failNext();
    await expect(cache.getJson('t1', 'b.immutable')).rejects.toThrow('read failed');
    await cache.getJson('t1', 'b.immutable');
    expect(reader.reads).toEqual(['t1:a.immutable', 't1:b.immutable', 't1:b.immutable']);
  });

  it('returns frozen values, so no caller can change what the next one reads', async () => {
    const reader = countingReader({ 'a.immutable': { items: [{ done: false }] } });
    const cache = cacheImmutableJson(reader, { isImmutable: immutable, maxChars: 1000 });
    const value = (await cache.getJson('t1', 'a.immutable')) as { items: { done: boolean }[] };
    expect(() => {
      (value.items[0] as { done: boolean }).done = true;
    }).toThrow(TypeError);
    expect(await cache.getJson('t1', 'a.immutable')).toEqual({ items: [{ done: false }] });
  });

  it('evicts the least recently used objects beyond its bound and never keeps one larger than it', async () => {
    const big = { text: 'x'.repeat(40) }; // 50 characters as JSON
    const reader = countingReader({
      'a.immutable': big,
      'b.immutable': big,
      'c.immutable': big,
      'huge.immutable': { text: 'y'.repeat(200) },
    });
    const cache = cacheImmutableJson(reader, { isImmutable: immutable, maxChars: 120 });
    await cache.getJson('t', 'a.immutable');
    await cache.getJson('t', 'b.immutable');
    await cache.getJson('t', 'a.immutable'); // a is now the most recent
    await cache.getJson('t', 'c.immutable'); // 150 > 120: b goes
    reader.reads.length = 0;
    await cache.getJson('t', 'a.immutable');
    await cache.getJson('t', 'c.immutable');
    expect(reader.reads).toEqual([]);
    await cache.getJson('t', 'b.immutable');
    expect(reader.reads).toEqual(['t:b.immutable']);

    reader.reads.length = 0;
    await cache.getJson('t', 'huge.immutable');
    await cache.getJson('t', 'huge.immutable');
    expect(reader.reads).toEqual(['t:huge.immutable', 't:huge.immutable']);
  });
});
