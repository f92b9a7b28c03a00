import type * as z from 'zod';
import { EXTRACTION_LIMITS, ModelExtractionSchema, NOTE_CATEGORIES, type Notes } from './extraction-schema';

/**
 * What one chunk of a long meeting returns: everything but the follow-up email, which is written once from the
 * merged result (a draft written from one chunk does not know the rest).
 */
export const ChunkExtractionSchema = ModelExtractionSchema.omit({ follow_up_email: true });
export type ChunkExtraction = z.infer<typeof ChunkExtractionSchema>;

type Cited = { evidence: readonly { utterance_index: number }[] };

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}$%]+/gu, ' ')
    .trim();

/** The text with its figures taken out: "IRA balance $420,000" and "IRA balance $465,000" are one fact. */
const withoutFigures = (text: string) =>
  normalise(text)
    .replace(/[$%]?\d[\d.,]*\s*(k|m|percent)?\b[$%]?/g, '#')
    .replace(/\s+/g, ' ');

const cited = (item: Cited) => new Set(item.evidence.map((e) => e.utterance_index));
const overlaps = (a: Cited, b: Cited) => {
  const mine = cited(a);
  return b.evidence.some((e) => mine.has(e.utterance_index));
};
const firstCited = (item: Cited) => Math.min(...item.evidence.map((e) => e.utterance_index));

/** An item and the part (chunk) it came from. */
type FromPart<T> = { value: T; part: number };

const tagged = <T>(lists: readonly (readonly T[])[]): FromPart<T>[] =>
  lists.flatMap((list, part) => list.map((value) => ({ value, part })));

/** One item per group of duplicates, where the first was seen: `pick` chooses what the kept one says. */
function dedupe<T>(
  items: readonly FromPart<T>[],
  same: (kept: T, next: T) => boolean,
  pick: (kept: T, next: T) => T = (kept) => kept,
): FromPart<T>[] {
  const kept: FromPart<T>[] = [];
  for (const item of items) {
    const at = kept.findIndex((k) => same(k.value, item.value));
    const found = kept[at];
    if (found) kept[at] = { ...found, value: pick(found.value, item.value) };
    else kept.push(item);
  }
  return kept;
}

/**
 * At most `limit` items, taken in turn from each part (the first of every part, then the second, …) so the cut
 * leaves every hour of the meeting represented, in their original order.
 */
function fairTrim<T>(items: readonly FromPart<T>[], limit: number): T[] {
  if (items.length <= limit) return items.map((i) => i.value);
  const rank = new Map<FromPart<T>, number>();
  const seenPerPart = new Map<number, number>();
  for (const item of items) {
    const round = seenPerPart.get(item.part) ?? 0;
    seenPerPart.set(item.part, round + 1);
    rank.set(item, round);
  }
  const chosen = new Set(
    [...items].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0) || a.part - b.part).slice(0, limit),
  );
  return items.filter((item) => chosen.has(item)).map((i) => i.value);
}

const SEVERITY_RANK = { low: 0, medium: 1, high: 2 } as const;

/**
 * The extractions of a long meeting's chunks as one, in meeting order and within the schema's limits:
 * - notes: a duplicate says the same thing (same text after normalising) or cites the same utterances;
 * - action items: the same owner citing an overlapping utterance, or the same description; the first wording is
 *   kept, a due date a later part resolved fills one the first left open;
 * - client facts: the same category citing an overlapping utterance, or the same fact with other figures — the
 *   later one wins, as a correction does inside one call;
 * - flags: the same rule citing an overlapping utterance; the higher severity is kept.
 * Lists over their limit keep items from every part in turn. The follow-up email is written afterwards.
 */
export function mergeChunkExtractions(parts: readonly ChunkExtraction[]): ChunkExtraction {
  const notes = Object.fromEntries(
    NOTE_CATEGORIES.map((category) => {
      const unique = dedupe(
        tagged(parts.map((p) => p.notes[category])),
        (a, b) =>
          normalise(a.text) === normalise(b.text) ||
          [...cited(a)].sort().join() === [...cited(b)].sort().join(),
      );
      return [category, fairTrim(unique, EXTRACTION_LIMITS.notesPerCategory)];
    }),
  ) as Notes;

  const actions = dedupe(
    tagged(parts.map((p) => p.action_items)),
    (a, b) =>
      (a.owner.toLowerCase() === b.owner.toLowerCase() && overlaps(a, b)) ||
      normalise(a.description) === normalise(b.description),
    (kept, next) =>
      kept.due_date === null && next.due_date !== null ? { ...kept, due_date: next.due_date } : kept,
  );

  const facts = dedupe(
    tagged(parts.map((p) => p.client_facts)),
    (a, b) =>
      a.category === b.category && (overlaps(a, b) || withoutFigures(a.fact) === withoutFigures(b.fact)),
    (_kept, next) => next,
  );

  const flags = dedupe(
    tagged(parts.map((p) => p.compliance_flags)),
    (a, b) => a.rule === b.rule && overlaps(a, b),
    (kept, next) =>
      SEVERITY_RANK[next.severity] > SEVERITY_RANK[kept.severity]
        ? { ...kept, severity: next.severity }
        : kept,
  );

  const inOrder = <T extends Cited>(items: T[]) => [...items].sort((a, b) => firstCited(a) - firstCited(b));
  return {
    notes,
    action_items: inOrder(fairTrim(actions, EXTRACTION_LIMITS.actionItems)),
    client_facts: inOrder(fairTrim(facts, EXTRACTION_LIMITS.clientFacts)),
    compliance_flags: inOrder(fairTrim(flags, EXTRACTION_LIMITS.complianceFlags)),
  };
}
