import { randomBytes, randomUUID } from 'node:crypto';
import { dynamoDocumentClient } from '../adapters/aws-clients';
import { keyringProvider } from '../adapters/secrets/secret-source';
import { type AuditLogStore, createAuditLogStore } from '../adapters/store/audit-log-store';
import { DynamoStore, type StoreDeps } from '../adapters/store/dynamo-store';
import type { Clock } from '../contracts/clock';
import type { Ids } from '../contracts/ids';
import { type Config, config } from '../platform/config/config';

/**
 * What every function family builds on: validated config, the table client, the keyring, the clock, ids and
 * the audit log. DynamoDB and the keyring's secret only: a family adds S3, Step Functions or a vendor SDK
 * itself, so a function that never calls one never bundles it. Built once per cold start; no I/O until used.
 */
export interface Base {
  config: Config;
  /** Table client, name, keyring and clock: what every table adapter is constructed with. */
  storeDeps: StoreDeps;
  /** The single-table store the entity stores share. */
  store: DynamoStore;
  audit: AuditLogStore;
  clock: Clock;
  ids: Ids;
}

let cached: Base | undefined;

export function base(): Base {
  if (cached) return cached;
  const cfg = config();
  const client = dynamoDocumentClient(cfg);
  const keyring = keyringProvider(cfg.keyring, cfg.keyringCacheSeconds);
  const clock = { now: () => Date.now() };
  const storeDeps = { client, tableName: cfg.tableName, keyring, now: clock.now };
  cached = {
    config: cfg,
    storeDeps,
    store: new DynamoStore(storeDeps),
    audit: createAuditLogStore({ client, tableName: cfg.tableName, now: clock.now, keyring }),
    clock,
    ids: { uuid: () => randomUUID(), token: () => randomBytes(32).toString('hex') },
  };
  return cached;
}
