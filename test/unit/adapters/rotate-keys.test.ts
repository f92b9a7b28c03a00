import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore, type SecretSource } from '../../../functions/adapters/secrets/secret-source';
import { fieldAad } from '../../../functions/adapters/store/field-aad';
import { MAINTENANCE_PK } from '../../../functions/adapters/store/reencrypt-table';
import { rotateKeys } from '../../../functions/adapters/store/rotate-keys';
import {
  createKeyring,
  generateKeyringKey,
  parseKeyringDocument,
  stringifyKeyringDocument,
} from '../../../functions/platform/crypto/keyring';
import { FakeTable } from './fake-table';

type Item = Record<string, AttributeValue>;

let dir: string;
let path: string;
let source: SecretSource;
const k1 = generateKeyringKey('k1');
const oldKeyring = createKeyring({ keys: [k1] });

function seed(table: FakeTable, count: number): void {
  for (let i = 0; i < count; i++) {
    const pk = 'T#1';
    const sk = `M#${i}`;
    table.put({
      pk: { S: pk },
      sk: { S: sk },
      notes: { B: oldKeyring.encrypt(`note ${i}`, fieldAad(pk, sk, 'notes')) },
    });
  }
}

async function keyringOnDisk() {
  return createKeyring(parseKeyringDocument(await readFile(join(dir, 'keyring.json'), 'utf8')));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotate-keys-'));
  path = join(dir, 'keyring.json');
  source = { kind: 'file', path };
  // The bootstrap form, as a fresh deployment has it.
  await writeFile(path, JSON.stringify(k1), { mode: 0o600 });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rotateKeys', () => {
  it('adds the next key first, writes the keyring, and re-encrypts the table under it', async () => {
    const table = new FakeTable();
    seed(table, 3);
    const lines: string[] = [];
    const secrets = createSecretStore();
    await secrets.loadKeyring(source); // a stale cached copy must not be used

    const result = await rotateKeys({
      source,
      client: table.client(),
      tableName: 't',
      resume: false,
      log: (line) => lines.push(line),
      secrets,
    });

    expect(result).toMatchObject({ primaryKeyId: 'k2', addedKeyId: 'k2', scanned: 3, reencrypted: 3 });
    const keyring = await keyringOnDisk();
    expect(keyring.keyIds).toEqual(['k2', 'k1']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    for (let i = 0; i < 3; i++) {
      const item = table.get('T#1', `M#${i}`) as Item;
      expect(keyring.keyIdOf(item.notes?.B as Uint8Array)).toBe('k2');
      expect(keyring.decryptString(item.notes?.B as Uint8Array, fieldAad('T#1', `M#${i}`, 'notes'))).toBe(
        `note ${i}`,
      );
    }
    expect((await secrets.loadKeyring(source)).primaryKeyId).toBe('k2');
    expect(lines[0]).toMatch(/Added key k2/);
    expect(lines.at(-1)).toMatch(/done\.$/);
    expect(lines.join('\n')).not.toContain(k1.material);
  });

  it('uses newKeyId when given and refuses an id already in the keyring without writing', async () => {
    const table = new FakeTable();
    const secrets = createSecretStore();
    await rotateKeys({
      source,
      client: table.client(),
      tableName: 't',
      resume: false,
      newKeyId: () => 'k2026',
      log: () => {},
      secrets,
    });
    expect((await keyringOnDisk()).keyIds).toEqual(['k2026', 'k1']);

    const before = await readFile(path, 'utf8');
    await expect(
      rotateKeys({
        source,
        client: table.client(),
        tableName: 't',
        resume: false,
        newKeyId: () => 'k1',
        log: () => {},
        secrets,
      }),
    ).rejects.toThrow(/duplicate key id 'k1'/);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('resumes an interrupted rotation from its checkpoint under the current primary key', async () => {
    const table = new FakeTable();
    seed(table, 5);
    const k2 = generateKeyringKey('k2');
    await writeFile(path, stringifyKeyringDocument({ keys: [k2, k1] }));
    // A previous run finished the page ending at M#1, then died.
    table.put({
      pk: { S: MAINTENANCE_PK },
      sk: { S: 'ROTATION#k2' },
      lastKey: { M: { pk: { S: 'T#1' }, sk: { S: 'M#1' } } },
    });
    const lines: string[] = [];

    const result = await rotateKeys({
      source,
      client: table.client(),
      tableName: 't',
      resume: true,
      pageSize: 2,
      log: (line) => lines.push(line),
      secrets: createSecretStore(),
    });

    expect(result).toMatchObject({ primaryKeyId: 'k2', scanned: 3, reencrypted: 3 });
    expect(result.addedKeyId).toBeUndefined();
    expect(lines.slice(0, 2)).toEqual([
      'Resuming re-encryption under key k2 (keyring: k2, k1).',
      'Continuing from the saved checkpoint.',
    ]);
    const keyring = await keyringOnDisk();
    expect(keyring.keyIds).toEqual(['k2', 'k1']);
    expect(keyring.keyIdOf(table.get('T#1', 'M#0')?.notes?.B as Uint8Array)).toBe('k1');
    expect(keyring.keyIdOf(table.get('T#1', 'M#4')?.notes?.B as Uint8Array)).toBe('k2');
    expect(table.get(MAINTENANCE_PK, 'ROTATION#k2')).toBeUndefined();
  });

  it('with resume and no checkpoint sweeps the whole table', async () => {
    const table = new FakeTable();
    seed(table, 2);
    await writeFile(path, stringifyKeyringDocument({ keys: [generateKeyringKey('k2'), k1] }));
    const lines: string[] = [];
    const result = await rotateKeys({
      source,
      client: table.client(),
      tableName: 't',
      resume: true,
      log: (line) => lines.push(line),
      secrets: createSecretStore(),
    });
    expect(result).toMatchObject({ scanned: 2, reencrypted: 2 });
    expect(lines[1]).toBe('No saved checkpoint: scanning the whole table.');
  });
});
