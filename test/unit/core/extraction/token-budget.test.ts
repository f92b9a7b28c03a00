import { describe, expect, it } from 'vitest';
import { addLlmCall, type LlmCall } from '../../../../functions/core/extraction/llm-call';
import {
  expectedOutputTokens,
  MIN_OUTPUT_CAP,
  outputCap,
} from '../../../../functions/core/extraction/output-estimate';
import { TokenBudget, TokenBudgetExceededError } from '../../../../functions/core/extraction/token-budget';

describe('TokenBudget', () => {
  it('lets a call start only when its worst case fits what is left, counting earlier spend', () => {
    const budget = new TokenBudget(50_000, 20_000);
    expect(() => budget.reserve(10_000, 20_000)).not.toThrow();
    budget.record(25_000);
    expect(budget.spent).toBe(45_000);
    const error = (() => {
      try {
        budget.reserve(1_000, 5_000);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TokenBudgetExceededError);
    expect((error as Error).message).toContain('45000 of this meeting');
    expect((error as Error).message).toContain('EXTRACTION_TOKEN_BUDGET');
  });

  it('scales later input estimates up when a call was billed more input than estimated, never down', () => {
    const budget = new TokenBudget(100_000);
    budget.record(10_000, { billed: 8_000, estimated: 10_000 });
    expect(() => budget.reserve(40_000, 50_000)).not.toThrow();
    budget.record(10_000, { billed: 15_000, estimated: 10_000 });
    // 40,000 estimated is now 60,000: with 50,000 output and 20,000 spent it no longer fits.
    expect(() => budget.reserve(40_000, 50_000)).toThrow(TokenBudgetExceededError);
    expect(() => budget.reserve(40_000, 20_000)).not.toThrow();
  });
});

describe('output estimate', () => {
  it('expects 9–15k output tokens for an hour of speech and 18–28k for two, as measured', () => {
    expect(expectedOutputTokens(45_000)).toBeGreaterThanOrEqual(9_000);
    expect(expectedOutputTokens(45_000)).toBeLessThanOrEqual(15_000);
    expect(expectedOutputTokens(90_000)).toBeGreaterThanOrEqual(18_000);
    expect(expectedOutputTokens(90_000)).toBeLessThanOrEqual(28_500);
  });

  it('caps with headroom, never below the floor or above the model limit', () => {
    expect(outputCap(1_000, 128_000)).toBe(MIN_OUTPUT_CAP);
    expect(outputCap(45_000, 128_000)).toBe(Math.ceil(expectedOutputTokens(45_000) * 1.25));
    expect(outputCap(2_000_000, 64_000)).toBe(64_000);
  });
});

describe('addLlmCall', () => {
  const call: LlmCall = {
    at: '2026-01-20T15:00:00.000Z',
    purpose: 'extraction',
    model: 'claude-sonnet-5-5',
    stopReason: 'end_turn',
    maxTokens: 8000,
    inputTokens: 100,
    cacheWriteTokens: 10,
    cacheReadTokens: 1000,
    outputTokens: 50,
    costUsd: 0.0012,
  };

  it('appends the call and adds its billed tokens and cost to the sums', () => {
    const usage = addLlmCall(addLlmCall(undefined, call), call);
    expect(usage).toMatchObject({ tokens: 2320, costUsd: 0.0024 });
    expect(usage.calls).toHaveLength(2);
  });
});
