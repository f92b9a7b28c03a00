import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { uploadTriggerRuntime } from '../composition/upload-trigger-runtime';
import type { AttachUploadDeps } from '../core/meetings/attach-upload';
import { attachUpload } from '../core/meetings/attach-upload';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';
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
export function uploadReceived(deps: AttachUploadDeps, log: Logger) {
  return async (event: unknown, _context?: Context): Promise<void> => {
    const parsed = ObjectCreatedEventSchema.safeParse(event);
    if (!parsed.success) {
      // A malformed event is not retryable into a valid one: log and drop rather than loop.
      log.warn('upload trigger: not an S3 Object Created event', { issues: parsed.error.issues.length });
      return;
    }
    // Keys arrive URL-encoded in S3 events.
    const key = decodeURIComponent(parsed.data.detail.object.key.replace(/\+/g, ' '));
    const result = await attachUpload({ key, sizeBytes: parsed.data.detail.object.size }, deps);
    if (result.outcome === 'attached') {
      log.info('upload attached', { meeting: result.meeting.meetingId, started: result.started });
    } else {
      log.info('upload ignored', { reason: result.reason });
    }
  };
}

export const handler = uploadReceived(uploadTriggerRuntime(), functionLogger(config(), 'upload-received'));
