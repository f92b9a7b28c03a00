import { type ModelExtraction, NOTE_CATEGORIES, type Notes } from './extraction-schema';

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}$%]+/gu, ' ')
    .trim();

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The extractions of a long meeting's chunks as one, in meeting order: notes per category, action items, facts
 * and the model's flags, each with the duplicates the chunks' overlap produces removed (same text after
 * normalising; a flag: same rule citing the same utterance). The follow-up email is not merged: a draft written
 * from one chunk does not know the rest, so the caller writes it again from the merged result.
 */
export function mergeChunkExtractions(
  parts: readonly ModelExtraction[],
): Omit<ModelExtraction, 'follow_up_email'> {
  const notes = Object.fromEntries(
    NOTE_CATEGORIES.map((category) => [
      category,
      unique(
        parts.flatMap((p) => p.notes[category]),
        (n) => normalise(n.text),
      ),
    ]),
  ) as Notes;
  return {
    notes,
    action_items: unique(
      parts.flatMap((p) => p.action_items),
      (a) => normalise(a.description),
    ),
    client_facts: unique(
      parts.flatMap((p) => p.client_facts),
      (f) => `${f.category}:${normalise(f.fact)}`,
    ),
    compliance_flags: unique(
      parts.flatMap((p) => p.compliance_flags),
      (f) => `${f.rule}:${f.evidence.map((e) => e.utterance_index).join(',')}`,
    ),
  };
}
