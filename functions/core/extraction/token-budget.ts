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
 * tokens are recorded. The input estimate is calibrated by the meeting's own calls: when one is billed more input
 * than estimated, later estimates are scaled up by that ratio (never down).
 */
export class TokenBudget {
  #spent: number;
  #inputScale = 1;

  constructor(
    readonly limit: number,
    spent = 0,
  ) {
    this.#spent = spent;
  }

  get spent(): number {
    return this.#spent;
  }

  /** Throws `TokenBudgetExceededError` when a call of this estimated input and output cap might not fit. */
  reserve(inputEstimate: number, maxOutput: number): void {
    const worstCase = Math.ceil(inputEstimate * this.#inputScale) + maxOutput;
    if (this.#spent + worstCase > this.limit)
      throw new TokenBudgetExceededError(worstCase, this.#spent, this.limit);
  }

  /** A call's billed tokens; with its input as billed and as estimated, the estimate's calibration. */
  record(tokens: number, input?: { billed: number; estimated: number }): void {
    this.#spent += tokens;
    if (input && input.estimated > 0)
      this.#inputScale = Math.max(this.#inputScale, input.billed / input.estimated);
  }
}
