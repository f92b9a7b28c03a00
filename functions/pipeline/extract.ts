import { pipelineObjects } from '../composition/pipeline-objects';
import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { ExtractSummarySchema, extractMeeting } from '../core/pipeline/extract-meeting';
import { configuredExtractor } from '../integrations/configured-extractor';
import { offlineExtractor } from '../integrations/offline/offline-extractor';
import { config } from '../platform/config/config';
import { createTaskHandler } from '../platform/handlers/task-handler';

/**
 * `Extract`: the meeting's transcript → the verified extraction, stored encrypted; returns keys and counts only.
 * Errors propagate with their names: the state machine retries only what may pass (`ModelUnavailableError`, a
 * timeout; `ExtractionContinuesError` at once, resuming), never a malformed or too long transcript, a refusal,
 * a truncation, a spend limit or an exhausted token budget; the message becomes the meeting's failure reason.
 */
export const handler = createTaskHandler({
  name: 'extract',
  ...PIPELINE_TASK_CONTRACTS.Extract,
  // Claude when ANTHROPIC_API_KEY is set, the offline extractor otherwise (and on a refusal the firm accepts).
  deps: (log) => ({
    ...pipelineRuntime(log),
    ...pipelineObjects(),
    extractor: configuredExtractor(config()).extractor,
    fallbackExtractor: offlineExtractor,
  }),
  run: async (payload, deps, { log, remainingMs }) => {
    const summary = await extractMeeting(payload, deps, remainingMs ? { remainingMs } : {});
    log.info('extraction stored', summary.counts);
    return ExtractSummarySchema.parse(summary);
  },
});
