import type { Extractor } from '../core/extraction/extractor';
import { type AnthropicConfig, anthropicMessages } from './anthropic/anthropic-messages';
import { createClaudeExtractor } from './anthropic/claude-extractor';
import { offlineExtractor } from './offline/offline-extractor';

/**
 * The longest one model call may take. The pipeline's `Extract` function (900 s) gives each call less when it has
 * less time left, so a call is never cut off by the function's own timeout.
 */
export const EXTRACTION_CALL_TIMEOUT_MS = 600_000;

/**
 * Claude when an Anthropic key is configured (`ANTHROPIC_API_KEY`, or the vendor keys document, read at the
 * first extraction), the offline extractor otherwise. Both fill the same schema and say
 * which they are (`extractor: 'claude' | 'offline'`), so a result never pretends to be what it is not.
 */
export function configuredExtractor(cfg: AnthropicConfig): {
  kind: 'claude' | 'offline';
  extractor: Extractor;
} {
  // No SDK retries: the state machine retries `Extract` (resuming from the saved parts), so retries never stack.
  const client = anthropicMessages(cfg, { timeoutMs: EXTRACTION_CALL_TIMEOUT_MS, maxRetries: 0 });
  if (!client) return { kind: 'offline', extractor: offlineExtractor };
  return {
    kind: 'claude',
    extractor: createClaudeExtractor({
      client,
      model: cfg.anthropic.model,
      tokenBudget: cfg.anthropic.tokenBudget,
      timeoutMs: EXTRACTION_CALL_TIMEOUT_MS,
    }),
  };
}
