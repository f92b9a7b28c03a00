import { FollowUpEmailTextSchema } from '../../core/extraction/extraction-schema';
import type { LlmCall } from '../../core/extraction/llm-call';
import type { FollowUpEmailWriter, FollowUpRequest } from '../../core/meetings/follow-up-draft';
import type { MessagesClient } from './anthropic-messages';
import { FOLLOW_UP_SYSTEM_PROMPT, followUpUserMessage } from './follow-up-prompt';
import { OutputTruncatedError } from './llm-errors';
import { type CallMeter, structuredCaller, unmeteredCalls } from './structured-call';

/** A draft's body is at most 10,000 characters (~2,500 tokens): this leaves room and never needs streaming. */
export const FOLLOW_UP_MAX_TOKENS = 6_000;

/**
 * The follow-up draft's subject and body as one structured-output call (schema from `FollowUpEmailTextSchema`:
 * no disclaimer field, the firm's is set by code), cached instructions; the verified meeting record and the
 * adviser's instructions sent as separate, fenced text blocks.
 */
export function followUpDraftCaller(options: { client: MessagesClient; model: string; now?: () => number }) {
  const call = structuredCaller({
    client: options.client,
    model: options.model,
    systemPrompt: FOLLOW_UP_SYSTEM_PROMPT,
    schema: FollowUpEmailTextSchema,
    what: 'follow-up draft',
    ...(options.now ? { now: options.now } : {}),
  });
  return async (request: FollowUpRequest, meter: CallMeter, timeoutMs?: number) => {
    const outcome = await call(
      {
        content: followUpUserMessage(request).map((text) => ({ type: 'text' as const, text })),
        maxTokens: FOLLOW_UP_MAX_TOKENS,
        purpose: 'follow_up',
        ...(timeoutMs ? { timeoutMs } : {}),
      },
      meter,
    );
    if (outcome.kind === 'truncated') {
      throw new OutputTruncatedError(
        `The follow-up draft did not fit ${FOLLOW_UP_MAX_TOKENS} output tokens.`,
      );
    }
    return outcome.value;
  };
}

/**
 * Claude as the regenerate route's writer: one call, no retry of its own (the route's caller is a person who can
 * press again), each call's usage passed to `onCall` (a metric).
 */
export function createClaudeFollowUpWriter(options: {
  client: MessagesClient;
  model: string;
  onCall?: (call: LlmCall) => void;
}): FollowUpEmailWriter {
  const write = followUpDraftCaller(options);
  const meter = unmeteredCalls(options.onCall);
  return { kind: 'claude', write: (request) => write(request, meter) };
}
