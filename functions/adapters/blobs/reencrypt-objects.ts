import { GetObjectCommand, ListObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CIPHERTEXT_PREFIX_BYTES,
  ciphertextKeyId,
  type Keyring,
  MIN_CIPHERTEXT_BYTES,
} from '../../platform/crypto/keyring';
import { DecryptionError } from '../../platform/errors';
import { forEachBounded } from '../keyring/bounded-concurrency';
import { type ObjectCiphertextStore, sealObject } from '../keyring/ciphertext-inventory';
import { countsOf, emptyFindings, notePlace, type PassFindings } from '../keyring/rotation-counts';
import type { ScanCheckpoint } from '../store/reencrypt-table';
import { blobAad } from './blob-aad';

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_CONCURRENCY = 8;
/** An object rewritten by the application meanwhile can lose the race a few times; then it is left stale. */
const MAX_ATTEMPTS_PER_OBJECT = 3;

export interface ObjectsProgress {
  store: string;
  pages: number;
  done: boolean;
  findings: PassFindings;
}

export interface ReencryptObjectsOptions {
  client: S3Client;
  /** The store of the inventory and the actual name of its bucket. */
  store: ObjectCiphertextStore;
  bucketName: string;
  keyring: Keyring;
  /** Holds the last key of the last finished page (`{ key: { S } }`). */
  checkpoint: ScanCheckpoint;
  /** Keys per ListObjects page (at most 1000); the checkpoint is saved after each page. */
  pageSize?: number;
  /** Objects of a page worked on at once (default 8). */
  concurrency?: number;
  /** Only look: read each object's header, count and list those not under the primary key, write nothing. */
  inspectOnly?: boolean;
  onProgress?: (progress: ObjectsProgress) => void;
}

interface FetchedObject {
  body: Uint8Array;
  etag: string | undefined;
  contentType: string | undefined;
}

/**
 * Re-encrypts, under `keyring.primaryKeyId`, every object under the store's prefix whose ciphertext names
 * another key. Lists the prefix page by page (in key order, so the last key resumes after the last finished
 * page), `concurrency` objects at a time. Each rewrite is a PutObject with `If-Match` on the ETag that was read:
 * an object the application rewrote meanwhile is never overwritten (412, or 409 for a concurrent conditional
 * write, or 404 once deleted); it is re-read and re-checked instead. An object that is not a keyring
 * ciphertext is left alone and reported as unregistered.
 */
export async function reencryptObjects(options: ReencryptObjectsOptions): Promise<PassFindings> {
  const { client, store, bucketName, checkpoint } = options;
  const findings = emptyFindings();
  countsOf(findings, store.name);
  const saved = await checkpoint.load();
  let startAfter = (saved?.key as { S?: string } | undefined)?.S;
  let pages = 0;
  let more = true;

  while (more) {
    // ListObjects (v1) with `Marker`: the same key-ordered paging as v2's StartAfter, and the local S3 server
    // cannot issue v2 continuation tokens (it seals them with DES, which OpenSSL 3 refuses).
    const page = await client.send(
      new ListObjectsCommand({
        Bucket: bucketName,
        Prefix: store.prefix,
        MaxKeys: options.pageSize ?? DEFAULT_PAGE_SIZE,
        ...(startAfter === undefined ? {} : { Marker: startAfter }),
      }),
    );
    const listed = (page.Contents ?? []).flatMap((object) =>
      object.Key === undefined ? [] : [{ key: object.Key, size: object.Size }],
    );
    const keys = listed.map((object) => object.key);
    await forEachBounded(listed, options.concurrency ?? DEFAULT_CONCURRENCY, (object) =>
      reencryptObject(options, object, findings),
    );
    more = page.IsTruncated === true && keys.length > 0;
    startAfter = keys.at(-1) ?? startAfter;
    if (!options.inspectOnly) await checkpoint.save(more ? { key: { S: startAfter } } : undefined);
    pages++;
    options.onProgress?.({ store: store.name, pages, done: !more, findings });
  }
  return findings;
}

async function reencryptObject(
  options: ReencryptObjectsOptions,
  listed: { key: string; size: number | undefined },
  findings: PassFindings,
) {
  const { client, store, bucketName, keyring } = options;
  const { key } = listed;
  const counts = countsOf(findings, store.name);
  counts.scanned++;
  const where = `s3://${bucketName}/${key}`;
  if (listed.size !== undefined && listed.size < MIN_CIPHERTEXT_BYTES) {
    // Too short to be a ciphertext (and the local S3 server mishandles a byte range of an empty object).
    counts.unregistered++;
    notePlace(findings, { store: store.name, keyId: undefined, where, unregistered: true });
    return;
  }
  let staleKeyId: string | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS_PER_OBJECT; attempt++) {
    // Inspection reads only the header; a rewrite needs the whole object and its ETag anyway.
    const object = await getObject(client, bucketName, key, options.inspectOnly);
    if (object === undefined) return;
    const keyId = ciphertextKeyId(object.body);
    if (keyId === undefined) {
      counts.unregistered++;
      notePlace(findings, { store: store.name, keyId, where, unregistered: true });
      return;
    }
    staleKeyId = keyId;
    if (keyId === keyring.primaryKeyId) {
      counts.alreadyCurrent++;
      return;
    }
    if (options.inspectOnly) break;
    const rewritten = reencryptBody(keyring, store.name, bucketName, key, object.body);
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucketName,
          Key: key,
          Body: rewritten,
          ContentType: object.contentType ?? 'application/octet-stream',
          ...(object.etag === undefined ? {} : { IfMatch: object.etag }),
        }),
      );
      counts.reencrypted++;
      return;
    } catch (error) {
      if (!isLostRace(error)) throw error;
      counts.conflicts++;
    }
  }
  counts.stale++;
  notePlace(findings, { store: store.name, keyId: staleKeyId, where, unregistered: false });
}

function reencryptBody(
  keyring: Keyring,
  store: string,
  bucketName: string,
  key: string,
  body: Uint8Array,
): Uint8Array {
  let plaintext: Buffer;
  try {
    plaintext = keyring.decrypt(body, blobAad(bucketName, key));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DecryptionError(`Cannot re-encrypt object s3://${bucketName}/${key}: ${reason}`, error);
  }
  try {
    return sealObject(keyring, store, bucketName, key, plaintext);
  } finally {
    plaintext.fill(0);
  }
}

/** The object (or its first bytes), or undefined once it is gone. */
async function getObject(
  client: S3Client,
  bucket: string,
  key: string,
  headerOnly = false,
): Promise<FetchedObject | undefined> {
  try {
    const result = await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(headerOnly ? { Range: `bytes=0-${CIPHERTEXT_PREFIX_BYTES - 1}` } : {}),
      }),
    );
    return {
      body: result.Body ? await result.Body.transformToByteArray() : new Uint8Array(),
      etag: result.ETag,
      contentType: result.ContentType,
    };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** 412 (the ETag changed), 409 (a concurrent conditional write) or 404 (deleted since it was read). */
function isLostRace(error: unknown): boolean {
  const status = statusOf(error);
  return status === 412 || status === 409 || status === 404;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'NoSuchKey' || e?.name === 'NotFound') return 404;
  if (e?.name === 'PreconditionFailed') return 412;
  return e?.$metadata?.httpStatusCode;
}
