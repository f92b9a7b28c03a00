import * as z from 'zod';
import { ChunkExtractionSchema } from './merge-extractions';

/**
 * What a long meeting's extraction has done so far, saved after every part (encrypted, with the meeting's other
 * artefacts) so a retry resumes where the last attempt stopped: each finished part's result by its utterance
 * range, and the ranges whose answer hit `max_tokens` (they are split in two, never asked again as they were).
 * Bound to the model: another model starts afresh.
 */
export const ExtractionProgressSchema = z.object({
  model: z.string().min(1),
  parts: z.record(z.string().regex(/^\d+-\d+$/), ChunkExtractionSchema),
  truncated: z.array(z.string().regex(/^\d+-\d+$/)),
});
export type ExtractionProgress = z.infer<typeof ExtractionProgressSchema>;

/** A saved progress for `model`, or a fresh one when there is none, it is of another model or unreadable. */
export function resumeProgress(saved: unknown, model: string): ExtractionProgress {
  const parsed = ExtractionProgressSchema.safeParse(saved);
  return parsed.success && parsed.data.model === model ? parsed.data : { model, parts: {}, truncated: [] };
}
