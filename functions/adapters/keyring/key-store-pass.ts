import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BucketName } from '../../contracts/bucket-definitions';
import type { Keyring } from '../../platform/crypto/keyring';
import { reencryptObjects } from '../blobs/reencrypt-objects';
import type { SecretSource, SecretStore } from '../secrets/secret-source';
import { reencryptTable, type ScanCheckpoint, tableCheckpoint } from '../store/reencrypt-table';
import { OBJECT_CIPHERTEXTS } from './ciphertext-inventory';
import {
  emptyCounts,
  mergeFindings,
  type PassFindings,
  type StoreCounts,
  totalCounts,
} from './rotation-counts';

/** Where the keyring and the stores of the inventory are: the local engines or the deployed AWS resources. */
export interface KeyMaintenanceTargets {
  /** Where the keyring lives (`config().keyring`). */
  source: SecretSource;
  dynamo: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  s3: S3Client;
  /** Actual bucket names. */
  buckets: Record<BucketName, string>;
  /** The functions' `KEYRING_CACHE_SECONDS`: how long after a rotation they may still encrypt under the old key. */
  keyringCacheSeconds: number;
  log: (message: string) => void;
  /** Default: the process-wide secret store. */
  secrets?: SecretStore;
  pageSize?: number;
  concurrency?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A checkpoint that never holds anything (inspection passes are not resumed). */
const NO_CHECKPOINT: ScanCheckpoint = { load: async () => undefined, save: async () => {} };

/**
 * One pass over every store of the inventory: the table, then each object store. Writing passes resume from
 * and save per-store checkpoints under `keyring.primaryKeyId`; inspection passes write nothing.
 */
export async function passOverStores(
  targets: KeyMaintenanceTargets,
  keyring: Keyring,
  options: { inspectOnly: boolean },
): Promise<PassFindings> {
  const { inspectOnly } = options;
  const limits = {
    ...(targets.pageSize === undefined ? {} : { pageSize: targets.pageSize }),
    ...(targets.concurrency === undefined ? {} : { concurrency: targets.concurrency }),
  };
  const checkpoint = (store?: string) =>
    inspectOnly
      ? NO_CHECKPOINT
      : tableCheckpoint(targets.dynamo, targets.tableName, keyring.primaryKeyId, store);
  const progress = (store: string, pages: number, findings: PassFindings, done: boolean) => {
    const t = totalCounts(findings);
    targets.log(
      `  ${store} page ${pages}: ${t.scanned} scanned, ${t.reencrypted} re-encrypted, ` +
        `${t.alreadyCurrent} already current, ${t.conflicts} conflicts${done ? ' — done.' : ''}`,
    );
  };
  const findings = await reencryptTable({
    client: targets.dynamo,
    tableName: targets.tableName,
    keyring,
    checkpoint: checkpoint(),
    inspectOnly,
    ...limits,
    onProgress: (p) => progress('table', p.pages, p.findings, p.done),
  });
  for (const store of OBJECT_CIPHERTEXTS) {
    const objects = await reencryptObjects({
      client: targets.s3,
      store,
      bucketName: targets.buckets[store.bucket],
      keyring,
      checkpoint: checkpoint(store.name),
      inspectOnly,
      ...limits,
      onProgress: (p) => progress(store.name, p.pages, p.findings, p.done),
    });
    mergeFindings(findings, objects);
  }
  return findings;
}

/** Whether any store of the inventory has a saved checkpoint under `keyId` (an interrupted pass). */
export async function hasCheckpoint(targets: KeyMaintenanceTargets, keyId: string): Promise<boolean> {
  const stores = [undefined, ...OBJECT_CIPHERTEXTS.map((s) => s.name)];
  for (const store of stores) {
    if ((await tableCheckpoint(targets.dynamo, targets.tableName, keyId, store).load()) !== undefined)
      return true;
  }
  return false;
}

/** One line per store: what the pass scanned, re-encrypted, found current, lost to writers, left behind. */
export function storeLines(
  findings: PassFindings,
  targets: Pick<KeyMaintenanceTargets, 'buckets'>,
): string[] {
  const line = (name: string, c: StoreCounts) =>
    `  ${name}: ${c.scanned} scanned, ${c.reencrypted} re-encrypted, ${c.alreadyCurrent} already current, ` +
    `${c.conflicts} conflicts${c.stale > 0 ? `, ${c.stale} still under old keys` : ''}` +
    `${c.unregistered > 0 ? `, ${c.unregistered} unregistered` : ''}`;
  const lines = Object.entries(findings.stores)
    .filter(([name]) => name.startsWith('table:'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, counts]) => line(name, counts));
  for (const store of OBJECT_CIPHERTEXTS) {
    const counts = findings.stores[store.name] ?? emptyCounts();
    lines.push(line(`${store.name} (s3://${targets.buckets[store.bucket]}/${store.prefix})`, counts));
  }
  return lines;
}
