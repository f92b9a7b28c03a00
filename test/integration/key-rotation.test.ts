import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blobAad } from '../../functions/adapters/blobs/blob-aad';
import { reencryptObjects } from '../../functions/adapters/blobs/reencrypt-objects';
import { OBJECT_CIPHERTEXTS } from '../../functions/adapters/keyring/ciphertext-inventory';
import type { KeyMaintenanceTargets } from '../../functions/adapters/keyring/key-store-pass';
import { KeyRetirementRefusedError, retireKey } from '../../functions/adapters/keyring/retire-key';
import { rotateKeys } from '../../functions/adapters/keyring/rotate-keys';
import { totalCounts } from '../../functions/adapters/keyring/rotation-counts';
import { createSecretStore, type SecretsManagerLike } from '../../functions/adapters/secrets/secret-source';
import { fieldAad } from '../../functions/adapters/store/field-aad';
import { MAINTENANCE_PK, tableCheckpoint } from '../../functions/adapters/store/reencrypt-table';
import {
  createKeyring,
  generateKeyringKey,
  type Keyring,
  parseKeyringDocument,
} from '../../functions/platform/crypto/keyring';
import { ensureLocalTable } from '../../lib/local/create-local-table';
import { type DynamoEngine, localDynamoClient, startDynamoEngine } from '../../lib/local/dynamo-engine';
import { ensureBucket, localS3Client, type S3Engine, startS3Engine } from '../../lib/local/s3-engine';

const store = OBJECT_CIPHERTEXTS[0];
const k1 = generateKeyringKey('k1');
const k1Keyring = createKeyring({ keys: [k1] });

let dynamoEngine: DynamoEngine;
let s3Engine: S3Engine;
let s3Dir: string;
let dynamo: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let s3: S3Client;
let runs = 0;
let dir: string;
let keyringPath: string;
let table: string;
let bucket: string;

beforeAll(async () => {
  s3Dir = await mkdtemp(join(tmpdir(), 'key-rotation-s3-'));
  [dynamoEngine, s3Engine] = await Promise.all([startDynamoEngine(), startS3Engine(s3Dir)]);
  dynamo = localDynamoClient(dynamoEngine.endpoint);
  doc = DynamoDBDocumentClient.from(dynamo);
  s3 = localS3Client(s3Engine.endpoint);
});

afterAll(async () => {
  dynamo?.destroy();
  s3?.destroy();
  await Promise.all([dynamoEngine?.stop(), s3Engine?.stop()]);
  await rm(s3Dir, { recursive: true, force: true });
});

beforeEach(async () => {
  runs += 1;
  table = `rotation-${runs}`;
  bucket = `rotation-${runs}`;
  await ensureLocalTable(dynamo, table);
  await ensureBucket(s3, bucket);
  dir = await mkdtemp(join(tmpdir(), 'key-rotation-'));
  keyringPath = join(dir, 'keyring.json');
  // The bootstrap form, as a fresh deployment has it.
  await writeFile(keyringPath, JSON.stringify(k1), { mode: 0o600 });
  return () => rm(dir, { recursive: true, force: true });
});

function targets(log: string[] = []): KeyMaintenanceTargets {
  return {
    source: { kind: 'file', path: keyringPath },
    dynamo: doc,
    tableName: table,
    s3,
    buckets: { uploads: bucket, archive: 'unused' },
    keyringCacheSeconds: 1,
    log: (line) => log.push(line),
    secrets: createSecretStore(),
    sleep: async () => {},
    pageSize: 2,
  };
}

const keyringOnDisk = async () => createKeyring(parseKeyringDocument(await readFile(keyringPath, 'utf8')));

async function putDraft(sk: string, body: string, keyring: Keyring = k1Keyring) {
  const pk = 'T#firm-a#MEETING#m1';
  await doc.send(
    new PutCommand({
      TableName: table,
      Item: { pk, sk, entity: 'follow_up_draft', body: keyring.encrypt(body, fieldAad(pk, sk, 'body')) },
    }),
  );
}

async function draft(sk: string): Promise<Uint8Array> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: { pk: 'T#firm-a#MEETING#m1', sk }, ConsistentRead: true }),
  );
  return Item?.body as Uint8Array;
}

async function putArtifact(key: string, text: string, keyring: Keyring = k1Keyring) {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: keyring.encrypt(text, blobAad(bucket, key)) }),
  );
}

async function artifact(key: string): Promise<{ bytes: Uint8Array; etag: string | undefined }> {
  const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    bytes: await (result.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    etag: result.ETag,
  };
}

const artifactKey = (n: number) => `tenants/firm-a/meetings/m${n}/transcript.json`;

describe('the local S3 engine’s conditional PutObject (as S3 has it)', () => {
  it('answers 412 to If-Match with another ETag and to If-None-Match * on an existing object', async () => {
    await putArtifact(artifactKey(1), 'v1');
    const { etag } = await artifact(artifactKey(1));
    const put = (extra: Record<string, string>) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: artifactKey(1), Body: 'v2', ...extra }));
    await expect(put({ IfMatch: '"0123456789abcdef0123456789abcdef"' })).rejects.toMatchObject({
      $metadata: { httpStatusCode: 412 },
    });
    await expect(put({ IfNoneMatch: '*' })).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    await put({ IfMatch: etag as string });
    expect(Buffer.from((await artifact(artifactKey(1))).bytes).toString()).toBe('v2');
  });

  it('answers 404 to If-Match on a missing object and writes If-None-Match * when there is none', async () => {
    const put = (extra: Record<string, string>) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: artifactKey(2), Body: 'x', ...extra }));
    await expect(put({ IfMatch: '"abc"' })).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await put({ IfNoneMatch: '*' });
    expect(Buffer.from((await artifact(artifactKey(2))).bytes).toString()).toBe('x');
  });
});

describe('reencryptObjects against s3rver', () => {
  const k2Keyring = createKeyring({ keys: [generateKeyringKey('k2'), k1] });

  it('re-encrypts old objects, leaves current ones byte for byte, and reports what is not a ciphertext', async () => {
    await putArtifact(artifactKey(1), 'old one');
    await putArtifact(artifactKey(2), 'current', k2Keyring);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tenants/firm-a/stray.txt', Body: 'plain' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/x.vtt', Body: 'outside' }));
    const before = (await artifact(artifactKey(2))).bytes;

    const findings = await reencryptObjects({
      client: s3,
      store,
      bucketName: bucket,
      keyring: k2Keyring,
      checkpoint: tableCheckpoint(doc, table, 'k2', store.name),
      pageSize: 1,
    });

    expect(totalCounts(findings)).toEqual({
      scanned: 3,
      reencrypted: 1,
      alreadyCurrent: 1,
      conflicts: 0,
      stale: 0,
      unregistered: 1,
    });
    const rewritten = (await artifact(artifactKey(1))).bytes;
    expect(k2Keyring.keyIdOf(rewritten)).toBe('k2');
    expect(k2Keyring.decryptString(rewritten, blobAad(bucket, artifactKey(1)))).toBe('old one');
    expect(Buffer.from((await artifact(artifactKey(2))).bytes).equals(Buffer.from(before))).toBe(true);
    expect(findings.places).toEqual([
      expect.objectContaining({ where: `s3://${bucket}/tenants/firm-a/stray.txt`, unregistered: true }),
    ]);
    expect(await tableCheckpoint(doc, table, 'k2', store.name).load()).toBeUndefined();
  });

  it('inspects by reading each object’s header only, and counts an empty object as no ciphertext', async () => {
    await putArtifact(artifactKey(1), 'old one');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: artifactKey(2), Body: '' }));
    const findings = await reencryptObjects({
      client: s3,
      store,
      bucketName: bucket,
      keyring: k2Keyring,
      checkpoint: tableCheckpoint(doc, table, 'k2', store.name),
      inspectOnly: true,
    });
    expect(totalCounts(findings)).toMatchObject({ scanned: 2, stale: 1, unregistered: 1, reencrypted: 0 });
    expect(findings.byKey).toEqual({ k1: 1, '(not a ciphertext)': 1 });
    expect(k2Keyring.keyIdOf((await artifact(artifactKey(1))).bytes)).toBe('k1');
  });

  it('never overwrites an object rewritten between its read and the re-encrypted PUT', async () => {
    await putArtifact(artifactKey(1), 'before');
    const racing = localS3Client(s3Engine.endpoint);
    const send = racing.send.bind(racing) as (command: unknown) => Promise<unknown>;
    let raced = false;
    racing.send = (async (command: unknown) => {
      if (command instanceof PutObjectCommand && command.input.IfMatch && !raced) {
        raced = true;
        // A warm function (old keyring) stores a newer version of the transcript meanwhile.
        await putArtifact(artifactKey(1), 'written concurrently');
      }
      return send(command);
    }) as typeof racing.send;

    const findings = await reencryptObjects({
      client: racing,
      store,
      bucketName: bucket,
      keyring: k2Keyring,
      checkpoint: tableCheckpoint(doc, table, 'k2', store.name),
    });
    racing.destroy();

    expect(totalCounts(findings)).toMatchObject({ scanned: 1, conflicts: 1, reencrypted: 1, stale: 0 });
    const stored = (await artifact(artifactKey(1))).bytes;
    expect(k2Keyring.keyIdOf(stored)).toBe('k2');
    expect(k2Keyring.decryptString(stored, blobAad(bucket, artifactKey(1)))).toBe('written concurrently');
  });
});

describe('rotateKeys and retireKey over the table and the objects', () => {
  it('rotates everything, says so, and then retires the old key from the keyring file', async () => {
    for (let i = 0; i < 3; i++) {
      await putDraft(`DRAFT#${i}`, `draft ${i}`);
      await putArtifact(artifactKey(i), `transcript ${i}`);
    }
    const log: string[] = [];

    const result = await rotateKeys({ ...targets(log), resume: false });

    expect(result).toMatchObject({ addedKeyId: 'k2', primaryKeyId: 'k2', everythingCurrent: true });
    // The first pass re-encrypted; the sweep after the cache window found everything current.
    expect(totalCounts(result.passes[0] as never)).toMatchObject({ reencrypted: 6, stale: 0 });
    expect(totalCounts(result.passes.at(-1) as never)).toMatchObject({ reencrypted: 0, alreadyCurrent: 6 });
    expect(log.join('\n')).toMatch(/table:follow_up_draft: 3 scanned, 3 re-encrypted/);
    expect(log.join('\n')).toMatch(/meeting-artifacts \(s3:\/\/.*\/tenants\/\): 3 scanned, 3 re-encrypted/);
    expect(log.at(-1)).toBe('Done: everything is under key k2.');
    const keyring = await keyringOnDisk();
    expect(keyring.keyIds).toEqual(['k2', 'k1']);
    expect(keyring.primaryAddedAt).toBeGreaterThan(Date.now() - 60_000);
    for (let i = 0; i < 3; i++) {
      expect(keyring.keyIdOf(await draft(`DRAFT#${i}`))).toBe('k2');
      expect(keyring.keyIdOf((await artifact(artifactKey(i))).bytes)).toBe('k2');
    }
    expect(log.join('\n')).not.toContain(k1.material);

    await new Promise((resolve) => setTimeout(resolve, 1000)); // the 1 s cache window
    const retired = await retireKey({ ...targets(), keyId: 'k1' });
    expect(retired.keyIds).toEqual(['k2']);
    expect((await keyringOnDisk()).keyIds).toEqual(['k2']);
    expect((await stat(keyringPath)).mode & 0o777).toBe(0o600);
  });

  it('does not claim everything is current while a ciphertext it may not touch is under an old key', async () => {
    await putDraft('DRAFT#1', 'fine');
    const pk = 'T#firm-a#MEETING#m1';
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk,
          sk: 'CHAT#1',
          entity: 'chat_message',
          text: k1Keyring.encrypt('hi', fieldAad(pk, 'CHAT#1', 'text')),
        },
      }),
    );
    const log: string[] = [];
    const result = await rotateKeys({ ...targets(log), resume: false });
    expect(result.everythingCurrent).toBe(false);
    expect(log.join('\n')).toContain(
      'unregistered: table:chat_message pk=T#firm-a#MEETING#m1 sk=CHAT#1 attribute=text',
    );
    expect(log.at(-1)).toMatch(
      /^Not done: 0 items or objects .* 1 ciphertexts are in places the inventory does not list/,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expect(retireKey({ ...targets(), keyId: 'k1' })).rejects.toThrow(
      /1 ciphertexts are still encrypted with it/,
    );
  });

  it('resumes a rotation interrupted half-way from its checkpoints and finishes it', async () => {
    for (let i = 0; i < 6; i++) {
      await putDraft(`DRAFT#${i}`, `draft ${i}`);
      await putArtifact(artifactKey(i), `transcript ${i}`);
    }
    // The process dies right after saving the table's first checkpoint.
    const dying = DynamoDBDocumentClient.from(localDynamoClient(dynamoEngine.endpoint));
    const send = dying.send.bind(dying) as (command: unknown) => Promise<unknown>;
    dying.send = (async (command: unknown) => {
      const result = await send(command);
      const input = (command as { input?: { Item?: { pk?: { S?: string } } } }).input;
      if (input?.Item?.pk?.S === MAINTENANCE_PK) throw new Error('killed');
      return result;
    }) as typeof dying.send;
    await expect(rotateKeys({ ...targets(), dynamo: dying, resume: false })).rejects.toThrow('killed');
    dying.destroy();
    expect(await tableCheckpoint(doc, table, 'k2').load()).toBeDefined();
    const halfway = await keyringOnDisk();
    expect(halfway.keyIdOf(await draft('DRAFT#5'))).toBe('k1');

    await expect(retireKey({ ...targets(), keyId: 'k1', keyringCacheSeconds: 0 })).rejects.toBeInstanceOf(
      KeyRetirementRefusedError,
    );
    const log: string[] = [];
    const resumed = await rotateKeys({ ...targets(log), resume: true });

    expect(log.slice(0, 2)).toEqual([
      'Resuming re-encryption under key k2 (keyring: k2, k1).',
      'Continuing from the saved checkpoints.',
    ]);
    expect(resumed.everythingCurrent).toBe(true);
    expect(resumed.addedKeyId).toBeUndefined();
    for (let i = 0; i < 6; i++) {
      expect(halfway.keyIdOf(await draft(`DRAFT#${i}`))).toBe('k2');
      expect(halfway.keyIdOf((await artifact(artifactKey(i))).bytes)).toBe('k2');
    }
    expect(await tableCheckpoint(doc, table, 'k2').load()).toBeUndefined();
  });

  it('refuses to retire a key something is still encrypted with, listing where, and leaves the keyring', async () => {
    const k2 = { ...generateKeyringKey('k2'), addedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(keyringPath, JSON.stringify({ keys: [k2, k1] }));
    await putDraft('DRAFT#1', 'still old');
    await putArtifact(artifactKey(7), 'still old too');
    const before = await readFile(keyringPath, 'utf8');
    const log: string[] = [];

    const error = await retireKey({ ...targets(log), keyId: 'k1' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KeyRetirementRefusedError);
    expect((error as Error).message).toMatch(
      /Refusing to retire k1: 2 ciphertexts are still encrypted with it/,
    );
    expect(log).toContain(
      '  under k1: table:follow_up_draft pk=T#firm-a#MEETING#m1 sk=DRAFT#1 attribute=body',
    );
    expect(log).toContain(`  under k1: meeting-artifacts s3://${bucket}/${artifactKey(7)}`);
    expect(await readFile(keyringPath, 'utf8')).toBe(before);
  });

  it('on AWS writes the keyring without the retired key as a new version of the secret', async () => {
    const k2 = { ...generateKeyringKey('k2'), addedAt: '2026-01-01T00:00:00.000Z' };
    const versions = [JSON.stringify({ keys: [k2, k1] })];
    const secretsManager = {
      send: async (command: GetSecretValueCommand | PutSecretValueCommand) => {
        if (command.input.SecretId !== 'arn:keyring') throw new Error('wrong secret');
        if (command instanceof PutSecretValueCommand) versions.push(command.input.SecretString as string);
        return { SecretString: versions.at(-1) };
      },
    } as unknown as SecretsManagerLike;

    await retireKey({
      ...targets(),
      source: { kind: 'secrets-manager', secretId: 'arn:keyring' },
      secrets: createSecretStore({ secretsManager: () => secretsManager }),
      keyId: 'k1',
    });

    expect(versions).toHaveLength(2);
    expect(parseKeyringDocument(versions[1] as string).keys.map((k) => k.id)).toEqual(['k2']);
  });

  it.each([
    ['a key the keyring does not hold', 'k9', /Key k9 is not in the keyring \(it holds k2, k1\)/],
    ['the key that encrypts', 'k2', /k2 is the key that encrypts; run `smartad rotate-keys` first/],
  ])('refuses to retire %s', async (_what, keyId, message) => {
    await writeFile(keyringPath, JSON.stringify({ keys: [generateKeyringKey('k2'), k1] }));
    await expect(retireKey({ ...targets(), keyId })).rejects.toThrow(message);
  });

  it('refuses to retire the previous key while functions may still encrypt under it', async () => {
    const k2 = { ...generateKeyringKey('k2'), addedAt: new Date().toISOString() };
    await writeFile(keyringPath, JSON.stringify({ keys: [k2, k1] }));
    await expect(retireKey({ ...targets(), keyId: 'k1', keyringCacheSeconds: 300 })).rejects.toThrow(
      /functions may encrypt under k1 until .*KEYRING_CACHE_SECONDS=300/,
    );
  });
});
