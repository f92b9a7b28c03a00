import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MeetingBlobStore, MeetingRef } from '../../core/pipeline/ports';
import { AppError, NotFoundError } from '../../platform/errors';
import { sealObject } from '../keyring/ciphertext-inventory';
import { decryptRecord } from '../keyring/decrypt-record';
import type { KeyringProvider } from '../secrets/secret-source';
import { blobAad } from './blob-aad';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;

/** A blob key outside the calling tenant's prefix, or an id that could escape it: a programming error. */
export class BlobKeyError extends AppError {
  constructor(message: string) {
    super('blob_key_invalid', message);
  }
}

/** `tenants/{tenantId}/meetings/{meetingId}/{name}`: outside `uploads/`, so the uploads lifecycle never expires it. */
export function meetingBlobKey(ref: MeetingRef, name: string): string {
  if (!ID.test(ref.tenantId) || !ID.test(ref.meetingId) || !NAME.test(name) || name.includes('..')) {
    throw new BlobKeyError('Tenant id, meeting id or blob name is not a safe key segment.');
  }
  return `tenants/${ref.tenantId}/meetings/${ref.meetingId}/${name}`;
}

export interface EncryptedBlobStoreDeps {
  client: S3Client;
  bucket: string;
  keyring: KeyringProvider;
}

/**
 * The meeting's pipeline artefacts in the uploads bucket, keyring-encrypted on top of the bucket's SSE-KMS: the
 * bucket key protects against storage exposure, the keyring against anyone who can read the bucket but not the
 * keyring secret. Also reads the raw uploaded files (`uploads/…`, not keyring-encrypted).
 */
export function createEncryptedBlobStore(deps: EncryptedBlobStoreDeps): MeetingBlobStore & {
  putBytes(ref: MeetingRef, name: string, bytes: Uint8Array): Promise<string>;
  getBytes(tenantId: string, key: string): Promise<Buffer>;
} {
  const { client, bucket } = deps;

  const putBytes = async (ref: MeetingRef, name: string, bytes: Uint8Array): Promise<string> => {
    const key = meetingBlobKey(ref, name);
    const ciphertext = sealObject(await deps.keyring.load(), 'meeting-artifacts', bucket, key, bytes);
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: ciphertext,
        ContentType: 'application/octet-stream',
      }),
    );
    return key;
  };

  const getBytes = async (tenantId: string, key: string): Promise<Buffer> => {
    if (!ID.test(tenantId) || !key.startsWith(`tenants/${tenantId}/meetings/`) || key.includes('..')) {
      throw new BlobKeyError(`Blob key does not belong to tenant ${tenantId}.`);
    }
    const ciphertext = await readObject(client, bucket, key);
    return decryptRecord(deps.keyring, ciphertext, blobAad(bucket, key), `object s3://${bucket}/${key}`);
  };

  return {
    putBytes,
    getBytes,
    putJson: (ref, name, value) => putBytes(ref, name, new TextEncoder().encode(JSON.stringify(value))),
    getJson: async (tenantId, key) => JSON.parse((await getBytes(tenantId, key)).toString('utf8')) as unknown,
    findJson: async (ref, name) => {
      try {
        return JSON.parse(
          (await getBytes(ref.tenantId, meetingBlobKey(ref, name))).toString('utf8'),
        ) as unknown;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
  };
}

/** An object's bytes; `NotFoundError` when there is none. */
export async function readObject(client: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  try {
    const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!result.Body) throw new NotFoundError(`Object ${key} has no body.`);
    return await result.Body.transformToByteArray();
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
      throw new NotFoundError(`Object ${key} not found.`);
    }
    throw error;
  }
}
