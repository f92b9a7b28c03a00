/** One fixed rate-limit window: where it starts and ends (epoch seconds), and how long until it ends. */
export interface FixedWindow {
  startSeconds: number;
  endSeconds: number;
  /** Whole seconds until the window ends, at least 1: the `Retry-After` a refused caller gets. */
  retryAfterSeconds: number;
}

/**
 * The fixed window of `windowSeconds` that holds `nowMs` (epoch milliseconds). Windows are aligned to the epoch,
 * so every function instance, whatever its clock start, computes the same window (and the same counter key).
 */
export function fixedWindow(nowMs: number, windowSeconds: number): FixedWindow {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new RangeError(`windowSeconds must be a positive integer, got ${windowSeconds}`);
  }
  if (!Number.isFinite(nowMs) || nowMs < 0)
    throw new RangeError(`now must be epoch milliseconds, got ${nowMs}`);
  const startSeconds = Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds;
  const endSeconds = startSeconds + windowSeconds;
  const retryAfterSeconds = Math.max(1, Math.ceil((endSeconds * 1000 - nowMs) / 1000));
  return { startSeconds, endSeconds, retryAfterSeconds };
}
