import * as z from 'zod';
import { PlatformSchema } from '../../contracts/platform';
import { EntityIdSchema } from '../identity/user';
import { IsoDateSchema } from '../meetings/meeting';
import { PlatformArtifactDescriptorSchema } from './platform-artifact';

/**
 * A platform event that has been authenticated (signature, clientState or path token), routed to its firm and
 * parsed by the platform's webhook: everything intake needs, in platform-neutral terms. Built by the webhook
 * handlers (Zoom here; Teams and Meet by theirs) and passed to `intakePlatformMeeting`.
 */
export const PlatformMeetingEventSchema = z.object({
  platform: PlatformSchema,
  tenantId: EntityIdSchema,
  /**
   * Stable across redeliveries of the same thing, unique otherwise: the dedup key. Zoom: account id and the
   * meeting instance uuid; Graph: the notification's resource; Pub/Sub: the CloudEvent id or message id.
   */
  eventId: z.string().min(1).max(2000),
  /** The host's or organiser's identities on the platform (email, user id), matched against the advisor mapping. */
  hostIdentities: z.array(z.string().min(1).max(320)).min(1).max(10),
  /** The meeting's title on the platform; the adviser can see which meeting it was. */
  title: z.string().min(1).max(300),
  /** The meeting's date in the meeting's own time zone. */
  meetingDate: IsoDateSchema,
  /** The provider's meeting id, kept (encrypted, with the source) for support and traceability. */
  externalMeetingId: z.string().min(1).max(500),
  descriptor: PlatformArtifactDescriptorSchema,
});
export type PlatformMeetingEvent = z.infer<typeof PlatformMeetingEventSchema>;
