import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { ExtractSummarySchema, extractMeeting } from '../core/pipeline/extract-meeting';
import { pipelineRuntime } from '../http/composition/pipeline-runtime';
import { configuredExtractor } from '../integrations/configured-extractor';
import { offlineExtractor } from '../integrations/offline/offline-extractor';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'extract');
// Claude when ANTHROPIC_API_KEY is set, the offline extractor otherwise (and on a refusal the firm accepts).
const deps = {
  ...pipelineRuntime(log),
  extractor: configuredExtractor(config()).extractor,
  fallbackExtractor: offlineExtractor,
};
const contract = PIPELINE_TASK_CONTRACTS.Extract;

/**
 * `Extract`: the meeting's transcript → the verified extraction, stored encrypted; returns keys and counts only.
 * Errors propagate with their names: the state machine retries only what may pass (`ModelUnavailableError`, a
 * timeout; `ExtractionContinuesError` at once, resuming), never a malformed or too long transcript, a refusal,
 * a truncation, a spend limit or an exhausted token budget; the message becomes the meeting's failure reason.
 */
export async function handler(event: unknown, context?: { getRemainingTimeInMillis?: () => number }) {
  const payload = contract.payload.parse(event);
  const remaining = context?.getRemainingTimeInMillis?.bind(context);
  const summary = await extractMeeting(payload, deps, remaining ? { remainingMs: remaining } : {});
  log.info('extraction stored', { tenant: payload.tenantId, meeting: payload.meetingId, ...summary.counts });
  return contract.result.parse(ExtractSummarySchema.parse(summary));
}
