import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalCounts } from '../../functions/adapters/keyring/rotation-counts';
import { fieldAad } from '../../functions/adapters/store/field-aad';
import {
  MAINTENANCE_PK,
  type ReencryptProgress,
  reencryptTable,
  tableCheckpoint,
} from '../../functions/adapters/store/reencrypt-table';
import {
  addKey,
  createKeyring,
  generateKeyringKey,
  type KeyringDocument,
} from '../../functions/platform/crypto/keyring';
import { ensureLocalTable } from '../../lib/local/create-local-table';
import { type DynamoEngine, localDynamoClient, startDynamoEngine } from '../../lib/local/dynamo-engine';

const oldDoc: KeyringDocument = { keys: [generateKeyringKey('k1')] };
const oldKeyring = createKeyring(oldDoc);
const newKeyring = createKeyring(addKey(oldDoc, generateKeyringKey('k2')));

let engine: DynamoEngine;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  engine = await startDynamoEngine();
  client = localDynamoClient(engine.endpoint);
  doc = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  client?.destroy();
  await engine?.stop();
});

async function freshTable(): Promise<string> {
  tables += 1;
  const name = `reencrypt-${tables}`;
  await ensureLocalTable(client, name);
  return name;
}

/** Writes an item the way the store does: document client, encrypted fields as Binary under `keyring`. */
async function putNote(table: string, sk: string, fields: Record<string, string>, keyring = oldKeyring) {
  const pk = 'T#firm-a#NOTES';
  const item: Record<string, unknown> = {
    pk,
    sk,
    entity: 'follow_up_draft',
    title: `Title of ${sk}`,
    amount: 42,
    tags: ['a', 'b'],
  };
  for (const [name, value] of Object.entries(fields))
    item[name] = keyring.encrypt(value, fieldAad(pk, sk, name));
  await doc.send(new PutCommand({ TableName: table, Item: item }));
}

async function getNote(table: string, sk: string): Promise<Record<string, unknown>> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: { pk: 'T#firm-a#NOTES', sk }, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`missing ${sk}`);
  return Item;
}

function field(item: Record<string, unknown>, name: string): { keyId: string; text: string } {
  const bytes = item[name] as Uint8Array;
  return {
    keyId: newKeyring.keyIdOf(bytes),
    text: newKeyring.decryptString(bytes, fieldAad(item.pk as string, item.sk as string, name)),
  };
}

describe('reencryptTable against DynamoDB Local', () => {
  it('re-encrypts every old-key field of every item and leaves plaintext attributes alone', async () => {
    const table = await freshTable();
    await putNote(table, 'NOTE#1', {
      body: 'first body',
      subject: 'first subject',
      instructions: 'first words',
    });
    await putNote(table, 'NOTE#2', { body: 'second body' });
    const before = await getNote(table, 'NOTE#1');

    const counts = totalCounts(
      await reencryptTable({
        client,
        tableName: table,
        keyring: newKeyring,
        checkpoint: tableCheckpoint(client, table, 'k2'),
      }),
    );

    expect(counts).toEqual({
      scanned: 2,
      reencrypted: 2,
      alreadyCurrent: 0,
      conflicts: 0,
      stale: 0,
      unregistered: 0,
    });
    const after = await getNote(table, 'NOTE#1');
    expect(field(after, 'body')).toEqual({ keyId: 'k2', text: 'first body' });
    expect(field(after, 'subject')).toEqual({ keyId: 'k2', text: 'first subject' });
    expect(field(after, 'instructions')).toEqual({ keyId: 'k2', text: 'first words' });
    expect(field(await getNote(table, 'NOTE#2'), 'body')).toEqual({ keyId: 'k2', text: 'second body' });
    expect({ title: after.title, amount: after.amount, tags: after.tags }).toEqual({
      title: before.title,
      amount: before.amount,
      tags: before.tags,
    });
  });

  it('leaves items already under the primary key untouched, byte for byte', async () => {
    const table = await freshTable();
    await putNote(table, 'NOTE#1', { body: 'current' }, newKeyring);
    const before = await getNote(table, 'NOTE#1');

    const counts = totalCounts(
      await reencryptTable({
        client,
        tableName: table,
        keyring: newKeyring,
        checkpoint: tableCheckpoint(client, table, 'k2'),
      }),
    );

    expect(counts).toMatchObject({ scanned: 1, reencrypted: 0, alreadyCurrent: 1 });
    expect(Buffer.from((await getNote(table, 'NOTE#1')).body as Uint8Array)).toEqual(
      Buffer.from(before.body as Uint8Array),
    );
  });

  it('resumes from the in-table checkpoint after a crash following page 1', async () => {
    const table = await freshTable();
    for (let i = 0; i < 5; i++) await putNote(table, `NOTE#${i}`, { body: `body ${i}` });
    const crash = new Error('killed after page 1');
    const crashAfterFirstPage = (progress: ReencryptProgress) => {
      if (progress.pages === 1) throw crash;
    };

    await expect(
      reencryptTable({
        client,
        tableName: table,
        keyring: newKeyring,
        checkpoint: tableCheckpoint(client, table, 'k2'),
        pageSize: 2,
        onProgress: crashAfterFirstPage,
      }),
    ).rejects.toBe(crash);
    const saved = await tableCheckpoint(client, table, 'k2').load();
    expect(saved).toBeDefined();

    const resumed = totalCounts(
      await reencryptTable({
        client,
        tableName: table,
        keyring: newKeyring,
        checkpoint: tableCheckpoint(client, table, 'k2'),
        pageSize: 2,
      }),
    );

    // Page 1 is not read again; the checkpoint item itself is never counted.
    expect(resumed.scanned).toBe(3);
    expect(resumed.reencrypted).toBe(3);
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    const notes = Items.filter((item) => item.pk !== MAINTENANCE_PK);
    expect(notes).toHaveLength(5);
    for (const item of notes) expect(field(item, 'body').keyId).toBe('k2');
    expect(Items.some((item) => item.pk === MAINTENANCE_PK)).toBe(false);
  });

  it('loses a race to a concurrent writer, counts the conflict, and keeps the writer’s data', async () => {
    const table = await freshTable();
    await putNote(table, 'NOTE#1', { body: 'original', subject: 'unchanged subject' });
    const racing = DynamoDBDocumentClient.from(client);
    const send = racing.send.bind(racing) as (command: unknown) => Promise<unknown>;
    let raced = false;
    // Between the job's read and its write, a warm function (old keyring) rewrites the body.
    racing.send = (async (command: unknown) => {
      if (command instanceof UpdateItemCommand && !raced) {
        raced = true;
        await putNote(table, 'NOTE#1', { body: 'written concurrently', subject: 'unchanged subject' });
      }
      return send(command);
    }) as typeof racing.send;

    const counts = totalCounts(
      await reencryptTable({
        client: racing,
        tableName: table,
        keyring: newKeyring,
        checkpoint: tableCheckpoint(client, table, 'k2'),
      }),
    );

    expect(counts).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 1 });
    const item = await getNote(table, 'NOTE#1');
    expect(field(item, 'body')).toEqual({ keyId: 'k2', text: 'written concurrently' });
    expect(field(item, 'subject')).toEqual({ keyId: 'k2', text: 'unchanged subject' });
  });
});
