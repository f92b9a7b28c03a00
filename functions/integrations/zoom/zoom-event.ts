import * as z from 'zod';

/** Every Zoom webhook body: an event name and a payload. Unknown fields pass (Zoom adds them over time). */
export const ZoomEnvelopeSchema = z.looseObject({
  event: z.string().min(1).max(200),
  event_ts: z.number().optional(),
  payload: z.looseObject({}),
});

/** `endpoint.url_validation`: Zoom checks the endpoint is ours (on save, then every 72 h). */
export const ZoomUrlValidationSchema = z.looseObject({
  event: z.literal('endpoint.url_validation'),
  payload: z.looseObject({ plainToken: z.string().min(1).max(500) }),
});

const ZoomRecordingFileSchema = z.looseObject({
  id: z.string().max(200).optional(),
  file_type: z.string().max(50).optional(),
  file_extension: z.string().max(20).optional(),
  file_size: z.number().nonnegative().optional(),
  download_url: z.string().min(1).max(8192).optional(),
  status: z.string().max(50).optional(),
  recording_type: z.string().max(100).optional(),
});
export type ZoomRecordingFile = z.infer<typeof ZoomRecordingFileSchema>;

/**
 * `recording.completed` and `recording.transcript_completed` (external-apis.md §4): `download_token` is a
 * sibling of `payload`, optional on the transcript event.
 */
export const ZoomRecordingEventSchema = z.looseObject({
  event: z.enum(['recording.completed', 'recording.transcript_completed']),
  download_token: z.string().min(1).max(8192).optional(),
  payload: z.looseObject({
    account_id: z.string().min(1).max(64),
    object: z.looseObject({
      uuid: z.string().min(1).max(200),
      id: z.union([z.number(), z.string()]).optional(),
      host_id: z.string().min(1).max(200),
      host_email: z.string().max(320).optional(),
      topic: z.string().max(1000).optional(),
      start_time: z.iso.datetime({ offset: true }),
      timezone: z.string().max(100).optional(),
      recording_files: z.array(ZoomRecordingFileSchema).max(200).default([]),
    }),
  }),
});
export type ZoomRecordingEvent = z.infer<typeof ZoomRecordingEventSchema>;

/** The events that create meetings; any other (signed) event is acknowledged and ignored. */
export const ZOOM_RECORDING_EVENTS: readonly string[] = ZoomRecordingEventSchema.shape.event.options;
