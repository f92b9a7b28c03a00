import { offlineFollowUpWriter } from '../../core/extraction/offline-follow-up-writer';
import type { FollowUpEmailWriter } from '../../core/meetings/follow-up-draft';
import { type AnthropicConfig, anthropicMessages } from './anthropic-messages';
import { createClaudeFollowUpWriter } from './claude-follow-up-writer';

/**
 * Claude when an Anthropic key is configured (`ANTHROPIC_API_KEY`, or the vendor keys document, read at the
 * first draft), the offline composer otherwise; the draft says which wrote it.
 */
export function configuredFollowUpWriter(cfg: AnthropicConfig): FollowUpEmailWriter {
  // A person is waiting on this answer behind API Gateway's 30 s limit: one retry at most, then "try again".
  const client = anthropicMessages(cfg, { timeoutMs: 12_000, maxRetries: 1 });
  return client ? createClaudeFollowUpWriter({ client, model: cfg.anthropic.model }) : offlineFollowUpWriter;
}
