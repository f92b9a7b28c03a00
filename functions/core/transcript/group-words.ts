/** A word as a transcription vendor times it, in the vendor's unit. */
export interface TimedWord<S> {
  text: string;
  start: number;
  end: number;
  speaker: S | null;
}

/** Consecutive words of one speaker, in the vendor's unit; `firstWord` is the index of its first word. */
export interface WordRun<S> extends TimedWord<S> {
  firstWord: number;
}

/**
 * Groups consecutive words of one speaker into runs (words without a speaker group together), the text joined
 * with spaces — for vendor responses that carry words but no utterances.
 */
export function groupWordsBySpeaker<S>(words: readonly TimedWord<S>[]): WordRun<S>[] {
  const runs: (WordRun<S> & { texts: string[] })[] = [];
  for (const [i, word] of words.entries()) {
    const last = runs.at(-1);
    if (last && last.speaker === word.speaker) {
      last.texts.push(word.text);
      last.end = Math.max(last.end, word.end);
    } else {
      runs.push({ ...word, texts: [word.text], firstWord: i });
    }
  }
  return runs.map(({ texts, ...run }) => ({ ...run, text: texts.join(' ') }));
}
