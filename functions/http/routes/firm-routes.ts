import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';

export const FirmSettingsViewSchema = z
  .object({
    follow_up_disclaimer: z
      .string()
      .meta({ description: 'Carried verbatim by every follow-up email draft made from now on' }),
    archive_includes_transcript: z.boolean().meta({
      description: 'Whether the WORM archive record of a meeting includes its transcript (default false)',
    }),
    offline_on_refusal: z.boolean().meta({
      description:
        'When Claude declines to extract a meeting, keep the offline extractor’s result (labelled) instead of failing it (default false)',
    }),
    is_default: z.boolean().meta({ description: 'True until an admin saves the firm’s own settings' }),
    updated_by: z.string().optional(),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'FirmSettings' });

export const firmRoutes = [
  defineRoute({
    id: 'getFirmSettings',
    method: 'GET',
    path: '/api/v1/firm/settings',
    summary: 'The firm’s settings in force (its own, or the defaults)',
    tags: ['firm'],
    auth: 'user',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: FirmSettingsViewSchema,
  }),
  defineRoute({
    id: 'updateFirmSettings',
    method: 'PATCH',
    path: '/api/v1/firm/settings',
    summary:
      'Admins: change the follow-up disclaimer or whether archive records include transcripts (audited)',
    tags: ['firm'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: {
      body: z
        .strictObject({
          follow_up_disclaimer: z.string().trim().max(2000).optional(),
          archive_includes_transcript: z.boolean().optional(),
          offline_on_refusal: z.boolean().optional(),
        })
        .refine(
          (b) =>
            b.follow_up_disclaimer !== undefined ||
            b.archive_includes_transcript !== undefined ||
            b.offline_on_refusal !== undefined,
          {
            message:
              'give at least one of follow_up_disclaimer, archive_includes_transcript, offline_on_refusal',
          },
        )
        .meta({ id: 'FirmSettingsUpdate' }),
    },
    status: 200,
    response: FirmSettingsViewSchema,
  }),
] as const;
