import { edgeDeps } from '../composition/edge-runtime';
import { followUpRuntime } from '../composition/follow-up-runtime';
import {
  type RegenerateFollowUpDeps,
  regenerateFollowUpEmail,
} from '../core/meetings/regenerate-follow-up-email';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { followUpDraftRoutes } from './routes/follow-up-draft-routes';
import { followUpEmailView } from './views/follow-up-email-view';

/** Follow-up drafts written on request. Exported for tests, which pass their own deps. */
export function followUpDraftImplementations(
  deps: RegenerateFollowUpDeps,
): RouteImplementations<typeof followUpDraftRoutes> {
  return {
    regenerateFollowUpEmail: async ({ principal, params, body, sourceIp, edge }) => {
      const draft = await regenerateFollowUpEmail(
        {
          actor: principal,
          ip: sourceIp,
          meetingId: params.meetingId,
          ...(body.instructions ? { instructions: body.instructions } : {}),
        },
        deps,
      );
      // Rules and counts only: the draft's text is client content.
      edge.log.info('follow-up draft regenerated', {
        meeting: params.meetingId,
        version: draft.version,
        writer: draft.writer,
        draftFlags: draft.flags.length,
        rules: [...new Set(draft.flags.map((flag) => flag.rule))],
      });
      return { body: followUpEmailView(draft) };
    },
  };
}

export const handler = createHttpHandler(
  'follow-up-drafts',
  followUpDraftRoutes,
  followUpDraftImplementations(followUpRuntime()),
  edgeDeps(),
);
