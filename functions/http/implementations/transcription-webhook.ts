import { type CallbackOutcome, resumeTranscription } from '../../core/pipeline/resume-transcription';
import { type TranscriptionCallbackDeps, WEBHOOK_AUTH_HEADER } from '../../core/pipeline/transcription-ports';
import type { RouteImplementations } from '../../platform/http/http-handler';
import type { EdgeState } from '../../platform/http/middleware/request-context';
import type { transcriptionWebhookRoutes } from '../routes/transcription-webhook-routes';

/**
 * The providers' callbacks. A wrong or missing auth value is 401 before anything is read; everything the
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
          authValue: headers[WEBHOOK_AUTH_HEADER],
        },
        deps,
      );
      logOutcome(edge, { tenant: query.tenant, meeting: query.meeting, job: body.transcript_id }, result, {
        reportedStatus: body.status,
      });
      return { body: { received: true } };
    },
    deepgramTranscriptionCallback: async ({ query, body, edge }) => {
      const result = await resumeTranscription(
        {
          provider: 'deepgram',
          tenantId: query.tenant,
          meetingId: query.meeting,
          jobId: body.metadata.request_id,
          authValue: body.metadata.extra?.callback_secret,
          delivered: { raw: body },
        },
        deps,
      );
      logOutcome(
        edge,
        { tenant: query.tenant, meeting: query.meeting, job: body.metadata.request_id },
        result,
      );
      return { body: { received: true } };
    },
  };
}

function logOutcome(
  edge: EdgeState,
  ids: { tenant: string; meeting: string; job: string },
  result: CallbackOutcome,
  extra: Record<string, unknown> = {},
): void {
  const log = edge.log.child(ids);
  if (result.outcome === 'stale' || result.outcome === 'ignored') {
    log.info('transcription callback without effect', { ...result, ...extra });
  } else {
    log.info('transcription callback', { ...result });
  }
}
