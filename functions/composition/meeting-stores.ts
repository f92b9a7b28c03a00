import { s3Client } from '../adapters/aws-clients';
import { createEncryptedBlobStore } from '../adapters/blobs/encrypted-blob-store';
import { cacheImmutableJson } from '../adapters/blobs/immutable-json-cache';
import { DynamoCrmSyncStore } from '../adapters/store/crm-sync-store';
import { DynamoFirmSettingsStore } from '../adapters/store/firm-settings-store';
import { DynamoFollowUpDraftStore } from '../adapters/store/follow-up-draft-store';
import { DynamoIdentityStore } from '../adapters/store/identity-store';
import { DynamoMeetingAnnotationStore } from '../adapters/store/meeting-annotation-store';
import { DynamoMeetingStore } from '../adapters/store/meeting-store';
import type { MeetingDeps } from '../core/meetings/ports';
import { isImmutableExtractionKey } from '../core/pipeline/extraction-blob-name';
import { base } from './base';

export type MeetingStores = Pick<
  MeetingDeps,
  'meetings' | 'users' | 'annotations' | 'followUpDrafts' | 'firmSettings' | 'crmSync' | 'extractions'
>;

let cached: MeetingStores | undefined;

/** About 8 MB of extraction text per warm instance: a few hundred meetings' extractions. */
const EXTRACTION_CACHE_CHARS = 4_000_000;

/** What the meetings API and the follow-up drafts read and write: the table and the stored extractions. */
export function meetingStores(): MeetingStores {
  if (cached) return cached;
  const { config: cfg, storeDeps, store } = base();
  cached = {
    meetings: new DynamoMeetingStore(store),
    users: new DynamoIdentityStore(storeDeps),
    annotations: new DynamoMeetingAnnotationStore(store),
    followUpDrafts: new DynamoFollowUpDraftStore(store),
    firmSettings: new DynamoFirmSettingsStore(store),
    crmSync: new DynamoCrmSyncStore(store),
    // Extractions never change once written (named by content hash): a burst of edits reads each one once.
    extractions: cacheImmutableJson(
      createEncryptedBlobStore({
        client: s3Client(cfg),
        bucket: cfg.buckets.uploads,
        keyring: storeDeps.keyring,
      }),
      { isImmutable: isImmutableExtractionKey, maxChars: EXTRACTION_CACHE_CHARS },
    ),
  };
  return cached;
}
