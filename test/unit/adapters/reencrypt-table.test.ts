import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { totalCounts } from '../../../functions/adapters/keyring/rotation-counts';
import { fieldAad } from '../../../functions/adapters/store/field-aad';
import {
  MAINTENANCE_PK,
  reencryptionUpdate,
  reencryptTable,
  type ScanCheckpoint,
  staleFields,
  tableCheckpoint,
} from '../../../functions/adapters/store/reencrypt-table';
import {
  addKey,
  createKeyring,
  generateKeyringKey,
  type KeyringDocument,
} from '../../../functions/platform/crypto/keyring';
import { DecryptionError } from '../../../functions/platform/errors';
import { FakeTable } from './fake-table';

type Item = Record<string, AttributeValue>;

const oldDoc: KeyringDocument = { keys: [generateKeyringKey('k1')] };
const oldKeyring = createKeyring(oldDoc);
const newKeyring = createKeyring(addKey(oldDoc, generateKeyringKey('k2')));

function encryptedItem(pk: string, sk: string, fields: Record<string, string>, keyring = oldKeyring): Item {
  const item: Item = { pk: { S: pk }, sk: { S: sk }, entity: { S: 'follow_up_draft' } };
  for (const [name, value] of Object.entries(fields)) {
    item[name] = { B: keyring.encrypt(value, fieldAad(pk, sk, name)) };
  }
  return item;
}

function memoryCheckpoint(): ScanCheckpoint & { saved: Array<Record<string, unknown> | undefined> } {
  const saved: Array<Record<string, unknown> | undefined> = [];
  return {
    saved,
    load: async () => saved.at(-1),
    save: async (key) => {
      saved.push(key);
    },
  };
}

function decrypt(item: Item | undefined, attribute: string): string {
  const pk = item?.pk?.S as string;
  const sk = item?.sk?.S as string;
  return newKeyring.decryptString(item?.[attribute]?.B as Uint8Array, fieldAad(pk, sk, attribute));
}

describe('staleFields', () => {
  it('finds top-level ciphertexts under other keys and counts current ones', () => {
    const item: Item = {
      ...encryptedItem('T#1', 'MEETING#1', { subject: 'a', body: 'b' }),
      instructions: { B: newKeyring.encrypt('c', fieldAad('T#1', 'MEETING#1', 'instructions')) },
      photo: { B: Buffer.from('not a ciphertext at all, just some bytes') },
      title: { S: 'Quarterly review' },
      nested: { M: { inner: { B: oldKeyring.encrypt('d', 'x') } } },
    };
    const { stale, current } = staleFields(item, newKeyring);
    expect(stale.map((f) => [f.attribute, f.keyId])).toEqual([
      ['subject', 'k1'],
      ['body', 'k1'],
    ]);
    expect(current).toBe(1);
  });
});

describe('reencryptionUpdate', () => {
  it('sets every new ciphertext only if every old one is still there', () => {
    const input = reencryptionUpdate('table', { pk: { S: 'p' }, sk: { S: 's' } }, [
      { attribute: 'subject', old: Buffer.from('o0'), new: Buffer.from('n0') },
      { attribute: 'body', old: Buffer.from('o1'), new: Buffer.from('n1') },
    ]);
    expect(input).toMatchObject({
      TableName: 'table',
      Key: { pk: { S: 'p' }, sk: { S: 's' } },
      UpdateExpression: 'SET #a0 = :new0, #a1 = :new1',
      ConditionExpression: '#a0 = :old0 AND #a1 = :old1',
      ExpressionAttributeNames: { '#a0': 'subject', '#a1': 'body' },
    });
    expect(Object.keys(input.ExpressionAttributeValues ?? {}).sort()).toEqual([
      ':new0',
      ':new1',
      ':old0',
      ':old1',
    ]);
  });
});

describe('fieldAad', () => {
  it('separates pk, sk and attribute so different places never share an aad', () => {
    expect(fieldAad('a', 'b', 'c')).toBe('a\u0000b\u0000c');
    expect(fieldAad('a', 'bc', 'd')).not.toBe(fieldAad('ab', 'c', 'd'));
    expect(() => fieldAad('a\u0000b', 'c', 'd')).toThrow(/NUL/);
  });
});

describe('reencryptTable (in-memory table)', () => {
  it('re-encrypts every old-key field, leaves plaintext and current items alone, and counts', async () => {
    const table = new FakeTable();
    table.put({
      ...encryptedItem('T#1', 'MEETING#1', { subject: 'hello subject', body: 'some notes' }),
      title: { S: 'Review' },
      amount: { N: '123456789012345678901234567890' },
      blob: { B: Buffer.from('raw bytes that are not a ciphertext') },
    });
    const current = encryptedItem('T#1', 'MEETING#2', { subject: 'already new' }, newKeyring);
    table.put(current);
    table.put({ pk: { S: 'T#1' }, sk: { S: 'PLAIN#1' }, title: { S: 'nothing encrypted' } });

    const counts = totalCounts(
      await reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint: memoryCheckpoint(),
        pageSize: 2,
      }),
    );

    expect(counts).toEqual({
      scanned: 3,
      reencrypted: 1,
      alreadyCurrent: 1,
      conflicts: 0,
      stale: 0,
      unregistered: 0,
    });
    const item = table.get('T#1', 'MEETING#1');
    expect(newKeyring.keyIdOf(item?.subject?.B as Uint8Array)).toBe('k2');
    expect(newKeyring.keyIdOf(item?.body?.B as Uint8Array)).toBe('k2');
    expect(decrypt(item, 'subject')).toBe('hello subject');
    expect(decrypt(item, 'body')).toBe('some notes');
    expect(item?.title).toEqual({ S: 'Review' });
    expect(item?.amount).toEqual({ N: '123456789012345678901234567890' });
    expect(Buffer.from(item?.blob?.B as Uint8Array).toString()).toBe('raw bytes that are not a ciphertext');
    const untouched = table.get('T#1', 'MEETING#2')?.subject?.B as Uint8Array;
    expect(Buffer.from(untouched).equals(Buffer.from(current.subject?.B as Uint8Array))).toBe(true);
  });

  it('leaves a ciphertext in a place the inventory does not list alone, and reports where it is', async () => {
    const table = new FakeTable();
    const item = encryptedItem('T#1', 'M#1', { body: 'listed' });
    item.photo = { B: oldKeyring.encrypt('unlisted', fieldAad('T#1', 'M#1', 'photo')) };
    table.put(item);
    table.put({ ...encryptedItem('T#1', 'M#2', { body: 'other entity' }), entity: { S: 'chat_message' } });

    const findings = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
    });

    expect(findings.stores['table:follow_up_draft']).toMatchObject({ reencrypted: 1, unregistered: 1 });
    expect(findings.stores['table:chat_message']).toMatchObject({ reencrypted: 0, unregistered: 1 });
    expect(findings.places.map((p) => [p.store, p.where, p.unregistered])).toEqual(
      expect.arrayContaining([
        ['table:follow_up_draft', 'pk=T#1 sk=M#1 attribute=photo', true],
        ['table:chat_message', 'pk=T#1 sk=M#2 attribute=body', true],
      ]),
    );
    expect(newKeyring.keyIdOf(table.get('T#1', 'M#1')?.photo?.B as Uint8Array)).toBe('k1');
    expect(newKeyring.keyIdOf(table.get('T#1', 'M#1')?.body?.B as Uint8Array)).toBe('k2');
  });

  it('only looks when inspecting: lists what is under old keys, writes nothing, saves no checkpoint', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { body: 'old' }));
    const checkpoint = memoryCheckpoint();
    const findings = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint,
      inspectOnly: true,
    });
    expect(totalCounts(findings)).toMatchObject({ scanned: 1, stale: 1, reencrypted: 0 });
    expect(findings.byKey).toEqual({ k1: 1 });
    expect(findings.places[0]).toMatchObject({ keyId: 'k1', where: 'pk=T#1 sk=M#1 attribute=body' });
    expect(newKeyring.keyIdOf(table.get('T#1', 'M#1')?.body?.B as Uint8Array)).toBe('k1');
    expect(checkpoint.saved).toEqual([]);
  });

  it('saves the checkpoint after each page and finishes with undefined', async () => {
    const table = new FakeTable();
    for (let i = 0; i < 5; i++) table.put(encryptedItem('T#1', `M#${i}`, { body: `n${i}` }));
    const checkpoint = memoryCheckpoint();
    const pages: number[] = [];
    await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint,
      pageSize: 2,
      onProgress: (p) => pages.push(p.pages),
    });
    expect(checkpoint.saved.map((k) => (k as Item | undefined)?.sk?.S)).toEqual(['M#1', 'M#3', undefined]);
    expect(pages).toEqual([1, 2, 3]);
  });

  it('resumes from the checkpoint of a run that crashed after its first page', async () => {
    const table = new FakeTable();
    for (let i = 0; i < 5; i++) table.put(encryptedItem('T#1', `M#${i}`, { body: `n${i}` }));
    const checkpoint = memoryCheckpoint();
    const crash = new Error('killed');

    const first = reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint,
      pageSize: 2,
      onProgress: () => {
        throw crash;
      },
    });
    await expect(first).rejects.toBe(crash);
    expect(newKeyring.keyIdOf(table.get('T#1', 'M#2')?.body?.B as Uint8Array)).toBe('k1');

    const second = totalCounts(
      await reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint,
        pageSize: 2,
      }),
    );

    expect(table.scans.map((key) => key?.sk?.S)).toEqual([undefined, 'M#1', 'M#3']);
    expect(second.scanned).toBe(3);
    expect(second.reencrypted).toBe(3);
    for (let i = 0; i < 5; i++) expect(decrypt(table.get('T#1', `M#${i}`), 'body')).toBe(`n${i}`);
  });

  it('counts a concurrent write as a conflict, then re-checks the item and keeps the writer’s data', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { body: 'before', subject: 'kept' }));
    let raced = false;
    table.beforeUpdate = () => {
      if (raced) return;
      raced = true;
      // A warm function with the old keyring updates body between the job's read and its write.
      const item = table.get('T#1', 'M#1') as Item;
      item.body = { B: oldKeyring.encrypt('written concurrently', fieldAad('T#1', 'M#1', 'body')) };
    };

    const counts = totalCounts(
      await reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint: memoryCheckpoint(),
      }),
    );

    expect(counts).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 1, stale: 0 });
    const item = table.get('T#1', 'M#1');
    expect(decrypt(item, 'body')).toBe('written concurrently');
    expect(decrypt(item, 'subject')).toBe('kept');
  });

  it('gives up on an item after three lost races and leaves it for the next run', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { body: 'v0' }));
    table.put(encryptedItem('T#1', 'M#2', { body: 'calm' }));
    let writes = 0;
    table.beforeUpdate = (key) => {
      if (key.sk?.S !== 'M#1') return;
      writes++;
      (table.get('T#1', 'M#1') as Item).body = {
        B: oldKeyring.encrypt(`v${writes}`, fieldAad('T#1', 'M#1', 'body')),
      };
    };
    const counts = totalCounts(
      await reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint: memoryCheckpoint(),
      }),
    );
    expect(counts).toMatchObject({ scanned: 2, conflicts: 3, reencrypted: 1, stale: 1 });
    expect(newKeyring.keyIdOf(table.get('T#1', 'M#1')?.body?.B as Uint8Array)).toBe('k1');
    expect(
      newKeyring.decryptString(
        table.get('T#1', 'M#1')?.body?.B as Uint8Array,
        fieldAad('T#1', 'M#1', 'body'),
      ),
    ).toBe('v3');
  });

  it('counts an item the concurrent writer already moved to the new key as current', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { body: 'old' }));
    table.beforeUpdate = () => {
      table.beforeUpdate = undefined;
      (table.get('T#1', 'M#1') as Item).body = {
        B: newKeyring.encrypt('new', fieldAad('T#1', 'M#1', 'body')),
      };
    };
    const counts = totalCounts(
      await reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint: memoryCheckpoint(),
      }),
    );
    expect(counts).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 0, alreadyCurrent: 1 });
    expect(decrypt(table.get('T#1', 'M#1'), 'body')).toBe('new');
  });

  it('skips an item deleted between the read and the write', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { body: 'doomed' }));
    table.beforeUpdate = (key) => {
      table.items.delete(`${key.pk?.S}\u0000${key.sk?.S}`);
    };
    const counts = totalCounts(
      await reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint: memoryCheckpoint(),
      }),
    );
    expect(counts).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 0 });
    expect(table.items.size).toBe(0);
  });

  it('aborts naming pk, sk and attribute when a field does not decrypt, without its content', async () => {
    const table = new FakeTable();
    const item = encryptedItem('T#1', 'M#1', { body: 'SECRET NOTES' });
    // Moved from another attribute: the aad no longer matches.
    item.instructions = item.body as AttributeValue;
    table.put(item);

    const error = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DecryptionError);
    expect((error as Error).message).toContain("attribute 'instructions' of item pk='T#1' sk='M#1'");
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('aborts on a ciphertext under a key the keyring does not hold', async () => {
    const table = new FakeTable();
    const stranger = createKeyring({ keys: [generateKeyringKey('k9')] });
    table.put(encryptedItem('T#1', 'M#1', { body: 'x' }, stranger));
    await expect(
      reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint: memoryCheckpoint(),
      }),
    ).rejects.toThrow(/pk='T#1' sk='M#1'.*unknown key id 'k9'/);
  });

  it('keeps its checkpoint in the table, skips it while scanning, and deletes it when done', async () => {
    const table = new FakeTable();
    for (let i = 0; i < 3; i++) table.put(encryptedItem('T#1', `M#${i}`, { body: `n${i}` }));
    const checkpoint = tableCheckpoint(table.client(), 't', 'k2');
    await checkpoint.save({ pk: { S: 'T#0' }, sk: { S: 'Z' } });
    expect(table.get(MAINTENANCE_PK, 'ROTATION#k2')?.lastKey).toEqual({
      M: { pk: { S: 'T#0' }, sk: { S: 'Z' } },
    });
    expect(await checkpoint.load()).toEqual({ pk: { S: 'T#0' }, sk: { S: 'Z' } });

    const counts = totalCounts(
      await reencryptTable({
        client: table.client(),
        tableName: 't',
        keyring: newKeyring,
        checkpoint,
        pageSize: 1,
      }),
    );

    expect(counts.scanned).toBe(3);
    expect(table.get(MAINTENANCE_PK, 'ROTATION#k2')).toBeUndefined();
    expect(await checkpoint.load()).toBeUndefined();
  });
});
