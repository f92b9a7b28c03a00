import { AppError } from '../../platform/errors';

/**
 * A call would take the meeting past its token budget (`EXTRACTION_TOKEN_BUDGET`): the meeting fails with this
 * reason before the call is made. Not retried: the same meeting would need the same tokens again.
 */
export class TokenBudgetExceededError extends AppError {
  constructor(
    readonly needed: number,
    readonly spent: number,
    readonly budget: number,
  ) {
    super(
      'token_budget_exceeded',
      `Extraction stopped: the next model call could use ${needed} tokens and ${spent} of this meeting's budget of ${budget} are spent. Raise EXTRACTION_TOKEN_BUDGET or shorten the transcript.`,
    );
  }
}

/**
 * The meeting's token budget as calls are made: each call first reserves its worst case (estimated input plus
 * its `max_tokens`), so no call can start that could take the meeting past the budget; afterwards the actual
 * tokens are recorded.
 */
export class TokenBudget {
  #spent: number;

  constructor(
    readonly limit: number,
    spent = 0,
  ) {
    this.#spent = spent;
  }

  get spent(): number {
    return this.#spent;
  }

  /** Throws `TokenBudgetExceededError` when `worstCase` more tokens would not fit. */
  reserve(worstCase: number): void {
    if (this.#spent + worstCase > this.limit)
      throw new TokenBudgetExceededError(worstCase, this.#spent, this.limit);
  }

  record(tokens: number): void {
    this.#spent += tokens;
  }
}
