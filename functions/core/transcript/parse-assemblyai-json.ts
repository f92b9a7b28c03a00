import * as z from 'zod';
import { buildTranscript, type UtteranceDraft } from './build-transcript';
import { MalformedTranscriptError } from './errors';
import { groupWordsBySpeaker } from './group-words';
import { speakerFromLabel } from './speaker-name';
import { type Transcript, UNKNOWN_SPEAKER } from './transcript';
import { describeFirstIssue, readJson } from './vendor-json';

const Ms = z.number().nonnegative();

const AssemblyAiWordSchema = z.object({
  text: z.string(),
  start: Ms,
  end: Ms,
  speaker: z.string().nullish(),
});

const AssemblyAiUtteranceSchema = z.object({
  text: z.string(),
  start: Ms,
  end: Ms,
  speaker: z.string().nullish(),
});

/** The fields of AssemblyAI's `GET /v2/transcript/{id}` response the transcript is built from (times in ms). */
export const AssemblyAiTranscriptSchema = z.object({
  status: z.string(),
  error: z.string().nullish(),
  text: z.string().nullish(),
  words: z.array(AssemblyAiWordSchema).nullish(),
  utterances: z.array(AssemblyAiUtteranceSchema).nullish(),
  /** Seconds. */
  audio_duration: z.number().nonnegative().nullish(),
});

const format = 'assemblyai';
const fail = (reason: string) => new MalformedTranscriptError(reason, { format });

/**
 * Turns an AssemblyAI transcript (the `GET /v2/transcript/{id}` response, parsed or as JSON text) into the
 * normalised transcript. The status must be `completed`. Utterances (present with `speaker_labels`) become
 * utterances of `Speaker A`, `Speaker B`…; without them, consecutive words of one speaker are grouped; without
 * words either, the whole `text` is one `Unknown` utterance spanning the audio.
 *
 * @throws MalformedTranscriptError for a transcript that is not completed (with AssemblyAI's error), of the
 * wrong shape, with an utterance or word that ends before it starts, or without text.
 */
export function parseAssemblyAiTranscript(input: unknown): Transcript {
  const parsed = AssemblyAiTranscriptSchema.safeParse(readJson(input, format));
  if (!parsed.success) throw fail(`AssemblyAI transcript: ${describeFirstIssue(parsed.error)}`);
  const transcript = parsed.data;
  if (transcript.status === 'error') {
    throw fail(`AssemblyAI transcript status is 'error': ${transcript.error?.trim() || 'no reason given'}`);
  }
  if (transcript.status !== 'completed') {
    throw fail(`AssemblyAI transcript status is '${transcript.status}', not 'completed'`);
  }
  const declaredDurationMs =
    transcript.audio_duration == null ? undefined : Math.round(transcript.audio_duration * 1000);
  const options = { emptyReason: 'AssemblyAI transcript has no text', declaredDurationMs };

  if (transcript.utterances?.length) {
    const drafts = transcript.utterances.map((u, i) => draft(u, `utterances[${i}]`));
    return buildTranscript(format, drafts, options);
  }
  if (transcript.words?.length) {
    return buildTranscript(format, groupWords(transcript.words), options);
  }
  const whole = {
    speaker: UNKNOWN_SPEAKER,
    startMs: 0,
    endMs: declaredDurationMs ?? 0,
    text: transcript.text ?? '',
  };
  return buildTranscript(format, [whole], options);
}

type Timed = { text: string; start: number; end: number; speaker?: string | null | undefined };

function draft(item: Timed, where: string): UtteranceDraft {
  const startMs = Math.round(item.start);
  const endMs = Math.round(item.end);
  if (endMs < startMs) throw fail(`AssemblyAI ${where}: end (${endMs} ms) is before start (${startMs} ms)`);
  return { ...speaker(item.speaker), startMs, endMs, text: item.text };
}

// AssemblyAI labels speakers `A`, `B`…; speaker identification may put real names there instead.
function speaker(label: string | null | undefined) {
  if (!label?.trim()) return { speaker: UNKNOWN_SPEAKER };
  return /^(?:[A-Z]{1,2}|\d+)$/.test(label.trim())
    ? { speaker: `Speaker ${label.trim()}` }
    : speakerFromLabel(label);
}

function groupWords(words: readonly z.infer<typeof AssemblyAiWordSchema>[]): UtteranceDraft[] {
  for (const [i, word] of words.entries()) {
    if (word.end < word.start) {
      throw fail(`AssemblyAI words[${i}]: end (${word.end} ms) is before start (${word.start} ms)`);
    }
  }
  const runs = groupWordsBySpeaker(words.map((word) => ({ ...word, speaker: word.speaker ?? null })));
  return runs.map((run) => draft(run, `words[${run.firstWord}]`));
}
