import { mkdir } from 'node:fs/promises';
import {
  CreateBucketCommand,
  type CreateBucketCommandInput,
  HeadBucketCommand,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import s3rverAccounts from 's3rver/lib/models/account.js';
import { LOCAL_ENGINE_CREDENTIALS } from './dynamo-engine';
import { LOCAL_BIND_HOST } from './port-check';
import { s3ConditionalWrites } from './s3-conditional-writes';

export interface S3Engine {
  endpoint: string;
  port: number;
  directory: string;
  /** The server, whose `event` emitter carries S3-shaped `ObjectCreated:Put` records (upload trigger). */
  server: S3rver;
  stop(): Promise<void>;
}

/**
 * The S3 client settings every local S3 client needs: path-style addressing (no bucket subdomains on
 * 127.0.0.1) and checksums only when required — s3rver stores aws-chunked streamed bodies corrupted otherwise.
 */
export function localS3Client(endpoint: string, region = 'us-east-1'): S3Client {
  return new S3Client({
    endpoint,
    region,
    credentials: LOCAL_ENGINE_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Lets requests signed with this access key id through. s3rver only knows its own `S3RVER` key and answers
 * 403 InvalidAccessKeyId to any other; it never verifies SigV4 signatures, so the secret does not matter.
 */
export function allowS3AccessKey(accessKeyId: string): void {
  s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, 'not-verified');
}

/**
 * Starts s3rver on a free loopback port, silent, storing objects under `directory`, with S3's conditional
 * PutObject added (`s3-conditional-writes.ts`).
 */
export async function startS3Engine(directory: string): Promise<S3Engine> {
  await mkdir(directory, { recursive: true });
  allowS3AccessKey(LOCAL_ENGINE_CREDENTIALS.accessKeyId);
  const server = new S3rver({ address: LOCAL_BIND_HOST, port: 0, silent: true, directory });
  server.middleware.unshift(s3ConditionalWrites());
  const address = await server.run();
  const endpoint = `http://${LOCAL_BIND_HOST}:${address.port}`;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port: address.port,
    directory,
    server,
    stop: () => {
      stopping ??= server.close().catch(() => undefined);
      return stopping;
    },
  };
}

/**
 * Creates a bucket through the S3 API unless it exists. `objectLock` sends `ObjectLockEnabledForBucket` as the
 * real archive bucket has it; s3rver accepts and ignores it, so nothing here enforces retention.
 */
export async function ensureBucket(client: S3Client, bucket: string, objectLock = false): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (error) {
    if (!(error instanceof NotFound) && (error as { name?: string }).name !== 'NotFound') throw error;
  }
  const input: CreateBucketCommandInput = { Bucket: bucket };
  if (objectLock) input.ObjectLockEnabledForBucket = true;
  await client.send(new CreateBucketCommand(input));
  return true;
}
