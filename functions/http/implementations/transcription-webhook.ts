import { resumeTranscription } from '../../core/pipeline/resume-transcription';
import { type TranscriptionCallbackDeps, WEBHOOK_AUTH_HEADER } from '../../core/pipeline/transcription-ports';
import type { RouteImplementations } from '../../platform/http/http-handler';
import type { transcriptionWebhookRoutes } from '../routes/transcription-webhook-routes';

/**
 * The providers' callbacks. A wrong or missing auth header is 401 before anything is read; everything the
 * provider must not retry (a duplicate, a job that is not the meeting's) is 200 and logged; a failure to fetch
 * or store is 5xx, which the provider retries.
 */
export function transcriptionWebhookImplementations(
  deps: TranscriptionCallbackDeps,
): RouteImplementations<typeof transcriptionWebhookRoutes> {
  return {
    assemblyAiTranscriptionCallback: async ({ query, body, headers, edge }) => {
      const result = await resumeTranscription(
        {
          provider: 'assemblyai',
          tenantId: query.tenant,
          meetingId: query.meeting,
          jobId: body.transcript_id,
          authHeader: headers[WEBHOOK_AUTH_HEADER],
        },
        deps,
      );
      const log = edge.log.child({ tenant: query.tenant, meeting: query.meeting, job: body.transcript_id });
      if (result.outcome === 'stale' || result.outcome === 'ignored') {
        log.info('transcription callback without effect', { ...result, reportedStatus: body.status });
      } else {
        log.info('transcription callback', { ...result });
      }
      return { body: { received: true } };
    },
  };
}
