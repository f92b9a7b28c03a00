import * as z from 'zod';
import { RoleSchema } from '../../contracts/principal';
import { FlagIdSchema } from '../extraction/extraction-schema';
import { EntityIdSchema } from '../identity/user';

export const FlagDecisionSchema = z.enum(['dismissed', 'escalated']);
export type FlagDecision = z.infer<typeof FlagDecisionSchema>;

/**
 * A compliance reviewer's decision on one compliance flag. Reviews are kept as a history (never overwritten):
 * a flag escalated and later dismissed shows both, and the newest is the flag's current state.
 */
export const FlagReviewSchema = z.object({
  meetingId: EntityIdSchema,
  flagId: FlagIdSchema,
  decision: FlagDecisionSchema,
  /** Why: may quote the meeting, so encrypted at rest, and shown only to compliance and admins. */
  note: z.string().min(1).max(2000),
  reviewerId: EntityIdSchema,
  reviewerRole: RoleSchema,
  reviewedAt: z.iso.datetime(),
});
export type FlagReview = z.infer<typeof FlagReviewSchema>;
