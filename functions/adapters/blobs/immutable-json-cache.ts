/** A reader of JSON objects by key, as the meeting handlers use it. */
export interface JsonReader {
  getJson(tenantId: string, key: string): Promise<unknown>;
}

export interface ImmutableJsonCacheOptions {
  /** Keys whose objects never change once written (content-addressed); only these are cached. */
  isImmutable(key: string): boolean;
  /** Bound on the cached JSON text, in UTF-16 code units (≈ bytes for this content); the oldest go first. */
  maxChars: number;
}

/**
 * Keeps recently read immutable objects in this warm instance, so a burst of writes against one meeting reads
 * and decrypts its extraction once instead of once per request. Values are deep-frozen: a caller that tried to
 * change a shared value would throw instead of corrupting the next request's. Entries are per tenant and key,
 * and a key is only ever read after the caller's own access check on the record that names it.
 */
export function cacheImmutableJson(reader: JsonReader, options: ImmutableJsonCacheOptions): JsonReader {
  const entries = new Map<string, { value: unknown; chars: number }>();
  const inFlight = new Map<string, Promise<unknown>>();
  let total = 0;

  const remember = (id: string, value: unknown) => {
    const chars = (JSON.stringify(value) ?? '').length;
    if (chars > options.maxChars) return;
    entries.set(id, { value: deepFreeze(value), chars });
    total += chars;
    for (const [oldest, entry] of entries) {
      if (total <= options.maxChars) break;
      entries.delete(oldest);
      total -= entry.chars;
    }
  };

  return {
    async getJson(tenantId, key) {
      if (!options.isImmutable(key)) return reader.getJson(tenantId, key);
      const id = `${tenantId}\u0000${key}`;
      const hit = entries.get(id);
      if (hit) {
        // Most recently used last, so eviction takes the coldest.
        entries.delete(id);
        entries.set(id, hit);
        return hit.value;
      }
      const pending = inFlight.get(id);
      if (pending) return pending;
      const read = reader.getJson(tenantId, key).then(
        (value) => {
          inFlight.delete(id);
          if (!entries.has(id)) remember(id, value);
          return entries.get(id)?.value ?? deepFreeze(value);
        },
        (error: unknown) => {
          inFlight.delete(id);
          throw error;
        },
      );
      inFlight.set(id, read);
      return read;
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
