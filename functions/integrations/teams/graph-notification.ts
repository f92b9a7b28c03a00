import * as z from 'zod';

/**
 * Microsoft Graph change notifications, as POSTed to a subscription's `notificationUrl`
 * (`changeNotificationCollection`). Only the fields we read are declared; the rest pass through unread.
 * `clientState` is optional in the schema so that a missing one is an authentication failure of that item
 * (answered like a wrong one), not a validation error that would tell a prober which field to add.
 */
export const GraphChangeNotificationSchema = z.looseObject({
  id: z.string().max(200).optional(),
  subscriptionId: z.string().min(1).max(200),
  subscriptionExpirationDateTime: z.string().max(64).optional(),
  clientState: z.string().max(255).optional(),
  changeType: z.string().min(1).max(50),
  resource: z.string().min(1).max(2000),
  tenantId: z.string().min(1).max(100),
  resourceData: z
    .looseObject({
      '@odata.type': z.string().max(200).optional(),
      '@odata.id': z.string().max(2000).optional(),
      id: z.string().max(1000).optional(),
    })
    .optional(),
});
export type GraphChangeNotification = z.infer<typeof GraphChangeNotificationSchema>;

export const GraphNotificationCollectionSchema = z.looseObject({
  value: z.array(GraphChangeNotificationSchema).min(1).max(1000),
  validationTokens: z.array(z.string().max(10_000)).max(100).optional(),
});
export type GraphNotificationCollection = z.infer<typeof GraphNotificationCollectionSchema>;

/** What Graph says happened to a subscription (`lifecycleNotificationUrl`). */
export const GRAPH_LIFECYCLE_EVENTS = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] as const;
export type GraphLifecycleEvent = (typeof GRAPH_LIFECYCLE_EVENTS)[number];

/**
 * A lifecycle notification. An event we do not know yet is accepted as a string so the batch is not refused
 * (Graph adds events); the use case ignores it.
 */
export const GraphLifecycleNotificationSchema = z.looseObject({
  subscriptionId: z.string().min(1).max(200),
  subscriptionExpirationDateTime: z.string().max(64).optional(),
  tenantId: z.string().min(1).max(100),
  clientState: z.string().max(255).optional(),
  lifecycleEvent: z.string().min(1).max(100),
});
export type GraphLifecycleNotification = z.infer<typeof GraphLifecycleNotificationSchema>;

export const GraphLifecycleCollectionSchema = z.looseObject({
  value: z.array(GraphLifecycleNotificationSchema).min(1).max(1000),
});

/** Graph's validation token is opaque; a bound keeps an echo from being used to reflect large content. */
export const GraphValidationTokenSchema = z.string().min(1).max(4096);
