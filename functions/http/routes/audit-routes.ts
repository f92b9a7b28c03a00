import * as z from 'zod';
import { RoleSchema } from '../../contracts/principal';
import { defineRoute } from '../../platform/http/route';
import { PageQuerySchema } from './identity-schemas';

export const AuditEventViewSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    action: z.string(),
    outcome: z.enum(['success', 'failure']),
    actor: z.object({ user_id: z.string(), role: RoleSchema }).optional(),
    target: z.object({ type: z.string(), id: z.string() }).optional(),
    ip: z.string(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const ChainVerificationViewSchema = z
  .object({
    verified: z.boolean(),
    checked: z.number().int().meta({ description: 'Events verified from the start of the chain' }),
    first_broken_seq: z.number().int().optional(),
    reason: z.string().optional(),
    pending: z.number().int().meta({
      description:
        'Events recorded with their changes that the chain writer has not linked yet (seconds behind; not missing)',
    }),
    checkpoint_seq: z.number().int().meta({
      description:
        'The check resumed after this already-verified event (0: it read the whole chain; `verify=full` forces that)',
    }),
  })
  .meta({ id: 'ChainVerification' });

export const auditRoutes = [
  defineRoute({
    id: 'listAuditEvents',
    method: 'GET',
    path: '/api/v1/audit',
    summary: 'Page through the firm’s audit trail and report whether its hash chain verifies',
    tags: ['audit'],
    auth: 'user',
    roles: ['admin', 'compliance'],
    rateLimit: 'standard',
    request: {
      query: PageQuerySchema.extend({
        order: z.enum(['newest', 'oldest']).default('newest'),
        verify: z.enum(['incremental', 'full']).default('incremental').meta({
          description: '`full` re-verifies the chain from its first event instead of its checkpoint',
        }),
      }),
    },
    status: 200,
    response: z
      .object({
        items: z.array(AuditEventViewSchema),
        cursor: z.string().optional(),
        chain: ChainVerificationViewSchema,
      })
      .meta({ id: 'AuditPage' }),
  }),
] as const;
