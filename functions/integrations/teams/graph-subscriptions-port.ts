import type { TeamsCredentials } from '../../core/platforms/integration-credentials';

/** What subscription upkeep needs from Microsoft Graph, for one firm's app registration. */
export interface GraphSubscriptionApi {
  createSubscription(request: {
    resource: string;
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
    expirationDateTime: string;
  }): Promise<{ id: string; expirationDateTime: string }>;
  /** `gone` when Graph no longer has the subscription. */
  renewSubscription(
    id: string,
    expirationDateTime: string,
  ): Promise<{ id: string; expirationDateTime: string } | 'gone'>;
  deleteSubscription(id: string): Promise<void>;
}

/** A transcript as Graph lists it for an organizer: only the ids and when it was created. */
export interface GraphTranscriptSummary {
  id: string;
  meetingId: string;
  /** ISO; Graph may leave it out. */
  createdDateTime: string | undefined;
  /** `meetingOrganizer.user.id` (an Entra object id), when Graph names it. */
  organizerId: string | undefined;
}

/** What reconciling after a `missed` lifecycle event needs from Graph. */
export interface GraphTranscriptListing {
  /**
   * Transcripts of meetings `userId` organized, created at or after `createdSince` (ISO), `pageSize` a page,
   * following Graph's next links until `maxTranscripts` are in hand (`truncated` when Graph had more).
   * `timeoutMs` bounds the whole listing, token included (`truncated` when it ran out between pages): this
   * runs while a webhook waits for its answer.
   */
  transcriptsByOrganizer(request: {
    userId: string;
    createdSince: string;
    pageSize: number;
    maxTranscripts: number;
    timeoutMs: number;
  }): Promise<{ transcripts: GraphTranscriptSummary[]; truncated: boolean }>;
}

/** A firm's Teams connection as subscription upkeep sees it. */
export interface TeamsFirmConnection {
  firmId: string;
  graphTenantId: string;
  clientState: string;
  /** The firm's Teams credentials: their advisor mappings decide whose meeting a reconciled transcript is. */
  credentials: TeamsCredentials;
  graph: GraphSubscriptionApi & GraphTranscriptListing;
}

/** Where Graph delivers, and how long a subscription is asked to live. */
export interface TeamsSubscriptionSettings {
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  /** Graph caps transcript subscriptions at 4230 minutes; longer than an hour needs the lifecycle URL. */
  lifetimeMinutes: number;
}
