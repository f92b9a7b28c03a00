import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
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
  const item: Item = { pk: { S: pk }, sk: { S: sk } };
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
      ...encryptedItem('T#1', 'MEETING#1', { transcript: 'a', notes: 'b' }),
      summary: { B: newKeyring.encrypt('c', fieldAad('T#1', 'MEETING#1', 'summary')) },
      photo: { B: Buffer.from('not a ciphertext at all, just some bytes') },
      title: { S: 'Quarterly review' },
      nested: { M: { inner: { B: oldKeyring.encrypt('d', 'x') } } },
    };
    const { stale, current } = staleFields(item, newKeyring);
    expect(stale.map((f) => [f.attribute, f.keyId])).toEqual([
      ['transcript', 'k1'],
      ['notes', 'k1'],
    ]);
    expect(current).toBe(1);
  });
});

describe('reencryptionUpdate', () => {
  it('sets every new ciphertext only if every old one is still there', () => {
    const input = reencryptionUpdate('table', { pk: { S: 'p' }, sk: { S: 's' } }, [
      { attribute: 'transcript', old: Buffer.from('o0'), new: Buffer.from('n0') },
      { attribute: 'notes', old: Buffer.from('o1'), new: Buffer.from('n1') },
    ]);
    expect(input).toMatchObject({
      TableName: 'table',
      Key: { pk: { S: 'p' }, sk: { S: 's' } },
      UpdateExpression: 'SET #a0 = :new0, #a1 = :new1',
      ConditionExpression: '#a0 = :old0 AND #a1 = :old1',
      ExpressionAttributeNames: { '#a0': 'transcript', '#a1': 'notes' },
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
      ...encryptedItem('T#1', 'MEETING#1', { transcript: 'hello transcript', notes: 'some notes' }),
      title: { S: 'Review' },
      amount: { N: '123456789012345678901234567890' },
      blob: { B: Buffer.from('raw bytes that are not a ciphertext') },
    });
    const current = encryptedItem('T#1', 'MEETING#2', { transcript: 'already new' }, newKeyring);
    table.put(current);
    table.put({ pk: { S: 'T#1' }, sk: { S: 'PLAIN#1' }, title: { S: 'nothing encrypted' } });

    const counts = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
      pageSize: 2,
    });

    expect(counts).toEqual({
      scanned: 3,
      reencrypted: 1,
      reencryptedFields: 2,
      alreadyCurrent: 1,
      conflicts: 0,
    });
    const item = table.get('T#1', 'MEETING#1');
    expect(newKeyring.keyIdOf(item?.transcript?.B as Uint8Array)).toBe('k2');
    expect(newKeyring.keyIdOf(item?.notes?.B as Uint8Array)).toBe('k2');
    expect(decrypt(item, 'transcript')).toBe('hello transcript');
    expect(decrypt(item, 'notes')).toBe('some notes');
    expect(item?.title).toEqual({ S: 'Review' });
    expect(item?.amount).toEqual({ N: '123456789012345678901234567890' });
    expect(Buffer.from(item?.blob?.B as Uint8Array).toString()).toBe('raw bytes that are not a ciphertext');
    const untouched = table.get('T#1', 'MEETING#2')?.transcript?.B as Uint8Array;
    expect(Buffer.from(untouched).equals(Buffer.from(current.transcript?.B as Uint8Array))).toBe(true);
  });

  it('saves the checkpoint after each page and finishes with undefined', async () => {
    const table = new FakeTable();
    for (let i = 0; i < 5; i++) table.put(encryptedItem('T#1', `M#${i}`, { notes: `n${i}` }));
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
    for (let i = 0; i < 5; i++) table.put(encryptedItem('T#1', `M#${i}`, { notes: `n${i}` }));
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
    expect(newKeyring.keyIdOf(table.get('T#1', 'M#2')?.notes?.B as Uint8Array)).toBe('k1');

    const second = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint,
      pageSize: 2,
    });

    expect(table.scans.map((key) => key?.sk?.S)).toEqual([undefined, 'M#1', 'M#3']);
    expect(second.scanned).toBe(3);
    expect(second.reencrypted).toBe(3);
    for (let i = 0; i < 5; i++) expect(decrypt(table.get('T#1', `M#${i}`), 'notes')).toBe(`n${i}`);
  });

  it('counts a concurrent write as a conflict, then re-checks the item and keeps the writer’s data', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { notes: 'before', transcript: 'kept' }));
    let raced = false;
    table.beforeUpdate = () => {
      if (raced) return;
      raced = true;
      // A warm function with the old keyring updates notes between the job's read and its write.
      const item = table.get('T#1', 'M#1') as Item;
      item.notes = { B: oldKeyring.encrypt('written concurrently', fieldAad('T#1', 'M#1', 'notes')) };
    };

    const counts = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
    });

    expect(counts).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 1, reencryptedFields: 2 });
    const item = table.get('T#1', 'M#1');
    expect(decrypt(item, 'notes')).toBe('written concurrently');
    expect(decrypt(item, 'transcript')).toBe('kept');
  });

  it('gives up on an item after three lost races and leaves it for the next run', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { notes: 'v0' }));
    table.put(encryptedItem('T#1', 'M#2', { notes: 'calm' }));
    let writes = 0;
    table.beforeUpdate = (key) => {
      if (key.sk?.S !== 'M#1') return;
      writes++;
      (table.get('T#1', 'M#1') as Item).notes = {
        B: oldKeyring.encrypt(`v${writes}`, fieldAad('T#1', 'M#1', 'notes')),
      };
    };
    const counts = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
    });
    expect(counts).toMatchObject({ scanned: 2, conflicts: 3, reencrypted: 1 });
    expect(newKeyring.keyIdOf(table.get('T#1', 'M#1')?.notes?.B as Uint8Array)).toBe('k1');
    expect(
      newKeyring.decryptString(
        table.get('T#1', 'M#1')?.notes?.B as Uint8Array,
        fieldAad('T#1', 'M#1', 'notes'),
      ),
    ).toBe('v3');
  });

  it('counts an item the concurrent writer already moved to the new key as current', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { notes: 'old' }));
    table.beforeUpdate = () => {
      table.beforeUpdate = undefined;
      (table.get('T#1', 'M#1') as Item).notes = {
        B: newKeyring.encrypt('new', fieldAad('T#1', 'M#1', 'notes')),
      };
    };
    const counts = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
    });
    expect(counts).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 0, alreadyCurrent: 1 });
    expect(decrypt(table.get('T#1', 'M#1'), 'notes')).toBe('new');
  });

  it('skips an item deleted between the read and the write', async () => {
    const table = new FakeTable();
    table.put(encryptedItem('T#1', 'M#1', { notes: 'doomed' }));
    table.beforeUpdate = (key) => {
      table.items.delete(`${key.pk?.S}\u0000${key.sk?.S}`);
    };
    const counts = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
    });
    expect(counts).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 0 });
    expect(table.items.size).toBe(0);
  });

  it('aborts naming pk, sk and attribute when a field does not decrypt, without its content', async () => {
    const table = new FakeTable();
    const item = encryptedItem('T#1', 'M#1', { notes: 'SECRET NOTES' });
    // Moved from another attribute: the aad no longer matches.
    item.summary = item.notes as AttributeValue;
    table.put(item);

    const error = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint: memoryCheckpoint(),
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DecryptionError);
    expect((error as Error).message).toContain("attribute 'summary' of item pk='T#1' sk='M#1'");
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('aborts on a ciphertext under a key the keyring does not hold', async () => {
    const table = new FakeTable();
    const stranger = createKeyring({ keys: [generateKeyringKey('k9')] });
    table.put(encryptedItem('T#1', 'M#1', { notes: 'x' }, stranger));
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
    for (let i = 0; i < 3; i++) table.put(encryptedItem('T#1', `M#${i}`, { notes: `n${i}` }));
    const checkpoint = tableCheckpoint(table.client(), 't', 'k2');
    await checkpoint.save({ pk: { S: 'T#0' }, sk: { S: 'Z' } });
    expect(table.get(MAINTENANCE_PK, 'ROTATION#k2')?.lastKey).toEqual({
      M: { pk: { S: 'T#0' }, sk: { S: 'Z' } },
    });
    expect(await checkpoint.load()).toEqual({ pk: { S: 'T#0' }, sk: { S: 'Z' } });

    const counts = await reencryptTable({
      client: table.client(),
      tableName: 't',
      keyring: newKeyring,
      checkpoint,
      pageSize: 1,
    });

    expect(counts.scanned).toBe(3);
    expect(table.get(MAINTENANCE_PK, 'ROTATION#k2')).toBeUndefined();
    expect(await checkpoint.load()).toBeUndefined();
  });
});
