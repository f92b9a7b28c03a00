import * as z from 'zod';
import { UPLOAD_EXTENSIONS, type UploadExtension } from '../meetings/upload-formats';

const SourceKindSchema = z.enum(['audio', 'transcript']);

/**
 * Where a Zoom recording file is: `download_url` with the event's `download_token` as a Bearer token. The URL is
 * not trusted (`z.string`, not `z.url`): the SSRF guard vets it when the file is fetched, and a refusal fails
 * the meeting with the guard's reason rather than the webhook.
 */
export const ZoomArtifactDescriptorSchema = z.object({
  platform: z.literal('zoom'),
  downloadUrl: z.string().min(1).max(8192),
  downloadToken: z.string().min(1).max(8192).optional(),
  /** Zoom's `file_type` (`TRANSCRIPT`, `M4A`, `MP4`). */
  fileType: z.string().min(1).max(50),
  extension: z.enum(UPLOAD_EXTENSIONS),
  kind: SourceKindSchema,
});

/**
 * A Teams meeting's transcript or recording in Microsoft Graph. Graph's documented fetch paths are under
 * `/users/{userId}/onlineMeetings/{onlineMeetingId}/…`; with neither artifact id the fetcher lists the
 * meeting's transcripts (preferred) then its recordings.
 */
export const TeamsArtifactDescriptorSchema = z.object({
  platform: z.literal('teams'),
  /** The organiser's Entra object id. */
  userId: z.string().min(1).max(200),
  onlineMeetingId: z.string().min(1).max(2000),
  transcriptId: z.string().min(1).max(2000).optional(),
  recordingId: z.string().min(1).max(2000).optional(),
  /** The notification's `resource`, for the log and for fetchers that prefer to follow it. */
  resource: z.string().min(1).max(2000).optional(),
});

/**
 * A Google Meet transcript (a Google Doc, exported as text through Drive) or recording (an MP4 in Drive),
 * named by its Meet resource (`conferenceRecords/CR/transcripts/T` or `…/recordings/R`).
 */
export const MeetArtifactDescriptorSchema = z.object({
  platform: z.literal('meet'),
  resourceName: z.string().min(1).max(1000),
  kind: SourceKindSchema,
  /** The Drive file id when the event or a lookup already gave it. */
  driveFileId: z.string().min(1).max(500).optional(),
  /** The organiser to impersonate for Drive, when it differs from the integration's `delegatedUser`. */
  ownerEmail: z.email().optional(),
});

/**
 * What the intake task needs to fetch a meeting's file after the webhook has answered: stored encrypted
 * (download URLs and tokens are credentials) on the meeting's intake item, deleted once the file is stored.
 */
export const PlatformArtifactDescriptorSchema = z.discriminatedUnion('platform', [
  ZoomArtifactDescriptorSchema,
  TeamsArtifactDescriptorSchema,
  MeetArtifactDescriptorSchema,
]);
export type PlatformArtifactDescriptor = z.infer<typeof PlatformArtifactDescriptorSchema>;
export type DescriptorOf<P extends PlatformArtifactDescriptor['platform']> = Extract<
  PlatformArtifactDescriptor,
  { platform: P }
>;

/** A downloaded transcript or recording, ready to go into the uploads bucket as the meeting's file. */
export interface FetchedArtifact {
  bytes: Uint8Array;
  /** One of `UPLOAD_FORMATS[extension].contentType`. */
  contentType: string;
  extension: UploadExtension;
  kind: z.infer<typeof SourceKindSchema>;
}
