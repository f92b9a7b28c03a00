import * as z from 'zod';
import { uploadTriggerRuntime } from '../composition/upload-trigger-runtime';
import type { AttachUploadDeps } from '../core/meetings/attach-upload';
import { attachUpload } from '../core/meetings/attach-upload';
import { createEventHandler } from '../platform/handlers/event-handler';
import type { Logger } from '../platform/logging/logger';

/** EventBridge's S3 "Object Created" event (the uploads bucket sends to EventBridge; a rule invokes us). */
export const ObjectCreatedEventSchema = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().int().nonnegative() }),
  }),
});

/** The upload trigger: attaches an arrived object to its meeting and, with consent, starts the pipeline. */
export function uploadReceived(deps: AttachUploadDeps, log?: Logger) {
  return createEventHandler({
    name: 'upload-received',
    event: ObjectCreatedEventSchema,
    deps: () => deps,
    ...(log ? { log } : {}),
    run: async (event, deps, log) => {
      const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, ' '));
      const result = await attachUpload({ key, sizeBytes: event.detail.object.size }, deps);
      if (result.outcome === 'attached') {
        log.info('upload attached', { meeting: result.meeting.meetingId, started: result.started });
      } else {
        log.info('upload ignored', { reason: result.reason });
      }
    },
  });
}

export const handler = uploadReceived(uploadTriggerRuntime());
