import type { Extractor } from '../../core/extraction/extractor';
import { offlineExtractor } from '../../core/extraction/offline-extractor';
import { type AnthropicConfig, anthropicMessages } from './anthropic-messages';
import { createClaudeExtractor } from './claude-extractor';

/**
 * Claude when an Anthropic key is configured (`ANTHROPIC_API_KEY`, or the vendor keys document, read at the
 * first extraction), the offline extractor otherwise. Both fill the same schema and say
 * which they are (`extractor: 'claude' | 'offline'`), so a result never pretends to be what it is not.
 */
export function configuredExtractor(cfg: AnthropicConfig): {
  kind: 'claude' | 'offline';
  extractor: Extractor;
} {
  // The pipeline's Retry covers what the SDK's own retries leave.
  const client = anthropicMessages(cfg, { timeoutMs: 600_000, maxRetries: 2 });
  if (!client) return { kind: 'offline', extractor: offlineExtractor };
  return {
    kind: 'claude',
    extractor: createClaudeExtractor({
      client,
      model: cfg.anthropic.model,
      maxInputTokens: cfg.anthropic.maxInputTokens,
    }),
  };
}
