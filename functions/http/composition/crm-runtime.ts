import { randomBytes, randomUUID } from 'node:crypto';
import { dynamoDocumentClient, s3Client } from '../../adapters/aws-clients';
import { createEncryptedBlobStore } from '../../adapters/blobs/encrypted-blob-store';
import { keyringProvider } from '../../adapters/secrets/secret-source';
import { createAuditLogStore } from '../../adapters/store/audit-log-store';
import { DynamoCrmConnectionStore } from '../../adapters/store/crm-connection-store';
import { DynamoCrmSyncStore } from '../../adapters/store/crm-sync-store';
import { DynamoStore } from '../../adapters/store/dynamo-store';
import { DynamoIdentityStore } from '../../adapters/store/identity-store';
import { DynamoMeetingStore } from '../../adapters/store/meeting-store';
import type { CrmDeps } from '../../core/crm/ports';
import { createCrmConnector } from '../../integrations/crm/crm-connector';
import { config } from '../../platform/config/config';

let cached: CrmDeps | undefined;

/**
 * What the CRM use cases need — the connections API, the re-sync route and the pipeline's `SyncCrm` — built once
 * per cold start from validated config; nothing does I/O until a call needs it.
 */
export function crmRuntime(): CrmDeps {
  if (cached) return cached;
  const cfg = config();
  const client = dynamoDocumentClient(cfg);
  const keyring = keyringProvider(cfg.keyring, cfg.keyringCacheSeconds);
  const clock = { now: () => Date.now() };
  const storeDeps = { client, tableName: cfg.tableName, keyring, now: clock.now };
  const store = new DynamoStore(storeDeps);
  cached = {
    connections: new DynamoCrmConnectionStore(store),
    connector: createCrmConnector({
      baseUrls: cfg.crm.baseUrls,
      timeoutMs: cfg.crm.timeoutMs,
      maxAttempts: cfg.crm.maxAttempts,
    }),
    ledger: new DynamoCrmSyncStore(store),
    meetings: new DynamoMeetingStore(store),
    users: new DynamoIdentityStore(storeDeps),
    extractions: createEncryptedBlobStore({ client: s3Client(cfg), bucket: cfg.buckets.uploads, keyring }),
    audit: createAuditLogStore({ client, tableName: cfg.tableName, now: clock.now, keyring }),
    clock,
    ids: { uuid: () => randomUUID(), token: () => randomBytes(32).toString('hex') },
    settings: cfg.appBaseUrl ? { appBaseUrl: cfg.appBaseUrl } : {},
  };
  return cached;
}
