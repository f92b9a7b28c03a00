/** The time, given to every use case instead of `Date.now()`, so tests choose it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
