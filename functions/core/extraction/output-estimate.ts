import type { Transcript, Utterance } from '../transcript/transcript';

/**
 * Conservative characters per token for English speech. Budgets are checked against it, so it errs low (more
 * tokens than a tokenizer would count): a meeting never gets past the budget because the estimate was short.
 */
export const CHARS_PER_TOKEN = 3;

/**
 * The extraction's output grows with the transcript, since every item quotes it: about 0.3 tokens per transcript
 * character on top of a fixed 1,500 (the email, the JSON frame). Calibrated to 9–15k output tokens for 60 minutes
 * of speech (~45k characters), 18–28k for two hours; these are upper figures, the headroom goes on top.
 */
export const OUTPUT_TOKENS_PER_CHAR = 0.3;
export const OUTPUT_BASE_TOKENS = 1_500;
/** The cap is the expected output plus a quarter, never below this: short meetings need room for the JSON frame. */
export const OUTPUT_HEADROOM = 1.25;
export const MIN_OUTPUT_CAP = 8_000;

/** The characters of one utterance as the prompt carries it: text, speaker and the `#N [mm:ss]` prefix. */
export function utteranceChars(utterance: Pick<Utterance, 'text' | 'speaker'>): number {
  return utterance.text.length + utterance.speaker.length + 16;
}

/** The characters of a transcript as the prompt carries them. */
export function transcriptChars(transcript: Pick<Transcript, 'utterances'>): number {
  return transcript.utterances.reduce((sum, u) => sum + utteranceChars(u), 0);
}

/** Estimated input tokens of `chars` characters of prompt. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** The output a transcript of `chars` characters is expected to need, at most. */
export function expectedOutputTokens(chars: number): number {
  return Math.ceil(OUTPUT_BASE_TOKENS + chars * OUTPUT_TOKENS_PER_CHAR);
}

/** `max_tokens` for one call: the expected output with headroom, at least `MIN_OUTPUT_CAP`, at most `modelMax`. */
export function outputCap(chars: number, modelMax: number): number {
  return Math.min(
    modelMax,
    Math.max(MIN_OUTPUT_CAP, Math.ceil(expectedOutputTokens(chars) * OUTPUT_HEADROOM)),
  );
}
