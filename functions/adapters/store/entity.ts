import type * as z from 'zod';
import type { IndexName } from '../../contracts/table-definition';

/** The keys of one item: the table's own, and optionally each GSI's. */
export interface ItemKeys {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
}

/**
 * A kind of item in the single table: its schema (the one source of its type), which fields are encrypted with
 * the keyring, and how its keys are built from the tenant and the item. One module per entity under `keys/`.
 */
export interface Entity<S extends z.ZodObject = z.ZodObject> {
  name: string;
  schema: S;
  /** Fields stored as keyring ciphertext (DynamoDB Binary), bound to the item's pk/sk and the field name. */
  encrypted: readonly (keyof z.infer<S> & string)[];
  keys(tenantId: string, item: z.infer<S>): ItemKeys;
  /** Epoch seconds after which DynamoDB may delete the item (the table's TTL attribute), if any. */
  expiresAt?(item: z.infer<S>): number | undefined;
}

export interface QueryOptions {
  index?: IndexName;
  /** Partition key value (of the table or of `index`); must carry the tenant prefix. */
  partition: string;
  /** Sort key prefix, for `begins_with`. */
  sortKeyPrefix?: string;
  /** Inclusive sort-key range (ignored when `sortKeyPrefix` is set). */
  sortKeyBetween?: readonly [string, string];
  /** Equality filters on plaintext attributes, applied after the key condition (a page may come back short). */
  equals?: Readonly<Record<string, string>>;
  limit: number;
  cursor?: string;
  /** Newest first when sort keys are time-ordered. */
  descending?: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque; present when there may be more. */
  cursor?: string;
}
