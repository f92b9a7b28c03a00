import { ARCHIVE_FAILURE_METRIC, LLM_USAGE_METRICS } from '../../contracts/pipeline-tasks';
import type { LlmCall } from '../../core/extraction/llm-call';
import type { PipelineSignals } from '../../core/pipeline/ports';
import { emfCountLine } from '../../platform/logging/emf-count';
import type { Logger } from '../../platform/logging/logger';

/** The CloudWatch Embedded Metric Format line for one `ArchiveFailures` datum (value 1, Count, no dimensions). */
export function archiveFailureEmf(now: number): string {
  return emfCountLine(ARCHIVE_FAILURE_METRIC, now);
}

/**
 * The EMF line for one model call: `LlmInputTokens`, `LlmCacheWriteTokens`, `LlmCacheReadTokens`,
 * `LlmOutputTokens` and `LlmCostUsd`, by model and purpose (counts only, never content).
 */
export function llmCallEmf(call: LlmCall, now: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: LLM_USAGE_METRICS.namespace,
          Dimensions: [['Model', 'Purpose']],
          Metrics: [
            { Name: 'LlmInputTokens', Unit: 'Count' },
            { Name: 'LlmCacheWriteTokens', Unit: 'Count' },
            { Name: 'LlmCacheReadTokens', Unit: 'Count' },
            { Name: 'LlmOutputTokens', Unit: 'Count' },
            { Name: 'LlmCostUsd', Unit: 'None' },
          ],
        },
      ],
    },
    Model: call.model,
    Purpose: call.purpose,
    LlmInputTokens: call.inputTokens,
    LlmCacheWriteTokens: call.cacheWriteTokens,
    LlmCacheReadTokens: call.cacheReadTokens,
    LlmOutputTokens: call.outputTokens,
    LlmCostUsd: call.costUsd,
    StopReason: call.stopReason,
  });
}

/** Error logs through the function's logger; EMF lines straight to stdout, where Lambda's agent reads them. */
export function createPipelineSignals(
  log: Logger,
  options: { now?: () => number; stdout?: (line: string) => void } = {},
): PipelineSignals {
  const now = options.now ?? Date.now;
  const stdout = options.stdout ?? ((line: string) => void process.stdout.write(`${line}\n`));
  return {
    complianceActionRequired: (message) => log.error(message),
    archiveFailure: () => stdout(archiveFailureEmf(now())),
    llmCall: (call) => stdout(llmCallEmf(call, now())),
  };
}
