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
import { isCiphertext, type Keyring } from '../../platform/crypto/keyring';
import { DecryptionError } from '../../platform/errors';
import { fieldAad } from './field-aad';
import { KEY_ATTRIBUTES, TABLE_DEFINITION } from './table-definition';

/** Partition of the table's maintenance bookkeeping; scans by maintenance jobs skip it. */
export const MAINTENANCE_PK = 'SYSTEM#maintenance';

const PK = TABLE_DEFINITION.partitionKey;
const SK = TABLE_DEFINITION.sortKey;
const DEFAULT_PAGE_SIZE = 100;
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

/** Per-item counts. An item that lost a race and then succeeded counts once in each of the two columns. */
export interface ReencryptCounts {
  /** Items read (the checkpoint item excluded). */
  scanned: number;
  /** Items rewritten because at least one field was under an old key. */
  reencrypted: number;
  /** Fields rewritten across those items. */
  reencryptedFields: number;
  /** Items that held ciphertext, all of it already under the primary key. */
  alreadyCurrent: number;
  /** Conditional writes lost to a concurrent writer (the item is then re-read and re-checked). */
  conflicts: number;
}

export interface ReencryptProgress extends ReencryptCounts {
  pages: number;
  done: boolean;
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
  onProgress?: (progress: ReencryptProgress) => void;
}

type Item = Record<string, AttributeValue>;

/** A field to rewrite: its attribute name and current ciphertext. */
export interface StaleField {
  attribute: string;
  ciphertext: Uint8Array;
  keyId: string;
}

/**
 * Re-encrypts, under `keyring.primaryKeyId`, every top-level Binary attribute that is a keyring ciphertext
 * under another key. A maintenance job, so it Scans (consistently), page by page, saving the checkpoint after
 * each page; rerunning with the same checkpoint resumes after the last finished page (redoing a page is
 * harmless: its rewritten fields are current by then).
 *
 * Each item is written with one UpdateItem conditioned on every rewritten attribute still holding the
 * ciphertext that was read, so a concurrent writer always wins; the item is then re-read and re-checked.
 * Plaintext attributes, binary attributes that are not ciphertexts, and nested values are never touched.
 * A ciphertext that does not decrypt aborts the run with a `DecryptionError` naming pk, sk and attribute.
 */
export async function reencryptTable(options: ReencryptTableOptions): Promise<ReencryptCounts> {
  const { tableName, keyring, checkpoint } = options;
  const client = lowLevel(options.client);
  const counts: ReencryptCounts = {
    scanned: 0,
    reencrypted: 0,
    reencryptedFields: 0,
    alreadyCurrent: 0,
    conflicts: 0,
  };
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
    for (const item of page.Items ?? []) {
      if (item[PK]?.S === MAINTENANCE_PK) continue;
      counts.scanned++;
      await reencryptItem(client, tableName, keyring, item, counts);
    }
    startKey = page.LastEvaluatedKey;
    await checkpoint.save(startKey);
    pages++;
    options.onProgress?.({ ...counts, pages, done: startKey === undefined });
  } while (startKey !== undefined);

  return counts;
}

/** The item's top-level ciphertexts that are not under the primary key, and how many are. */
export function staleFields(item: Item, keyring: Keyring): { stale: StaleField[]; current: number } {
  const stale: StaleField[] = [];
  let current = 0;
  for (const [attribute, value] of Object.entries(item)) {
    if (KEY_ATTRIBUTES.includes(attribute) || value.B === undefined || !isCiphertext(value.B)) continue;
    const keyId = keyring.keyIdOf(value.B);
    if (keyId === keyring.primaryKeyId) current++;
    else stale.push({ attribute, ciphertext: value.B, keyId });
  }
  return { stale, current };
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
  tableName: string,
  keyring: Keyring,
  first: Item,
  counts: ReencryptCounts,
): Promise<void> {
  let item: Item | undefined = first;
  for (let attempt = 1; item !== undefined && attempt <= MAX_ATTEMPTS_PER_ITEM; attempt++) {
    const pk: string | undefined = item[PK]?.S;
    const sk: string | undefined = item[SK]?.S;
    // Every item this system writes has string keys; anything else holds no field of ours.
    if (pk === undefined || sk === undefined) return;
    const { stale, current } = staleFields(item, keyring);
    if (stale.length === 0) {
      if (current > 0) counts.alreadyCurrent++;
      return;
    }
    const replacements = stale.map((field) => ({
      attribute: field.attribute,
      old: field.ciphertext,
      new: reencryptField(keyring, pk, sk, field),
    }));
    const key: Item = { [PK]: { S: pk }, [SK]: { S: sk } };
    try {
      await client.send(new UpdateItemCommand(reencryptionUpdate(tableName, key, replacements)));
      counts.reencrypted++;
      counts.reencryptedFields += replacements.length;
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
}

function reencryptField(keyring: Keyring, pk: string, sk: string, field: StaleField): Uint8Array {
  const aad = fieldAad(pk, sk, field.attribute);
  let plaintext: Buffer;
  try {
    plaintext = keyring.decrypt(field.ciphertext, aad);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DecryptionError(
      `Cannot re-encrypt attribute '${field.attribute}' of item pk='${pk}' sk='${sk}': ${reason}`,
      error,
    );
  }
  try {
    return keyring.encrypt(plaintext, aad);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * The resumable checkpoint of one rotation, kept in the table itself at `pk = SYSTEM#maintenance`,
 * `sk = ROTATION#<keyId>`. Finishing deletes it.
 */
export function tableCheckpoint(
  client: DynamoDBClient | DynamoDBDocumentClient,
  tableName: string,
  keyId: string,
): ScanCheckpoint {
  const ddb = lowLevel(client);
  const key = { [PK]: { S: MAINTENANCE_PK }, [SK]: { S: `ROTATION#${keyId}` } };
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
