import * as z from 'zod';

/**
 * A Graph subscription we created for one organizer's Teams transcripts: which firm it belongs to, the Entra
 * tenant and Graph user it watches, and when it expires. The `clientState` it carries is the firm's (kept with
 * the firm's Teams credentials, encrypted), so nothing secret is stored here. Looked up by id when a
 * notification names no organizer; listed by expiry (a keyed query, not a scan) for renewal.
 */
export const TeamsSubscriptionSchema = z.object({
  subscriptionId: z.string().min(1).max(200),
  firmId: z.string().min(1),
  /** The Entra tenant: every notification of this subscription carries it as `tenantId`. */
  graphTenantId: z.string().min(1).max(100),
  /** The Graph user (organizer: object id or UPN) whose meetings' transcripts the subscription covers. */
  graphUserId: z.string().min(1).max(320),
  resource: z.string().min(1).max(500),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  /** When a `missed` lifecycle event last reconciled the organizer's transcripts: the next window starts here. */
  reconciledAt: z.iso.datetime().optional(),
});
export type TeamsSubscription = z.infer<typeof TeamsSubscriptionSchema>;

/** Teams subscriptions of every firm: by id, by firm, and by expiry for the renewal schedule. */
export interface TeamsSubscriptionStore {
  get(subscriptionId: string): Promise<TeamsSubscription | undefined>;
  listForFirm(firmId: string): Promise<TeamsSubscription[]>;
  put(subscription: TeamsSubscription): Promise<void>;
  delete(subscription: TeamsSubscription): Promise<void>;
  /**
   * Records a reconcile (ISO) on the subscription without rewriting the rest (the renewal may be writing its
   * expiry at the same moment); an earlier time never replaces a later one, and a deleted subscription stays gone.
   */
  markReconciled(subscriptionId: string, reconciledAt: string): Promise<void>;
  /** Subscriptions of every firm expiring at or before `before` (ISO), soonest first, at most `limit`. */
  expiringBefore(before: string, limit: number): Promise<TeamsSubscription[]>;
}

/** The Graph resource a subscription watches: every transcript of meetings the user organizes. */
export function transcriptsResourceOf(graphUserId: string): string {
  return `users/${graphUserId}/onlineMeetings/getAllTranscripts`;
}
