import * as z from 'zod';
import { buildTranscript, type UtteranceDraft } from './build-transcript';
import { MalformedTranscriptError } from './errors';
import { groupWordsBySpeaker } from './group-words';
import { type Transcript, UNKNOWN_SPEAKER } from './transcript';
import { describeFirstIssue, readJson } from './vendor-json';

const Seconds = z.number().nonnegative();
const SpeakerNumber = z.number().int().nonnegative().nullish();

const DeepgramWordSchema = z.object({
  word: z.string(),
  punctuated_word: z.string().nullish(),
  start: Seconds,
  end: Seconds,
  speaker: SpeakerNumber,
});

/** The fields of Deepgram's `POST /v1/listen` response (or callback body) the transcript is built from (seconds). */
export const DeepgramResponseSchema = z.object({
  metadata: z.object({ duration: Seconds.nullish() }).nullish(),
  results: z.object({
    utterances: z
      .array(z.object({ start: Seconds, end: Seconds, transcript: z.string(), speaker: SpeakerNumber }))
      .nullish(),
    channels: z
      .array(
        z.object({
          alternatives: z.array(
            z.object({ transcript: z.string().nullish(), words: z.array(DeepgramWordSchema).nullish() }),
          ),
        }),
      )
      .nullish(),
  }),
});

const format = 'deepgram';
const fail = (reason: string) => new MalformedTranscriptError(reason, { format });

/**
 * Turns a Deepgram pre-recorded response (parsed or as JSON text) into the normalised transcript. Seconds become
 * integer milliseconds. `results.utterances` (requested with `utterances=true`) become utterances of `Speaker 0`,
 * `Speaker 1`… (`Unknown` without `diarize`); without them, consecutive words of channel 0's first alternative
 * are grouped by speaker, using `punctuated_word` when present; without words, its `transcript` is one `Unknown`
 * utterance spanning the audio.
 *
 * @throws MalformedTranscriptError for a body that is not a transcript (the `{ request_id }` acknowledgement of a
 * callback request included), of the wrong shape, with an utterance or word that ends before it starts, or
 * without text.
 */
export function parseDeepgramResponse(input: unknown): Transcript {
  const value = readJson(input, format);
  if (typeof value === 'object' && value !== null && !('results' in value)) {
    throw fail(
      'request_id' in value
        ? "Deepgram response has no 'results': it is the acknowledgement of a callback request, not a transcript"
        : "Deepgram response has no 'results'",
    );
  }
  const parsed = DeepgramResponseSchema.safeParse(value);
  if (!parsed.success) throw fail(`Deepgram response: ${describeFirstIssue(parsed.error)}`);
  const { metadata, results } = parsed.data;
  const duration = metadata?.duration;
  const declaredDurationMs = duration == null ? undefined : toMs(duration);
  const options = { emptyReason: 'Deepgram response has no text', declaredDurationMs };

  if (results.utterances?.length) {
    const drafts = results.utterances.map((u, i) =>
      draft({ ...u, text: u.transcript }, `results.utterances[${i}]`),
    );
    return buildTranscript(format, drafts, options);
  }
  const alternative = results.channels?.[0]?.alternatives[0];
  if (!alternative) {
    throw fail(
      "Deepgram response has neither 'results.utterances' nor 'results.channels[0].alternatives[0]'",
    );
  }
  if (alternative.words?.length) return buildTranscript(format, groupWords(alternative.words), options);
  const whole = {
    speaker: UNKNOWN_SPEAKER,
    startMs: 0,
    endMs: declaredDurationMs ?? 0,
    text: alternative.transcript ?? '',
  };
  return buildTranscript(format, [whole], options);
}

const toMs = (seconds: number) => Math.round(seconds * 1000);

function draft(
  item: { text: string; start: number; end: number; speaker?: number | null | undefined },
  where: string,
): UtteranceDraft {
  if (item.end < item.start) {
    throw fail(`Deepgram ${where}: end (${item.end} s) is before start (${item.start} s)`);
  }
  const speaker = item.speaker == null ? UNKNOWN_SPEAKER : `Speaker ${item.speaker}`;
  return { speaker, startMs: toMs(item.start), endMs: toMs(item.end), text: item.text };
}

function groupWords(words: readonly z.infer<typeof DeepgramWordSchema>[]): UtteranceDraft[] {
  const at = (i: number) => `results.channels[0].alternatives[0].words[${i}]`;
  for (const [i, word] of words.entries()) {
    if (word.end < word.start) {
      throw fail(`Deepgram ${at(i)}: end (${word.end} s) is before start (${word.start} s)`);
    }
  }
  const runs = groupWordsBySpeaker(
    words.map((word) => ({
      text: word.punctuated_word ?? word.word,
      start: word.start,
      end: word.end,
      speaker: word.speaker ?? null,
    })),
  );
  return runs.map((run) => draft(run, at(run.firstWord)));
}
