import type { FollowUpEmailWriter } from '../../core/meetings/follow-up-draft';
import { draftFollowUpEmail } from '../../integrations/offline/follow-up-email-draft';

/**
 * The offline writer: the same deterministic composer the offline extractor uses, fed the open action items as
 * they stand now (done ones left out, changed due dates in force). It cannot follow free-text instructions.
 */
export const offlineFollowUpWriter: FollowUpEmailWriter = {
  kind: 'offline',
  write: async (request) =>
    draftFollowUpEmail(
      {
        advisorName: request.advisorName,
        clients: request.clients,
        meetingDate: request.meetingDate,
      },
      request.notes,
      request.openActionItems,
    ),
};
