import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import type { VerifiedExtraction } from '../../functions/core/extraction/extraction-schema';
import type { User } from '../../functions/core/identity/user';
import type { FollowUpDraft } from '../../functions/core/meetings/follow-up-draft';
import type { Meeting } from '../../functions/core/meetings/meeting';
import type { MeetingDeps } from '../../functions/core/meetings/ports';
import { offlineFollowUpWriter } from '../../functions/integrations/offline/offline-follow-up-writer';
import { ConflictError } from '../../functions/platform/errors';
import { inMemoryAnnotations } from './meeting-annotations';

/**
 * The in-memory ports a meeting's after-processing work uses (annotations, regenerated drafts, the offline writer,
 * default firm settings), with the Dynamo adapters' conditions.
 */
export function meetingExtras(audited: (entry: AuditEntry) => void = () => undefined) {
  const drafts = new Map<string, FollowUpDraft>();
  const followUpDrafts: MeetingDeps['followUpDrafts'] = {
    get: async (_tenantId, meetingId) => drafts.get(meetingId),
    put: async (_tenantId, draft, previous, audit) => {
      if (drafts.get(draft.meetingId)?.createdAt !== previous?.createdAt)
        throw new ConflictError('follow_up_draft changed meanwhile; try again.');
      drafts.set(draft.meetingId, draft);
      if (audit) audited(audit);
    },
  };
  return {
    annotations: inMemoryAnnotations(audited),
    followUpDrafts,
    followUpWriter: offlineFollowUpWriter,
    firmSettings: { get: async () => undefined },
  } satisfies Pick<MeetingDeps, 'annotations' | 'followUpDrafts' | 'followUpWriter' | 'firmSettings'>;
}

/**
 * `MeetingDeps` around one meeting of advisor `adv-1` in `firm-a` (processed: `completed` with an extraction;
 * else `awaiting_consent`), whose stored extraction is `extraction`. A clock that ticks a second per read, and
 * the audit entries kept for assertions.
 */
export function processedMeetingDeps(
  extraction: VerifiedExtraction,
  options: { processed?: boolean; advisorName?: string } = {},
) {
  const processed = options.processed ?? true;
  const meeting: Meeting = {
    meetingId: 'm-1',
    tenantId: 'firm-a',
    ownerUserId: 'adv-1',
    createdBy: 'adv-1',
    title: 'Review',
    meetingDate: '2026-01-20',
    clientNames: ['Doug Pruitt', 'Melanie Pruitt'],
    status: processed ? 'completed' : 'awaiting_consent',
    source: { type: 'url', kind: 'audio', url: 'https://zoom.example/rec' },
    ...(processed ? { extractionKey: 'uploads/firm-a/x.json' } : {}),
    createdAt: '2026-01-20T10:00:00.000Z',
    updatedAt: '2026-01-20T10:00:00.000Z',
  };
  let now = Date.UTC(2026, 0, 21, 9);
  const audited: { action: string; details: unknown }[] = [];
  const record = (entry: AuditEntry) => void audited.push({ action: entry.action, details: entry.details });
  const extras = meetingExtras(record);
  const owner = options.advisorName ? ({ name: options.advisorName } as User) : undefined;
  const deps: MeetingDeps = {
    meetings: {
      create: async () => undefined,
      get: async (_t, id) => (id === meeting.meetingId ? meeting : undefined),
      list: async () => ({ items: [] }),
      replace: async (_next, _expected, entry) => {
        if (entry) record(entry);
      },
    },
    users: { getUser: async () => owner },
    uploads: { presignPut: async () => ({ url: 'u', headers: {} }) },
    pipeline: { start: async () => undefined },
    audit: { append: async (_t, entry) => record(entry) },
    clock: { now: () => (now += 1000) },
    ids: { uuid: () => 'id', token: () => 't' },
    settings: { uploadMaxBytes: 1, transcriptUploadMaxBytes: 1, uploadUrlTtlSeconds: 1 },
    extractions: { getJson: async () => JSON.parse(JSON.stringify(extraction)) },
    ...extras,
  };
  return { deps, audited, annotations: extras.annotations };
}
