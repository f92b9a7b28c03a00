import { PIPELINE_TASK_CONTRACTS } from '../../lib/pipeline-task-contracts';
import { configuredExtractor } from '../adapters/llm/configured-extractor';
import { ExtractSummarySchema, extractMeeting } from '../core/pipeline/extract-meeting';
import { pipelineRuntime } from '../http/composition/pipeline-runtime';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'extract');
// Claude when ANTHROPIC_API_KEY is set, the offline extractor otherwise.
const deps = { ...pipelineRuntime(log), extractor: configuredExtractor(config()).extractor };
const contract = PIPELINE_TASK_CONTRACTS.Extract;

/**
 * `Extract`: the meeting's transcript → the verified extraction, stored encrypted; returns keys and counts only.
 * A `MalformedTranscriptError` propagates with its name (the state machine does not retry it) and its message
 * becomes the meeting's failure reason.
 */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const summary = await extractMeeting(payload, deps);
  log.info('extraction stored', { tenant: payload.tenantId, meeting: payload.meetingId, ...summary.counts });
  return contract.result.parse(ExtractSummarySchema.parse(summary));
}
