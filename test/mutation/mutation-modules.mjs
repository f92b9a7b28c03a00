// @ts-check
/**
 * The modules mutation testing covers, by name: where a surviving mutant is a security or data-loss bug. The
 * Stryker config mutates their union; the module-scores reporter prints one score per name.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const MUTATION_MODULES = {
  'crypto (keyring, access tokens, passwords, webhook signatures)': ['functions/platform/crypto/*.ts'],
  'keyring adapters (rotation, retirement, decrypt)': ['functions/adapters/keyring/*.ts'],
  identity: ['functions/core/identity/*.ts'],
  'tenant isolation (tenant store)': [
    'functions/adapters/store/dynamo-store.ts',
    'functions/adapters/store/keys/tenant-prefix.ts',
  ],
  'audit chain': [
    'functions/core/audit/audit-event.ts',
    'functions/core/audit/verify-chain.ts',
    'functions/adapters/store/audit-chainer.ts',
  ],
  'SSRF guard': [
    'functions/adapters/http/url-policy.ts',
    'functions/adapters/http/ip-ranges.ts',
    'functions/adapters/http/safe-fetch.ts',
  ],
  consent: ['functions/core/meetings/record-consent.ts'],
  'archive writing': [
    'functions/core/pipeline/archive-meeting.ts',
    'functions/adapters/blobs/archive-writer.ts',
  ],
  'upload signing': ['functions/adapters/blobs/upload-signer.ts'],
  'CRM idempotency': [
    'functions/core/crm/sync-meeting-to-crm.ts',
    'functions/core/crm/resync-meeting-crm.ts',
    'functions/core/crm/crm-record-marker.ts',
    'functions/core/crm/crm-meeting-records.ts',
  ],
};
