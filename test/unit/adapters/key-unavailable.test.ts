import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { decryptRecord } from '../../../functions/adapters/keyring/decrypt-record';
import {
  createKeyUnavailableSignal,
  KEY_UNAVAILABLE_METRIC,
} from '../../../functions/adapters/keyring/key-unavailable-signal';
import {
  keyringProvider,
  setDefaultSecretStoreForTests,
} from '../../../functions/adapters/secrets/secret-source';
import { decodeItem } from '../../../functions/adapters/store/item-codec';
import {
  createKeyring,
  EncryptionKeyUnavailableError,
  generateKeyringKey,
  type Keyring,
  stringifyKeyringDocument,
} from '../../../functions/platform/crypto/keyring';
import { DecryptionError } from '../../../functions/platform/errors';
import { mapError } from '../../../functions/platform/http/error-status';

const k1 = generateKeyringKey('k1');
const k2 = generateKeyringKey('k2');
const old = createKeyring({ keys: [k1] });
const retired = createKeyring({ keys: [k2] });

function provider(first: Keyring, second: Keyring = first) {
  const signals: [string, string][] = [];
  return {
    signals,
    load: vi.fn(async () => first),
    reload: vi.fn(async () => second),
    keyUnavailable: (keyId: string, record: string) => void signals.push([keyId, record]),
  };
}

describe('decryptRecord', () => {
  it('reloads the keyring once on an unknown key id (a rotation since it was loaded) and decrypts', async () => {
    const both = createKeyring({ keys: [k2, k1] });
    const p = provider(createKeyring({ keys: [k1] }), both);
    const ciphertext = both.encrypt('hello', 'aad');
    expect((await decryptRecord(p, ciphertext, 'aad', 'x')).toString()).toBe('hello');
    expect(p.reload).toHaveBeenCalledTimes(1);
    expect(p.signals).toEqual([]);
  });

  it('reports a key still unknown after the reload and fails with a message naming no key', async () => {
    const p = provider(retired);
    const error = await decryptRecord(
      p,
      old.encrypt('secret', 'aad'),
      'aad',
      'meeting.title of item P / S',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EncryptionKeyUnavailableError);
    expect(error).toMatchObject({
      code: 'encryption_key_unavailable',
      keyId: 'k1',
      record: 'meeting.title of item P / S',
    });
    expect((error as Error).message).toBe('This record cannot be decrypted right now. Try again later.');
    expect(p.signals).toEqual([['k1', 'meeting.title of item P / S']]);
  });

  it('lets a tampered ciphertext fail as the keyring says, without reporting a missing key', async () => {
    const p = provider(old);
    const bytes = Buffer.from(old.encrypt('x', 'aad'));
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 1, bytes.length - 1);
    await expect(decryptRecord(p, bytes, 'aad', 'r')).rejects.toBeInstanceOf(DecryptionError);
    await expect(decryptRecord(p, bytes, 'aad', 'r')).rejects.not.toBeInstanceOf(
      EncryptionKeyUnavailableError,
    );
    expect(p.signals).toEqual([]);
  });

  it('is what the store meets when an item field is under a retired key', async () => {
    const p = provider(retired);
    const Entity = {
      name: 'meeting',
      schema: z.object({ title: z.string() }),
      encrypted: ['title'] as const,
    };
    const { fieldAad } = await import('../../../functions/adapters/store/field-aad');
    const stored = {
      pk: 'T#f#MEETING#m',
      sk: 'META',
      entity: 'meeting',
      title: old.encrypt('"T"', fieldAad('T#f#MEETING#m', 'META', 'title')),
    };
    await expect(decodeItem(p, Entity, stored)).rejects.toBeInstanceOf(EncryptionKeyUnavailableError);
    expect(p.signals).toEqual([['k1', 'meeting.title of item T#f#MEETING#m / META']]);
  });
});

describe('the key-unavailable signal', () => {
  it('logs encryption_key_unavailable with the key id and the record, then one EMF datum', () => {
    const lines: string[] = [];
    createKeyUnavailableSignal({ stdout: (line) => lines.push(line), now: () => 1_700_000_000_000 })(
      'k1',
      'object s3://b/tenants/t/meetings/m/transcript.json',
    );
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'error',
      message: 'encryption_key_unavailable',
      key_id: 'k1',
      record: 'object s3://b/tenants/t/meetings/m/transcript.json',
    });
    expect(JSON.parse(lines[1] as string)).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: KEY_UNAVAILABLE_METRIC.namespace,
            Dimensions: [[]],
            Metrics: [{ Name: 'EncryptionKeyUnavailable', Unit: 'Count' }],
          },
        ],
      },
      EncryptionKeyUnavailable: 1,
    });
  });
});

describe('the HTTP answer', () => {
  it('is a 500 saying the record cannot be decrypted right now, with no key detail', () => {
    const mapped = mapError(new EncryptionKeyUnavailableError('k1', 'meeting.title of item P / S'), 'req-1');
    expect(mapped.status).toBe(500);
    expect(mapped.body.error).toEqual({
      code: 'encryption_key_unavailable',
      message: 'This record cannot be decrypted right now. Try again later.',
      issues: [],
      request_id: 'req-1',
    });
    expect(JSON.stringify(mapped.body)).not.toMatch(/k1|meeting\.title/);
  });

  it('keeps every other 500 generic', () => {
    expect(mapError(new DecryptionError('bad tag under k1'), 'r').body.error.message).toBe('Internal error.');
  });
});

describe('keyringProvider', () => {
  let dir: string | undefined;
  afterEach(async () => {
    setDefaultSecretStoreForTests(undefined);
    vi.useRealTimers();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the keyring again once it is older than its cache time, so a warm process picks up a rotation', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    dir = await mkdtemp(join(tmpdir(), 'provider-'));
    const path = join(dir, 'keyring.json');
    await writeFile(path, stringifyKeyringDocument({ keys: [k1] }));
    const p = keyringProvider({ kind: 'file', path }, 300);
    expect((await p.load()).primaryKeyId).toBe('k1');
    await writeFile(path, stringifyKeyringDocument({ keys: [k2, k1] }));
    vi.setSystemTime(299_000);
    expect((await p.load()).primaryKeyId).toBe('k1');
    vi.setSystemTime(300_000);
    expect((await p.load()).primaryKeyId).toBe('k2');
  });

  it('keeps the loaded keyring when a re-read fails, but lets a reload for an unknown key fail', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    dir = await mkdtemp(join(tmpdir(), 'provider-'));
    const path = join(dir, 'keyring.json');
    await writeFile(path, stringifyKeyringDocument({ keys: [k1] }));
    const p = keyringProvider({ kind: 'file', path }, 300);
    expect((await p.load()).primaryKeyId).toBe('k1');
    await rm(path);
    vi.setSystemTime(600_000);
    expect((await p.load()).primaryKeyId).toBe('k1');
    await expect(p.reload()).rejects.toThrow(/Cannot read secret file/);
  });
});
