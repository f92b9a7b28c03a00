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

/** A firm's Teams connection as subscription upkeep sees it. */
export interface TeamsFirmConnection {
  firmId: string;
  graphTenantId: string;
  clientState: string;
  graph: GraphSubscriptionApi;
}

/** Where Graph delivers, and how long a subscription is asked to live. */
export interface TeamsSubscriptionSettings {
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  /** Graph caps transcript subscriptions at 4230 minutes; longer than an hour needs the lifecycle URL. */
  lifetimeMinutes: number;
}
