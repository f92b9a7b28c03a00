import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createArchiveWriter } from '../../../functions/adapters/blobs/archive-writer';
import {
  BlobKeyError,
  createEncryptedBlobStore,
} from '../../../functions/adapters/blobs/encrypted-blob-store';
import {
  archiveFailureEmf,
  createPipelineSignals,
} from '../../../functions/adapters/pipeline/pipeline-signals';
import { BUCKET_DEFINITIONS } from '../../../functions/contracts/bucket-definitions';
import { createKeyring } from '../../../functions/platform/crypto/keyring';
import { DecryptionError, NotFoundError } from '../../../functions/platform/errors';
import { Logger } from '../../../functions/platform/logging/logger';

/** An S3 client that records commands and keeps objects in a map. */
function fakeS3(options: { putError?: unknown } = {}) {
  const objects = new Map<string, Uint8Array>();
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      if (command instanceof PutObjectCommand) {
        if (options.putError) throw options.putError;
        objects.set(command.input.Key ?? '', command.input.Body as Uint8Array);
        return {};
      }
      if (command instanceof GetObjectCommand) {
        const body = objects.get(command.input.Key ?? '');
        if (!body) throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
        return { Body: { transformToByteArray: async () => body } };
      }
      throw new Error('unexpected command');
    },
  } as unknown as S3Client;
  return { client, objects, sent };
}

describe('archive writer (the request parameters: the local S3 server ignores Object Lock)', () => {
  const retainUntil = new Date('2032-01-19T15:00:00.000Z');
  const body = new TextEncoder().encode('{"format":"x"}');

  it('puts with Object Lock COMPLIANCE, retain-until, an explicit SHA-256 checksum and If-None-Match', async () => {
    const s3 = fakeS3();
    const outcome = await createArchiveWriter(s3.client, 'archive-bucket').write({
      key: 'meetings/t/2026/01/m.json',
      body,
      retainUntil,
    });
    expect(outcome).toBe('written');
    const [command] = s3.sent as PutObjectCommand[];
    expect(command?.input).toEqual({
      Bucket: 'archive-bucket',
      Key: 'meetings/t/2026/01/m.json',
      Body: body,
      ContentType: 'application/json',
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: retainUntil,
      IfNoneMatch: '*',
    });
    expect(BUCKET_DEFINITIONS.archive.objectLock.mode).toBe('COMPLIANCE');
  });

  it('answers already_archived on 412 Precondition Failed, and rethrows anything else', async () => {
    const precondition = Object.assign(
      new Error('At least one of the pre-conditions you specified did not hold'),
      {
        name: 'PreconditionFailed',
        $metadata: { httpStatusCode: 412 },
      },
    );
    const again = createArchiveWriter(fakeS3({ putError: precondition }).client, 'b');
    expect(await again.write({ key: 'k', body, retainUntil })).toBe('already_archived');
    const denied = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      createArchiveWriter(fakeS3({ putError: denied }).client, 'b').write({ key: 'k', body, retainUntil }),
    ).rejects.toBe(denied);
  });
});

describe('archive writer: what counts as already archived', () => {
  const body = new TextEncoder().encode('{}');
  const retainUntil = new Date(Date.UTC(2032, 0, 1));
  const write = (error: unknown) =>
    createArchiveWriter(fakeS3({ putError: error }).client, 'b').write({ key: 'k', body, retainUntil });

  it('takes either sign of a failed If-None-Match, the error name or the 412 status, alone', async () => {
    expect(await write(Object.assign(new Error('x'), { name: 'PreconditionFailed' }))).toBe(
      'already_archived',
    );
    expect(
      await write(Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode: 412 } })),
    ).toBe('already_archived');
  });

  it('rethrows anything else as it was thrown, even values that are not errors', async () => {
    for (const thrown of ['socket hang up', Object.assign(new Error('x'), { name: 'Conflict' })]) {
      await expect(write(thrown)).rejects.toBe(thrown);
    }
  });
});

describe('encrypted blob store', () => {
  const keyring = createKeyring({ keys: [{ id: 'k1', material: 'a'.repeat(48) }] });
  const provider = { load: async () => keyring, reload: async () => keyring };
  const ref = { tenantId: 'firm-a', meetingId: 'm-1' };

  it('round-trips JSON under tenants/{tenant}/meetings/{meeting}/{name}, stored as ciphertext', async () => {
    const s3 = fakeS3();
    const store = createEncryptedBlobStore({ client: s3.client, bucket: 'uploads', keyring: provider });
    const key = await store.putJson(ref, 'extraction.json', { note: 'Doug has 450,000 in his 401k' });
    expect(key).toBe('tenants/firm-a/meetings/m-1/extraction.json');
    expect(Buffer.from(s3.objects.get(key) ?? []).toString('latin1')).not.toContain('Doug');
    expect(await store.getJson('firm-a', key)).toEqual({ note: 'Doug has 450,000 in his 401k' });
  });

  it('refuses a tampered object and one copied to another key', async () => {
    const s3 = fakeS3();
    const store = createEncryptedBlobStore({ client: s3.client, bucket: 'uploads', keyring: provider });
    const key = await store.putJson(ref, 'extraction.json', { a: 1 });
    const copy = 'tenants/firm-a/meetings/m-2/extraction.json';
    s3.objects.set(copy, s3.objects.get(key) as Uint8Array);
    await expect(store.getJson('firm-a', copy)).rejects.toBeInstanceOf(DecryptionError);
    const tampered = Uint8Array.from(s3.objects.get(key) as Uint8Array);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    s3.objects.set(key, tampered);
    await expect(store.getJson('firm-a', key)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("refuses another tenant's key, unsafe segments, and answers NotFound for a missing object", async () => {
    const store = createEncryptedBlobStore({ client: fakeS3().client, bucket: 'uploads', keyring: provider });
    await expect(store.getJson('firm-b', 'tenants/firm-a/meetings/m-1/x.json')).rejects.toBeInstanceOf(
      BlobKeyError,
    );
    await expect(
      store.putJson({ tenantId: 'firm-a', meetingId: '../x' }, 'a.json', 1),
    ).rejects.toBeInstanceOf(BlobKeyError);
    await expect(store.getJson('firm-a', 'tenants/firm-a/meetings/m-1/none.json')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('encrypted blob store: findJson', () => {
  const keyring = createKeyring({ keys: [{ id: 'k1', material: 'a'.repeat(48) }] });
  const provider = { load: async () => keyring, reload: async () => keyring };

  it('finds a meeting artefact by name, undefined when there is none, and still refuses a tampered one', async () => {
    const s3 = fakeS3();
    const store = createEncryptedBlobStore({ client: s3.client, bucket: 'uploads', keyring: provider });
    const ref = { tenantId: 'firm-a', meetingId: 'm-1' };
    expect(await store.findJson(ref, 'extraction-progress.json')).toBeUndefined();
    const key = await store.putJson(ref, 'extraction-progress.json', { parts: { '0-9': 'done' } });
    expect(await store.findJson(ref, 'extraction-progress.json')).toEqual({ parts: { '0-9': 'done' } });
    const tampered = Uint8Array.from(s3.objects.get(key) as Uint8Array);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    s3.objects.set(key, tampered);
    await expect(store.findJson(ref, 'extraction-progress.json')).rejects.toBeInstanceOf(DecryptionError);
  });
});

describe('pipeline signals', () => {
  it('prints one EMF line per model call: tokens and cost by model and purpose, no content', () => {
    const out: string[] = [];
    const log = new Logger({ service: 's', level: 'info', sink: () => undefined });
    const signals = createPipelineSignals(log, {
      now: () => 1_700_000_000_000,
      stdout: (l) => void out.push(l),
    });
    signals.llmCall({
      at: '2026-01-20T15:00:00.000Z',
      purpose: 'extraction_part',
      part: '2/5',
      model: 'claude-sonnet-5-5',
      stopReason: 'end_turn',
      maxTokens: 17_000,
      inputTokens: 12_000,
      cacheWriteTokens: 0,
      cacheReadTokens: 1_400,
      outputTokens: 11_000,
      costUsd: 0.13428,
    });
    const line = JSON.parse(out[0] ?? '');
    expect(line._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'SmartAdvisor',
      Dimensions: [['Model', 'Purpose']],
    });
    expect(line).toMatchObject({
      Model: 'claude-sonnet-5-5',
      Purpose: 'extraction_part',
      LlmInputTokens: 12_000,
      LlmCacheReadTokens: 1_400,
      LlmOutputTokens: 11_000,
      LlmCostUsd: 0.13428,
    });
  });

  it('prints one EMF datum SmartAdvisor/ArchiveFailures = 1 Count without dimensions, and logs at error', () => {
    const out: string[] = [];
    const logged: string[] = [];
    const log = new Logger({ service: 's', level: 'info', sink: (line) => void logged.push(line) });
    const signals = createPipelineSignals(log, {
      now: () => 1_700_000_000_000,
      stdout: (l) => void out.push(l),
    });
    signals.archiveFailure();
    signals.complianceActionRequired(
      'COMPLIANCE ACTION REQUIRED: meeting m of tenant t could not be archived: x',
    );
    expect(out).toEqual([archiveFailureEmf(1_700_000_000_000)]);
    expect(JSON.parse(out[0] ?? '')).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'SmartAdvisor',
            Dimensions: [[]],
            Metrics: [{ Name: 'ArchiveFailures', Unit: 'Count' }],
          },
        ],
      },
      ArchiveFailures: 1,
    });
    expect(JSON.parse(logged[0] ?? '')).toMatchObject({
      level: 'error',
      message: expect.stringContaining('COMPLIANCE ACTION REQUIRED'),
    });
  });
});
