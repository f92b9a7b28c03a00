import * as z from 'zod';

/** Why a model call was made: a whole meeting, one part of a long one, or a follow-up draft. */
export const LlmCallPurposeSchema = z.enum(['extraction', 'extraction_part', 'follow_up']);

/**
 * One model call as billed: its tokens (input, cache writes, cache reads, output), the cost at list prices and
 * how it stopped. Counts and ids only, never content; recorded on the meeting and emitted as a metric.
 */
export const LlmCallSchema = z.object({
  at: z.iso.datetime(),
  purpose: LlmCallPurposeSchema,
  /** `2/5` for the second of five parts. */
  part: z.string().max(20).optional(),
  model: z.string().min(1).max(200),
  stopReason: z.string().max(60).nullable(),
  maxTokens: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type LlmCall = z.infer<typeof LlmCallSchema>;

/** Every token a call was billed for, whatever its price: what the per-meeting budget counts. */
export function billedTokens(
  call: Pick<LlmCall, 'inputTokens' | 'cacheWriteTokens' | 'cacheReadTokens' | 'outputTokens'>,
): number {
  return call.inputTokens + call.cacheWriteTokens + call.cacheReadTokens + call.outputTokens;
}

/** A meeting's model calls so far (every attempt), and their sums. */
export const LlmUsageSchema = z.object({
  calls: z.array(LlmCallSchema).max(200),
  tokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type LlmUsage = z.infer<typeof LlmUsageSchema>;

/** `usage` with one more call. The list keeps its newest 200; the sums keep counting. */
export function addLlmCall(usage: LlmUsage | undefined, call: LlmCall): LlmUsage {
  return {
    calls: [...(usage?.calls ?? []), call].slice(-200),
    tokens: (usage?.tokens ?? 0) + billedTokens(call),
    costUsd: Math.round(((usage?.costUsd ?? 0) + call.costUsd) * 1e6) / 1e6,
  };
}
