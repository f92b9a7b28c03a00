import type { LlmCall } from '../core/extraction/llm-call';
import type { FollowUpEmailWriter } from '../core/meetings/follow-up-draft';
import { type AnthropicConfig, anthropicMessages } from './anthropic/anthropic-messages';
import { createClaudeFollowUpWriter } from './anthropic/claude-follow-up-writer';
import { offlineFollowUpWriter } from './offline/offline-follow-up-writer';

/**
 * The one draft call's timeout. A person waits on it behind API Gateway's 30 s limit, in a function of its own
 * whose timeout (`functions/topology.ts`, `follow-up-drafts`) leaves room for this call plus reading and storing: the
 * SDK gives up before the function could be killed mid-call. A draft takes 6–15 s.
 */
export const FOLLOW_UP_CALL_TIMEOUT_MS = 22_000;

/**
 * Claude when an Anthropic key is configured (`ANTHROPIC_API_KEY`, or the vendor keys document, read at the
 * first draft), the offline composer otherwise; the draft says which wrote it.
 */
export function configuredFollowUpWriter(
  cfg: AnthropicConfig,
  onCall?: (call: LlmCall) => void,
): FollowUpEmailWriter {
  // No retry: a second 15 s call does not fit the 30 s; the adviser gets a clear error and presses again.
  const client = anthropicMessages(cfg, { timeoutMs: FOLLOW_UP_CALL_TIMEOUT_MS, maxRetries: 0 });
  return client
    ? createClaudeFollowUpWriter({ client, model: cfg.anthropic.model, ...(onCall ? { onCall } : {}) })
    : offlineFollowUpWriter;
}
