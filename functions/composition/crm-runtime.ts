import { s3Client } from '../adapters/aws-clients';
import { createEncryptedBlobStore } from '../adapters/blobs/encrypted-blob-store';
import { DynamoCrmConnectionStore } from '../adapters/store/crm-connection-store';
import { DynamoCrmSyncStore } from '../adapters/store/crm-sync-store';
import { DynamoIdentityStore } from '../adapters/store/identity-store';
import { DynamoMeetingStore } from '../adapters/store/meeting-store';
import type { CrmDeps } from '../core/crm/ports';
import { createCrmConnector } from '../integrations/crm/crm-connector';
import { base } from './base';

let cached: CrmDeps | undefined;

/**
 * What the CRM use cases need — the connections API, the re-sync route and the pipeline's `SyncCrm` — built once
 * per cold start from validated config; nothing does I/O until a call needs it.
 */
export function crmRuntime(): CrmDeps {
  if (cached) return cached;
  const { config: cfg, storeDeps, store, audit, clock, ids } = base();
  cached = {
    connections: new DynamoCrmConnectionStore(store),
    connector: createCrmConnector({
      baseUrls: {
        wealthbox: cfg.crm.baseUrls.wealthbox,
        redtail: cfg.crm.baseUrls.redtail,
        ...(cfg.crm.baseUrls.salesforce ? { salesforce: cfg.crm.baseUrls.salesforce } : {}),
      },
      timeoutMs: cfg.crm.timeoutMs,
      maxAttempts: cfg.crm.maxAttempts,
    }),
    ledger: new DynamoCrmSyncStore(store),
    meetings: new DynamoMeetingStore(store),
    users: new DynamoIdentityStore(storeDeps),
    extractions: createEncryptedBlobStore({
      client: s3Client(cfg),
      bucket: cfg.buckets.uploads,
      keyring: storeDeps.keyring,
    }),
    audit,
    clock,
    ids,
    settings: cfg.appBaseUrl ? { appBaseUrl: cfg.appBaseUrl } : {},
  };
  return cached;
}
