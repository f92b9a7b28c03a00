import * as z from 'zod';

/**
 * A Graph subscription we created for one adviser's Teams meetings: which firm and adviser its notifications
 * belong to, the Graph user whose meetings it watches, and the `clientState` secret Graph echoes (stored
 * encrypted). Looked up by `subscriptionId` on every notification, listed by expiry for renewal.
 */
export const TeamsSubscriptionSchema = z.object({
  subscriptionId: z.string().min(1).max(200),
  firmId: z.string().min(1),
  advisorId: z.string().min(1),
  /** The Azure AD (Entra) tenant: must equal each notification's `tenantId`. */
  graphTenantId: z.string().min(1).max(100),
  /** The Graph user (organizer) whose meetings' transcripts the subscription covers. */
  graphUserId: z.string().min(1).max(200),
  resource: z.string().min(1).max(500),
  clientState: z.string().min(16).max(128),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type TeamsSubscription = z.infer<typeof TeamsSubscriptionSchema>;

/** The store of Teams subscriptions: by id for notifications, by expiry (a keyed query, not a scan) for renewal. */
export interface TeamsSubscriptionStore {
  get(subscriptionId: string): Promise<TeamsSubscription | undefined>;
  put(subscription: TeamsSubscription): Promise<void>;
  /** Replaces the expiry index entry too. */
  updateExpiry(subscription: TeamsSubscription, expiresAt: string): Promise<void>;
  delete(subscription: TeamsSubscription): Promise<void>;
  /** Subscriptions of every firm expiring at or before `before` (ISO), soonest first, at most `limit`. */
  expiringBefore(before: string, limit: number): Promise<TeamsSubscription[]>;
}

/** The Graph resource a subscription watches: every transcript of meetings the user organizes. */
export function transcriptsResourceOf(graphUserId: string): string {
  return `users/${graphUserId}/onlineMeetings/getAllTranscripts`;
}
