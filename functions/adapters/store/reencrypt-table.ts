import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEY_ATTRIBUTES, TABLE_DEFINITION } from '../../contracts/table-definition';
import { ciphertextKeyId, type Keyring } from '../../platform/crypto/keyring';
import { DecryptionError } from '../../platform/errors';
import { forEachBounded } from '../keyring/bounded-concurrency';
import { isRegisteredField, sealField } from '../keyring/ciphertext-inventory';
import { countsOf, emptyFindings, notePlace, type PassFindings } from '../keyring/rotation-counts';
import { fieldAad } from './field-aad';
import { ENTITY_ATTRIBUTE } from './item-codec';

/** Partition of the table's maintenance bookkeeping; scans by maintenance jobs skip it. */
export const MAINTENANCE_PK = 'SYSTEM#maintenance';

const PK = TABLE_DEFINITION.partitionKey;
const SK = TABLE_DEFINITION.sortKey;
const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_CONCURRENCY = 8;
/** A hot item can lose the race a few times; after that it is left for the next (resumed) run. */
const MAX_ATTEMPTS_PER_ITEM = 3;

/**
 * Where a scan stopped. `save(undefined)` means the scan finished; `load()` then returns `undefined` and the
 * next run starts from the beginning. The key is opaque: store and return it unchanged.
 */
export interface ScanCheckpoint {
  load(): Promise<Record<string, unknown> | undefined>;
  save(lastKey: Record<string, unknown> | undefined): Promise<void>;
}

export interface ReencryptProgress {
  store: 'table';
  pages: number;
  done: boolean;
  findings: PassFindings;
}

export interface ReencryptTableOptions {
  /**
   * A document client works too: it shares the low-level client's configuration and middleware, and this job
   * sends low-level commands so binary and numeric attributes pass through without (un)marshalling.
   */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  keyring: Keyring;
  checkpoint: ScanCheckpoint;
  /** Items per Scan page; the checkpoint is saved after each page. */
  pageSize?: number;
  /** Items of a page worked on at once (default 8). */
  concurrency?: number;
  /** Only look: count and list the ciphertexts not under the primary key, write nothing. */
  inspectOnly?: boolean;
  onProgress?: (progress: ReencryptProgress) => void;
}

type Item = Record<string, AttributeValue>;

/** A field to rewrite: its attribute name and current ciphertext. */
export interface StaleField {
  attribute: string;
  ciphertext: Uint8Array;
  keyId: string;
}

/** The inventory store an item's counts go to. */
export const tableStore = (entity: string | undefined) => `table:${entity ?? '(no entity)'}`;

/**
 * Re-encrypts, under `keyring.primaryKeyId`, every ciphertext the inventory lists for the item's entity
 * (`TABLE_CIPHERTEXTS`) that is under another key. A maintenance job, so it Scans (consistently), page by page,
 * `concurrency` items at a time, saving the checkpoint after each page; rerunning with the same checkpoint
 * resumes after the last finished page (redoing a page is harmless: its rewritten fields are current by then).
 *
 * Each item is written with one UpdateItem conditioned on every rewritten attribute still holding the
 * ciphertext that was read, so a concurrent writer always wins; the item is then re-read and re-checked.
 * Plaintext attributes, binary attributes that are not ciphertexts, and nested values are never touched. A
 * ciphertext in an attribute the inventory does not list is left alone and reported as unregistered. A
 * ciphertext that does not decrypt aborts the run with a `DecryptionError` naming pk, sk and attribute.
 */
export async function reencryptTable(options: ReencryptTableOptions): Promise<PassFindings> {
  const { tableName, checkpoint } = options;
  const client = lowLevel(options.client);
  const findings = emptyFindings();
  let startKey = (await checkpoint.load()) as Item | undefined;
  let pages = 0;

  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        Limit: options.pageSize ?? DEFAULT_PAGE_SIZE,
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = (page.Items ?? []).filter((item) => item[PK]?.S !== MAINTENANCE_PK);
    await forEachBounded(items, options.concurrency ?? DEFAULT_CONCURRENCY, (item) =>
      reencryptItem(client, options, item, findings),
    );
    startKey = page.LastEvaluatedKey;
    if (!options.inspectOnly) await checkpoint.save(startKey);
    pages++;
    options.onProgress?.({ store: 'table', findings, pages, done: startKey === undefined });
  } while (startKey !== undefined);

  return findings;
}

/** The item's registered ciphertexts that are not under the primary key, how many are, and unregistered ones. */
export function staleFields(
  item: Item,
  keyring: Keyring,
): { stale: StaleField[]; current: number; unregistered: StaleField[] } {
  const stale: StaleField[] = [];
  const unregistered: StaleField[] = [];
  let current = 0;
  const entity = item[ENTITY_ATTRIBUTE]?.S;
  for (const [attribute, value] of Object.entries(item)) {
    if (KEY_ATTRIBUTES.includes(attribute) || value.B === undefined) continue;
    const keyId = ciphertextKeyId(value.B);
    if (keyId === undefined) continue;
    if (!isRegisteredField(entity, attribute)) unregistered.push({ attribute, ciphertext: value.B, keyId });
    else if (keyId === keyring.primaryKeyId) current++;
    else stale.push({ attribute, ciphertext: value.B, keyId });
  }
  return { stale, current, unregistered };
}

/**
 * The conditional UpdateItem that swaps each stale ciphertext for its replacement, and only if none of them
 * changed since it was read.
 */
export function reencryptionUpdate(
  tableName: string,
  key: Item,
  replacements: ReadonlyArray<{ attribute: string; old: Uint8Array; new: Uint8Array }>,
): UpdateItemCommandInput {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const sets: string[] = [];
  const conditions: string[] = [];
  replacements.forEach((r, i) => {
    names[`#a${i}`] = r.attribute;
    values[`:old${i}`] = { B: r.old };
    values[`:new${i}`] = { B: r.new };
    sets.push(`#a${i} = :new${i}`);
    conditions.push(`#a${i} = :old${i}`);
  });
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

async function reencryptItem(
  client: DynamoDBClient,
  options: ReencryptTableOptions,
  first: Item,
  findings: PassFindings,
): Promise<void> {
  const { tableName, keyring } = options;
  const entity = first[ENTITY_ATTRIBUTE]?.S;
  const counts = countsOf(findings, tableStore(entity));
  counts.scanned++;
  const pk: string | undefined = first[PK]?.S;
  const sk: string | undefined = first[SK]?.S;
  // Every item this system writes has string keys; anything else holds no field of ours.
  if (pk === undefined || sk === undefined) return;
  const where = (attribute: string) => `pk=${pk} sk=${sk} attribute=${attribute}`;
  const note = (fields: StaleField[], unregistered: boolean) => {
    for (const f of fields)
      notePlace(findings, {
        store: tableStore(entity),
        keyId: f.keyId,
        where: where(f.attribute),
        unregistered,
      });
  };
  const key: Item = { [PK]: { S: pk }, [SK]: { S: sk } };
  let item: Item | undefined = first;
  for (let attempt = 1; item !== undefined && attempt <= MAX_ATTEMPTS_PER_ITEM; attempt++) {
    const { stale, current, unregistered } = staleFields(item, keyring);
    if (attempt === 1 && unregistered.length > 0) {
      counts.unregistered += unregistered.length;
      note(unregistered, true);
    }
    if (stale.length === 0) {
      if (current > 0) counts.alreadyCurrent++;
      return;
    }
    if (options.inspectOnly) break;
    const replacements = stale.map((field) => ({
      attribute: field.attribute,
      old: field.ciphertext,
      new: reencryptField(keyring, entity as string, pk, sk, field),
    }));
    try {
      await client.send(new UpdateItemCommand(reencryptionUpdate(tableName, key, replacements)));
      counts.reencrypted++;
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      counts.conflicts++;
    }
    // The concurrent writer won; look at what it wrote (it may itself have used an old key).
    const fresh: GetItemCommandOutput = await client.send(
      new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    item = fresh.Item;
  }
  // Inspected, or lost every race: whatever the item now holds under old keys stays for the next run.
  if (item === undefined) return;
  const { stale, current } = staleFields(item, keyring);
  if (stale.length === 0) {
    if (current > 0) counts.alreadyCurrent++;
    return;
  }
  counts.stale++;
  note(stale, false);
}

function reencryptField(keyring: Keyring, entity: string, pk: string, sk: string, field: StaleField) {
  let plaintext: Buffer;
  try {
    plaintext = keyring.decrypt(field.ciphertext, fieldAad(pk, sk, field.attribute));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DecryptionError(
      `Cannot re-encrypt attribute '${field.attribute}' of item pk='${pk}' sk='${sk}': ${reason}`,
      error,
    );
  }
  try {
    return sealField(keyring, entity, { pk, sk }, field.attribute, plaintext);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * The resumable checkpoint of one rotation's pass over a store, kept in the table itself at
 * `pk = SYSTEM#maintenance`, `sk = ROTATION#<keyId>` (the table) or `ROTATION#<keyId>#<store>` (an object
 * store). Finishing deletes it.
 */
export function tableCheckpoint(
  client: DynamoDBClient | DynamoDBDocumentClient,
  tableName: string,
  keyId: string,
  store?: string,
): ScanCheckpoint {
  const ddb = lowLevel(client);
  const sk = store === undefined ? `ROTATION#${keyId}` : `ROTATION#${keyId}#${store}`;
  const key = { [PK]: { S: MAINTENANCE_PK }, [SK]: { S: sk } };
  return {
    async load() {
      const { Item } = await ddb.send(
        new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      return Item?.lastKey?.M;
    },
    async save(lastKey) {
      if (lastKey === undefined) {
        await ddb.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
        return;
      }
      await ddb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...key, lastKey: { M: lastKey as Item }, updatedAt: { S: new Date().toISOString() } },
        }),
      );
    },
  };
}

function lowLevel(client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBClient {
  // A DynamoDBDocumentClient is a Client over the same config and middleware stack; only its own commands
  // (un)marshall, so low-level commands sent through it behave exactly as through the DynamoDBClient.
  return client as unknown as DynamoDBClient;
}
