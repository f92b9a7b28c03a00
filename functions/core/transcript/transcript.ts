import * as z from 'zod';

/** Where a transcript came from: an uploaded file's format, or the transcription vendor that produced it. */
export const TranscriptSourceSchema = z.enum(['webvtt', 'srt', 'text', 'assemblyai', 'deepgram']);
export type TranscriptSource = z.infer<typeof TranscriptSourceSchema>;

/** The speaker of a cue with no voice tag, name prefix or diarisation label. */
export const UNKNOWN_SPEAKER = 'Unknown';

/**
 * One turn of speech. `text` is what was said with markup removed and whitespace collapsed to single spaces,
 * otherwise byte-exact (em dashes, curly or straight apostrophes, `$`, `%` as in the file): extraction quotes are
 * verified against it by substring.
 */
export const UtteranceSchema = z.object({
  /** 0-based position in the transcript; citations use it. */
  index: z.number().int().nonnegative(),
  /** The bare name (`Renata Okafor`), a vendor label (`Speaker A`, `Speaker 0`) or `Unknown`. */
  speaker: z.string().min(1),
  /** Set when the file marks the speaker as the adviser (`<v Renata Okafor (Advisor)>`). */
  role: z.literal('advisor').optional(),
  startMs: z.number().int().nonnegative(),
  endMs: z.number().int().nonnegative(),
  text: z
    .string()
    .min(1)
    .refine((text) => text === text.trim() && !/\s\s|[^\S ]/.test(text), 'must be whitespace-normalised'),
});
export type Utterance = z.infer<typeof UtteranceSchema>;

/**
 * The one normalised transcript every format and vendor is turned into. Utterances are in start order (cross-talk
 * keeps its overlap), indexed 0…n-1. A transcript without timings (plain text without timestamps) has every
 * `startMs`, `endMs` and `durationMs` at 0.
 */
export const TranscriptSchema = z
  .object({
    source: TranscriptSourceSchema,
    utterances: z.array(UtteranceSchema).min(1),
    /** At least the last utterance's end; longer when the vendor reports the audio's duration. */
    durationMs: z.number().int().nonnegative(),
    /** Distinct speakers, in order of first appearance. */
    speakers: z.array(z.string().min(1)),
  })
  .superRefine((transcript, ctx) => {
    const firstAppearance: string[] = [];
    let previousStart = 0;
    for (const [i, u] of transcript.utterances.entries()) {
      const at = ['utterances', i];
      if (u.index !== i) ctx.addIssue({ code: 'custom', path: [...at, 'index'], message: `must be ${i}` });
      if (u.endMs < u.startMs)
        ctx.addIssue({ code: 'custom', path: [...at, 'endMs'], message: 'before startMs' });
      if (u.startMs < previousStart) {
        ctx.addIssue({ code: 'custom', path: [...at, 'startMs'], message: 'before the previous utterance' });
      }
      if (u.endMs > transcript.durationMs) {
        ctx.addIssue({ code: 'custom', path: [...at, 'endMs'], message: 'after durationMs' });
      }
      previousStart = u.startMs;
      if (!firstAppearance.includes(u.speaker)) firstAppearance.push(u.speaker);
    }
    if (firstAppearance.join('\n') !== transcript.speakers.join('\n')) {
      ctx.addIssue({ code: 'custom', path: ['speakers'], message: 'must list each speaker once, in order' });
    }
  });
export type Transcript = z.infer<typeof TranscriptSchema>;

/**
 * The text of utterance `index`, or `undefined` when there is no such utterance — a citation that points
 * nowhere is unverifiable, not an error.
 */
export function utteranceText(transcript: Transcript, index: number): string | undefined {
  return Number.isInteger(index) ? transcript.utterances[index]?.text : undefined;
}

/** `HH:MM:SS` (hours grow past two digits for very long recordings), milliseconds dropped. */
export function formatClock(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(totalSeconds / 3600))}:${two(Math.floor(totalSeconds / 60) % 60)}:${two(totalSeconds % 60)}`;
}

/**
 * The transcript as prompt text, one line per utterance: `[00:01:02] Renata Okafor (Advisor): text`. The
 * adviser keeps the `(Advisor)` mark so a model can tell who is who. An untimed transcript leaves the clock out;
 * `numbered` prefixes each line with its utterance index (`#12 `) for models that must cite utterances.
 */
export function transcriptPlainText(transcript: Transcript, options: { numbered?: boolean } = {}): string {
  const timed = transcript.durationMs > 0;
  return transcript.utterances
    .map((u) => {
      const number = options.numbered ? `#${u.index} ` : '';
      const clock = timed ? `[${formatClock(u.startMs)}] ` : '';
      const who = u.role === 'advisor' ? `${u.speaker} (Advisor)` : u.speaker;
      return `${number}${clock}${who}: ${u.text}`;
    })
    .join('\n');
}
