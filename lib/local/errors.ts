/**
 * A start-up problem the user can fix. Its message is the one line the CLI prints before exiting 1, so it says
 * what is wrong and what to do about it — no stack trace.
 */
export class LocalHostError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalHostError';
  }
}
