import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DynamoStore, TenantIsolationError } from '../../functions/adapters/store/dynamo-store';
import type { Entity } from '../../functions/adapters/store/entity';
import { tenantPrefix } from '../../functions/adapters/store/keys/tenant-prefix';
import { createKeyring, generateKeyringKey } from '../../functions/platform/crypto/keyring';
import { ConflictError, InvalidCursorError, NotFoundError } from '../../functions/platform/errors';
import { ensureLocalTable } from '../../lib/local/create-local-table';
import { type DynamoEngine, localDynamoClient, startDynamoEngine } from '../../lib/local/dynamo-engine';

/** A throwaway entity shaped like the real ones: tenant-keyed, with an encrypted field and a GSI. */
const NoteSchema = z.object({
  noteId: z.string(),
  owner: z.string(),
  title: z.string(),
  body: z.object({ text: z.string(), tags: z.array(z.string()) }),
});
const Note: Entity<typeof NoteSchema> = {
  name: 'test-note',
  schema: NoteSchema,
  encrypted: ['body'],
  keys: (tenantId, note) => ({
    pk: `${tenantPrefix(tenantId)}NOTES`,
    sk: `NOTE#${note.noteId}`,
    gsi1pk: `${tenantPrefix(tenantId)}OWNER#${note.owner}`,
    gsi1sk: `NOTE#${note.noteId}`,
  }),
};

const TABLE = 'store-test';
let engine: DynamoEngine;
let raw: DynamoDBDocumentClient;
let store: DynamoStore;
const keyring = createKeyring({ keys: [generateKeyringKey('k1')] });

beforeAll(async () => {
  engine = await startDynamoEngine();
  const client = localDynamoClient(engine.endpoint);
  await ensureLocalTable(client, TABLE);
  raw = DynamoDBDocumentClient.from(client);
  store = new DynamoStore({
    client: raw,
    tableName: TABLE,
    keyring: { load: async () => keyring, reload: async () => keyring },
    now: () => Date.now(),
  });
});

afterAll(async () => {
  await engine?.stop();
});

const note = (i: number, owner = 'adv-1') => ({
  noteId: String(i).padStart(4, '0'),
  owner,
  title: `Note ${i}`,
  body: { text: `Client said their SSN is 123-45-67${String(i).padStart(2, '0')}`, tags: ['private'] },
});

describe('DynamoStore against DynamoDB Local', () => {
  it('round-trips an item and stores the encrypted field only as ciphertext', async () => {
    const firm = store.forTenant('firm-a');
    await firm.put(Note, note(1));
    expect(await firm.get(Note, { pk: 'T#firm-a#NOTES', sk: 'NOTE#0001' })).toEqual(note(1));
    const { Item } = await raw.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'T#firm-a#NOTES', sk: 'NOTE#0001' } }),
    );
    expect(Item?.body).toBeInstanceOf(Uint8Array);
    expect(JSON.stringify(Item)).not.toContain('123-45-67');
    expect(Item?.title).toBe('Note 1');
  });

  it('answers another tenant’s key as missing and refuses to read through it', async () => {
    const other = store.forTenant('firm-b');
    await expect(other.get(Note, { pk: 'T#firm-a#NOTES', sk: 'NOTE#0001' })).rejects.toThrow(
      TenantIsolationError,
    );
    expect(await other.get(Note, { pk: 'T#firm-b#NOTES', sk: 'NOTE#0001' })).toBeUndefined();
  });

  it('refuses to write an item whose keys belong to another tenant', async () => {
    const crooked: Entity<typeof NoteSchema> = {
      ...Note,
      keys: (_t, n) => ({ pk: 'T#firm-a#NOTES', sk: `NOTE#${n.noteId}` }),
    };
    await expect(store.forTenant('firm-b').put(crooked, note(99))).rejects.toThrow(TenantIsolationError);
  });

  it('pages through a partition with opaque cursors and no duplicates', async () => {
    const firm = store.forTenant('firm-c');
    for (let i = 1; i <= 7; i += 1) await firm.put(Note, note(i));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await firm.query(Note, {
        partition: 'T#firm-c#NOTES',
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((n) => n.noteId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['0001', '0002', '0003', '0004', '0005', '0006', '0007']);
  });

  it('queries a GSI partition, newest first', async () => {
    const firm = store.forTenant('firm-d');
    for (const i of [1, 2, 3]) await firm.put(Note, note(i, i === 2 ? 'adv-2' : 'adv-1'));
    const page = await firm.query(Note, {
      index: 'gsi1',
      partition: 'T#firm-d#OWNER#adv-1',
      limit: 10,
      descending: true,
    });
    expect(page.items.map((n) => n.noteId)).toEqual(['0003', '0001']);
  });

  it('rejects a tampered cursor and a cursor from another tenant with InvalidCursorError', async () => {
    const firmC = store.forTenant('firm-c');
    const page = await firmC.query(Note, { partition: 'T#firm-c#NOTES', limit: 2 });
    const cursor = page.cursor as string;
    const tampered = `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    await expect(
      firmC.query(Note, { partition: 'T#firm-c#NOTES', limit: 2, cursor: tampered }),
    ).rejects.toThrow(InvalidCursorError);
    await expect(
      store.forTenant('firm-e').query(Note, { partition: 'T#firm-e#NOTES', limit: 2, cursor }),
    ).rejects.toThrow(InvalidCursorError);
  });

  it('refuses a query on another tenant’s partition', async () => {
    await expect(
      store.forTenant('firm-b').query(Note, { partition: 'T#firm-c#NOTES', limit: 2 }),
    ).rejects.toThrow(TenantIsolationError);
  });

  it('makes ifNotExists a conflict, and deleting a missing item not-found', async () => {
    const firm = store.forTenant('firm-f');
    await firm.put(Note, note(1), { ifNotExists: true });
    await expect(firm.put(Note, note(1), { ifNotExists: true })).rejects.toThrow(ConflictError);
    await firm.delete(Note, { pk: 'T#firm-f#NOTES', sk: 'NOTE#0001' });
    await expect(firm.delete(Note, { pk: 'T#firm-f#NOTES', sk: 'NOTE#0001' })).rejects.toThrow(NotFoundError);
  });

  it('reloads the keyring once when an item was written under a key rotated in after its cold start', async () => {
    const k1 = generateKeyringKey('k1');
    const k2 = generateKeyringKey('k2');
    const stale = createKeyring({ keys: [k1] });
    const rotated = createKeyring({ keys: [k2, k1] });
    const writer = new DynamoStore({
      client: raw,
      tableName: TABLE,
      keyring: { load: async () => rotated, reload: async () => rotated },
      now: () => Date.now(),
    });
    await writer.forTenant('firm-h').put(Note, note(1));
    let reloads = 0;
    const reader = new DynamoStore({
      client: raw,
      tableName: TABLE,
      now: () => Date.now(),
      keyring: {
        load: async () => (reloads > 0 ? rotated : stale),
        reload: async () => {
          reloads += 1;
          return rotated;
        },
      },
    });
    expect(await reader.forTenant('firm-h').get(Note, { pk: 'T#firm-h#NOTES', sk: 'NOTE#0001' })).toEqual(
      note(1),
    );
    expect(reloads).toBe(1);
  });

  it('fails loudly, never silently, when an encrypted field was moved to another item', async () => {
    const firm = store.forTenant('firm-g');
    await firm.put(Note, note(1));
    await firm.put(Note, note(2));
    const one = await raw.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'T#firm-g#NOTES', sk: 'NOTE#0001' } }),
    );
    const two = await raw.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'T#firm-g#NOTES', sk: 'NOTE#0002' } }),
    );
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await raw.send(new PutCommand({ TableName: TABLE, Item: { ...two.Item, body: one.Item?.body } }));
    await expect(firm.get(Note, { pk: 'T#firm-g#NOTES', sk: 'NOTE#0002' })).rejects.toThrow(
      /decrypt|authenticat/i,
    );
  });
});
