import { offlineFollowUpWriter } from '../../functions/core/extraction/offline-follow-up-writer';
import type { FollowUpDraft } from '../../functions/core/meetings/follow-up-draft';
import type { MeetingDeps } from '../../functions/core/meetings/ports';
import { ConflictError } from '../../functions/platform/errors';
import { inMemoryAnnotations } from './meeting-annotations';

/**
 * The in-memory ports a meeting's after-processing work uses (annotations, regenerated drafts, the offline writer,
 * default firm settings), with the Dynamo adapters' conditions.
 */
export function meetingExtras() {
  const drafts = new Map<string, FollowUpDraft>();
  const followUpDrafts: MeetingDeps['followUpDrafts'] = {
    get: async (_tenantId, meetingId) => drafts.get(meetingId),
    put: async (_tenantId, draft, previous) => {
      if (drafts.get(draft.meetingId)?.createdAt !== previous?.createdAt)
        throw new ConflictError('follow_up_draft changed meanwhile; try again.');
      drafts.set(draft.meetingId, draft);
    },
  };
  return {
    annotations: inMemoryAnnotations(),
    followUpDrafts,
    followUpWriter: offlineFollowUpWriter,
    firmSettings: { get: async () => undefined },
  } satisfies Pick<MeetingDeps, 'annotations' | 'followUpDrafts' | 'followUpWriter' | 'firmSettings'>;
}
