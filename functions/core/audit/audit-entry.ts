import * as z from 'zod';
import { RoleSchema } from '../../contracts/principal';

/**
 * What happened, as the code that did it describes it. The audit log adds sequence, time and the chain hashes.
 * Actions are past-tense facts, dotted by area: `auth.login_succeeded`, `user.role_changed`, `meeting.read`, …
 */
export const AuditEntrySchema = z.object({
  action: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/, 'must look like area.verb_phrase'),
  outcome: z.enum(['success', 'failure']),
  /** Who: absent for an anonymous caller (a failed sign-in with an unknown email). */
  actor: z.object({ userId: z.string(), role: RoleSchema }).optional(),
  /** What it was done to. */
  target: z.object({ type: z.string(), id: z.string() }).optional(),
  /** The caller's source IP as API Gateway saw it. */
  ip: z.string(),
  /** Small, non-secret facts (new role, reason code). Never passwords, tokens or client content. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type AuditEntry = z.input<typeof AuditEntrySchema>;

/**
 * The append-only audit trail, one hash chain per firm. `tenantId: null` is the system chain, for events
 * that belong to no firm (a sign-in attempt with an unknown email).
 */
export interface AuditLog {
  append(tenantId: string | null, entry: AuditEntry): Promise<void>;
}
