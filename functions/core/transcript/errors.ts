import { AppError } from '../../platform/errors';

/**
 * A transcript file (WebVTT, SRT, plain text, AssemblyAI or Deepgram JSON) that cannot be read. The message is
 * the precise reason and place (`line 14: cue timing … is not HH:MM:SS.mmm --> HH:MM:SS.mmm`): the pipeline
 * shows it to the adviser when it fails the meeting. `format` is the parser that refused it, when one was chosen.
 */
export class MalformedTranscriptError extends AppError {
  readonly format: string | undefined;

  constructor(reason: string, options: { format?: string; cause?: unknown } = {}) {
    super('malformed_transcript', reason, {
      cause: options.cause,
      issues: [{ path: 'transcript', message: reason }],
    });
    this.format = options.format;
  }
}
