import * as z from 'zod';

/**
 * A Pub/Sub push request body. Pub/Sub sends each field in both spellings (`messageId` and `message_id`); at
 * least one must be there. `data` is base64 (standard alphabet); the Workspace Events payload inside is JSON.
 */
export const PubSubPushSchema = z.looseObject({
  message: z
    .looseObject({
      data: z
        .string()
        .max(1_000_000)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
        .optional(),
      attributes: z.record(z.string().max(200), z.string().max(2000)).optional(),
      messageId: z.string().min(1).max(200).optional(),
      message_id: z.string().min(1).max(200).optional(),
      publishTime: z.string().max(64).optional(),
    })
    .refine((m) => m.messageId !== undefined || m.message_id !== undefined, {
      message: 'must have messageId',
      path: ['messageId'],
    }),
  subscription: z.string().max(500).optional(),
});
export type PubSubPush = z.infer<typeof PubSubPushSchema>;

/** The message's id (either spelling): Pub/Sub's own dedup handle, stable across redeliveries. */
export function pubSubMessageId(push: PubSubPush): string {
  return (push.message.messageId ?? push.message.message_id) as string;
}
