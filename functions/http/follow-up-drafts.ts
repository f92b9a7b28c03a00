import type { MeetingDeps } from '../core/meetings/ports';
import { regenerateFollowUpEmail } from '../core/meetings/regenerate-follow-up-email';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { edgeDeps, runtime } from './composition/runtime';
import { followUpDraftRoutes } from './routes/follow-up-draft-routes';
import { followUpEmailView } from './views/follow-up-email-view';

/** Follow-up drafts written on request. Exported for tests, which pass their own deps. */
export function followUpDraftImplementations(
  deps: MeetingDeps,
): RouteImplementations<typeof followUpDraftRoutes> {
  return {
    regenerateFollowUpEmail: async ({ principal, params, body, sourceIp }) => ({
      body: followUpEmailView(
        await regenerateFollowUpEmail(
          {
            actor: principal,
            ip: sourceIp,
            meetingId: params.meetingId,
            ...(body.instructions ? { instructions: body.instructions } : {}),
          },
          deps,
        ),
      ),
    }),
  };
}

export const handler = createHttpHandler(
  'follow-up-drafts',
  followUpDraftRoutes,
  followUpDraftImplementations(runtime().meetings),
  edgeDeps(),
);
