import type * as z from 'zod';
import { KEY_ATTRIBUTES, TABLE_DEFINITION } from '../../contracts/table-definition';
import type { Keyring } from '../../platform/crypto/keyring';
import { AppError } from '../../platform/errors';
import { sealField } from '../keyring/ciphertext-inventory';
import { decryptRecord } from '../keyring/decrypt-record';
import type { KeyringProvider } from '../secrets/secret-source';
import type { Entity, ItemKeys } from './entity';
import { fieldAad } from './field-aad';

/** A stored item that no longer matches its entity's schema. */
export class CorruptItemError extends AppError {
  constructor(entity: string, pk: string, sk: string, cause: unknown) {
    super('corrupt_item', `Stored ${entity} at ${pk} / ${sk} does not match its schema.`, { cause });
  }
}

/** The attribute naming an item's entity, as `DynamoStore` writes it. */
export const ENTITY_ATTRIBUTE = 'entity';

/** What encoding and decoding need of an entity; key building stays with the caller (global keys have no tenant). */
export type EntityCodec<S extends z.ZodObject = z.ZodObject> = Pick<
  Entity<S>,
  'name' | 'schema' | 'encrypted' | 'expiresAt'
>;

/**
 * An entity item as the table holds it — exactly the layout `DynamoStore.put` writes (keys, `entity`, TTL,
 * encrypted fields as keyring ciphertext bound to pk/sk/field) — for stores that must write it inside a
 * transaction. Items written here read back through `TenantStore.get`/`query`, and key rotation re-encrypts them.
 */
export function encodeItem<S extends z.ZodObject>(
  /** Needed only when the entity has encrypted fields, so stores can skip loading it otherwise. */
  keyring: Keyring | undefined,
  entity: EntityCodec<S>,
  keys: ItemKeys,
  item: z.infer<S>,
): Record<string, unknown> {
  const valid = entity.schema.parse(item) as Record<string, unknown>;
  const stored: Record<string, unknown> = { [ENTITY_ATTRIBUTE]: entity.name };
  for (const [name, value] of Object.entries(valid)) if (value !== undefined) stored[name] = value;
  Object.assign(stored, keys);
  const expiresAt = entity.expiresAt?.(valid as z.infer<S>);
  if (expiresAt !== undefined) stored[TABLE_DEFINITION.ttlAttribute] = expiresAt;
  for (const field of entity.encrypted) {
    if (valid[field] === undefined) continue;
    if (!keyring)
      throw new Error(`encodeItem: ${entity.name}.${field} is encrypted but no keyring was given`);
    stored[field] = encryptField(keyring, entity.name, keys, field, valid[field]);
  }
  return stored;
}

/**
 * One field's ciphertext, as `encodeItem` makes it (for updates of a single encrypted field). The field must be
 * registered in the ciphertext inventory, or key rotation would never see it.
 */
export function encryptField(
  keyring: Keyring,
  entity: string,
  keys: Pick<ItemKeys, 'pk' | 'sk'>,
  field: string,
  value: unknown,
) {
  return sealField(keyring, entity, keys, field, JSON.stringify(value));
}

/**
 * The entity read back from a stored item: keys and bookkeeping stripped, encrypted fields decrypted (reloading
 * the keyring once on a key id this process has not seen, i.e. a rotation since it was loaded; `decryptRecord`), schema-checked.
 * `undefined` if the item is of another entity, which callers treat as missing.
 */
export async function decodeItem<S extends z.ZodObject>(
  keyring: KeyringProvider,
  entity: EntityCodec<S>,
  stored: Record<string, unknown> | undefined,
): Promise<z.infer<S> | undefined> {
  if (!stored || stored[ENTITY_ATTRIBUTE] !== entity.name) return undefined;
  const pk = String(stored.pk);
  const sk = String(stored.sk);
  const item: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (KEY_ATTRIBUTES.includes(name) || name === ENTITY_ATTRIBUTE || name === TABLE_DEFINITION.ttlAttribute)
      continue;
    item[name] = value;
  }
  for (const field of entity.encrypted) {
    const value = item[field];
    if (value === undefined) continue;
    if (!(value instanceof Uint8Array))
      throw new CorruptItemError(entity.name, pk, sk, `${field} is not ciphertext`);
    const record = `${entity.name}.${field} of item ${pk} / ${sk}`;
    const plaintext = await decryptRecord(keyring, value, fieldAad(pk, sk, field), record);
    item[field] = JSON.parse(plaintext.toString('utf8'));
  }
  const parsed = entity.schema.safeParse(item);
  if (!parsed.success) throw new CorruptItemError(entity.name, pk, sk, parsed.error);
  return parsed.data as z.infer<S>;
}
