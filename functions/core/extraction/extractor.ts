import { AppError } from '../../platform/errors';
import type { Transcript } from '../transcript/transcript';
import type { Extraction, ExtractionContext } from './extraction-schema';
import type { LlmCall } from './llm-call';

/**
 * What the pipeline gives a model-backed extractor for one meeting besides the transcript: where to save and find
 * its progress (the parts of a long meeting done so far, so a retry resumes), the tokens earlier attempts spent
 * (for the budget), where each call's usage goes, and how much time the function has left.
 */
export interface ExtractionSession {
  /** Billed tokens of this meeting's earlier calls (every attempt). */
  tokensSpent: number;
  /** What an earlier attempt saved; undefined when there is nothing. Stored encrypted: it is client content. */
  loadProgress(): Promise<unknown>;
  saveProgress(progress: unknown): Promise<void>;
  /** One call's usage, recorded (on the meeting, as a metric) before the next call starts. */
  recordCall(call: LlmCall): Promise<void>;
  /** Milliseconds the function has left; absent: no deadline. */
  remainingMs?(): number;
}

/**
 * The port every extractor fills: the offline extractor now, Claude behind the same signature. The result must
 * satisfy `ExtractionSchema` and say which extractor made it (`extractor`, and `model` for Claude); evidence is
 * verified afterwards by `verifyEvidence`, not trusted. The offline extractor ignores `session`.
 */
export type Extractor = (
  transcript: Transcript,
  context: ExtractionContext,
  session?: ExtractionSession,
) => Promise<Extraction>;

/**
 * The function is about to run out of time with parts of a long meeting still to do: everything done so far is
 * saved, and the state machine runs `Extract` again at once (its own `Retry` entry), which resumes from there.
 */
export class ExtractionContinuesError extends AppError {
  constructor(done: number) {
    super(
      'extraction_continues',
      `Extraction paused after ${done} model calls to resume in a fresh invocation (run again at once; a meeting that fails with this reason needed more invocations than the state machine allows).`,
    );
  }
}
