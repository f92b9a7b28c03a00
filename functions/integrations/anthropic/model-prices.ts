/**
 * Anthropic list prices in US dollars per million tokens (input, output, 5-minute cache write, cache read), from
 * the models overview (see `../shared/reference/external-apis-2.md` §9). Used to record each call's cost and
 * by the benchmark; billing itself is Anthropic's.
 */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  /** Largest `max_tokens` the model takes on the Messages API. */
  maxOutputTokens: number;
}

const MTOK = 1_000_000;

export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2, maxOutputTokens: 128_000 },
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2, maxOutputTokens: 128_000 },
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheRead: 0.01,
    maxOutputTokens: 128_000,
  },
  'claude-fable-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1, maxOutputTokens: 128_000 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, maxOutputTokens: 64_000 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, maxOutputTokens: 64_000 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1, maxOutputTokens: 64_000 },
};

/** A model not in the table is priced as the dearest one: a recorded cost may be high, never low. */
const DEAREST = Object.values(MODEL_PRICES).reduce((a, b) => (b.output > a.output ? b : a));

/** The price of `model`, dated snapshots (`claude-haiku-4-5-20251001`) priced as their alias. */
export function modelPrice(model: string): ModelPrice {
  return (
    MODEL_PRICES[model] ??
    MODEL_PRICES[model.replace(/-\d{8}$/, '')] ?? { ...DEAREST, maxOutputTokens: 64_000 }
  );
}

export interface TokenCounts {
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
}

/** What `tokens` cost on `model` at list prices, in dollars (six decimals). */
export function callCostUsd(model: string, tokens: TokenCounts): number {
  const p = modelPrice(model);
  const dollars =
    (tokens.inputTokens * p.input +
      tokens.cacheWriteTokens * p.cacheWrite +
      tokens.cacheReadTokens * p.cacheRead +
      tokens.outputTokens * p.output) /
    MTOK;
  return Math.round(dollars * 1e6) / 1e6;
}
