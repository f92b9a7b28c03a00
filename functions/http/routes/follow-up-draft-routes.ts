import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';
import { FollowUpEmailViewSchema, MeetingParams } from './meetings-routes';

/**
 * The one route that waits on a model call while a person waits: served by its own function
 * (`follow-up-drafts` in `functions/topology.ts`), whose timeout fits API Gateway's 30 s around the call's own.
 */
export const followUpDraftRoutes = [
  defineRoute({
    id: 'regenerateFollowUpEmail',
    method: 'POST',
    path: '/api/v1/meetings/{meetingId}/follow-up-email/regenerate',
    summary:
      'Write a new follow-up draft from the notes and the open action items as they stand, optionally following instructions (never sent)',
    tags: ['meetings'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'ai',
    request: {
      params: MeetingParams,
      body: z
        .strictObject({
          instructions: z
            .string()
            .trim()
            .min(1)
            .max(1000)
            .optional()
            .meta({ description: 'Tone, length, emphasis; the offline writer cannot follow them' }),
        })
        .meta({ id: 'FollowUpRegenerateRequest' }),
    },
    status: 200,
    response: FollowUpEmailViewSchema,
  }),
] as const;
