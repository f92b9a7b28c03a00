import type { Citation, Extraction, FactValue } from '../../functions/core/extraction/extraction-schema';
import type { Transcript } from '../../functions/core/transcript/transcript';
import type { LabelledMeeting } from './labelled-meeting';

/** The three outputs the golden labels score. */
export const SCORED_KINDS = ['action_items', 'client_facts', 'compliance_flags'] as const;
export type ScoredKind = (typeof SCORED_KINDS)[number];

/** A labelled item matched on evidence whose other fields disagree: the partial credit the tables show. */
export interface FieldMismatch {
  label: string;
  /** `field: predicted ≠ labelled`, one per disagreeing field. */
  differences: string[];
}

export interface KindCounts {
  predicted: number;
  labelled: number;
  /** Evidence and every compared field agree. */
  matched: number;
  /** Evidence agrees, some compared field does not (counted as a miss and a false positive in the strict figures). */
  evidenceOnly: number;
  /** Predicted flags in a cue listed under `not_flags` (flags only; always 0 for other kinds). */
  notFlagHits: number;
}

export interface KindScore extends KindCounts {
  /** Strict: matched / predicted; null when nothing was predicted. */
  precision: number | null;
  /** Strict: matched / labelled; null when nothing was labelled. */
  recall: number | null;
  f1: number | null;
  /** Lenient, evidence alone: (matched + evidenceOnly) / predicted. */
  evidencePrecision: number | null;
  evidenceRecall: number | null;
  mismatches: FieldMismatch[];
}

export interface MeetingScore {
  id: string;
  kinds: Record<ScoredKind, KindScore>;
  /** Labelled evidence found in no utterance (or in several): a label or transcript problem, reported not hidden. */
  unresolvedLabels: string[];
}

type Utterances = Pick<Transcript, 'utterances'>['utterances'];
type Scored = Pick<Extraction, ScoredKind>;

const ratio = (num: number, den: number) => (den === 0 ? null : num / den);
function f1Of(p: number | null, r: number | null): number | null {
  if (p === null || r === null) return null;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** Scores from counts: strict and evidence-only precision, recall and F1. */
export function kindScore(counts: KindCounts, mismatches: FieldMismatch[] = []): KindScore {
  const precision = ratio(counts.matched, counts.predicted);
  const recall = ratio(counts.matched, counts.labelled);
  return {
    ...counts,
    precision,
    recall,
    f1: f1Of(precision, recall),
    evidencePrecision: ratio(counts.matched + counts.evidenceOnly, counts.predicted),
    evidenceRecall: ratio(counts.matched + counts.evidenceOnly, counts.labelled),
    mismatches,
  };
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}$%']+/gu) ?? [];

/** Two passages overlap when they share a run of at least four words (or all of the shorter one). */
function overlaps(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  const need = Math.min(4, wa.length, wb.length);
  if (need === 0) return false;
  const runs = new Set<string>();
  for (let i = 0; i + need <= wa.length; i++) runs.add(wa.slice(i, i + need).join(' '));
  for (let i = 0; i + need <= wb.length; i++) if (runs.has(wb.slice(i, i + need).join(' '))) return true;
  return false;
}

/** The one utterance holding `text` exactly, if there is exactly one. */
function uniqueHolder(utterances: Utterances, text: string): number | undefined {
  const holders = utterances.filter((u) => u.text.includes(text));
  return holders.length === 1 ? holders[0]?.index : undefined;
}

/** The utterance a citation's quote is really in: the cited one if it holds the quote, else the only one that does. */
function citedUtterance(utterances: Utterances, citation: Citation): number | undefined {
  if (utterances[citation.utterance_index]?.text.includes(citation.quote)) return citation.utterance_index;
  return uniqueHolder(utterances, citation.quote);
}

interface Label {
  evidence: string;
  utterance: number | undefined;
  name: string;
}

function evidenceMatches(utterances: Utterances, citations: readonly Citation[], label: Label): boolean {
  return citations.some((citation) => {
    const at = citedUtterance(utterances, citation);
    return (at !== undefined && at === label.utterance) || overlaps(citation.quote, label.evidence);
  });
}

/** Maximum bipartite matching (Kuhn): `edges[p]` lists the labels prediction `p` may take; result: label → p. */
function maxMatching(edges: readonly number[][], labelCount: number): (number | undefined)[] {
  const owner: (number | undefined)[] = Array.from({ length: labelCount }, () => undefined);
  const tryAssign = (p: number, seen: Set<number>): boolean => {
    for (const l of edges[p] ?? []) {
      if (seen.has(l)) continue;
      seen.add(l);
      const current = owner[l];
      if (current === undefined || tryAssign(current, seen)) {
        owner[l] = p;
        return true;
      }
    }
    return false;
  };
  for (let p = 0; p < edges.length; p++) tryAssign(p, new Set());
  return owner;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function sameValue(a: FactValue, b: FactValue): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  if (typeof a === 'string' && typeof b === 'string')
    return a.trim().toLowerCase() === b.trim().toLowerCase();
  return a === b;
}

function scoreKind<P extends { evidence: Citation[] }>(
  utterances: Utterances,
  predictions: readonly P[],
  labels: readonly Label[],
  differences: (p: P, labelIndex: number) => string[],
): { counts: Omit<KindCounts, 'notFlagHits'>; mismatches: FieldMismatch[]; unmatched: P[] } {
  const evidenceEdges = predictions.map((p) =>
    labels.flatMap((label, l) => (evidenceMatches(utterances, p.evidence, label) ? [l] : [])),
  );
  const fullEdges = evidenceEdges.map((ls, p) =>
    ls.filter((l) => differences(predictions[p] as P, l).length === 0),
  );
  const full = maxMatching(fullEdges, labels.length);
  const fullyMatched = new Set(full.filter((p): p is number => p !== undefined));
  // Partial credit only between labels and predictions the strict matching left over.
  const partialEdges = evidenceEdges.map((ls, p) =>
    fullyMatched.has(p) ? [] : ls.filter((l) => full[l] === undefined),
  );
  const partial = maxMatching(partialEdges, labels.length);
  const mismatches: FieldMismatch[] = [];
  let evidenceOnly = 0;
  for (const [l, p] of partial.entries()) {
    if (p === undefined) continue;
    evidenceOnly++;
    mismatches.push({ label: labels[l]?.name ?? '', differences: differences(predictions[p] as P, l) });
  }
  const used = new Set([...fullyMatched, ...partial.filter((p): p is number => p !== undefined)]);
  return {
    counts: {
      predicted: predictions.length,
      labelled: labels.length,
      matched: full.filter((p) => p !== undefined).length,
      evidenceOnly,
    },
    mismatches,
    unmatched: predictions.filter((_, p) => !used.has(p)),
  };
}

const show = (value: unknown) => JSON.stringify(value);

/**
 * Scores one meeting's extraction against its labels, as the golden README prescribes: a predicted item is
 * evidence for a label when one of its quotes is in the same utterance (cue) as the label's evidence or overlaps
 * that text; then action items compare `owner` and `due_date`, facts `category` and `value`, flags `rule` and
 * `speaker`. Each label matches at most one prediction (a maximum matching, full matches first). A predicted flag
 * in a `not_flags` cue is a false positive and counted as a not_flags hit. Pure.
 */
export function scoreExtraction(input: {
  labels: LabelledMeeting;
  transcript: Pick<Transcript, 'utterances'>;
  extraction: Scored;
}): MeetingScore {
  const { labels, extraction } = input;
  const utterances = input.transcript.utterances;
  const unresolvedLabels: string[] = [];
  const locate = (evidence: string, name: string): Label => {
    const utterance = uniqueHolder(utterances, evidence);
    if (utterance === undefined) unresolvedLabels.push(`${name}: ${evidence}`);
    return { evidence, utterance, name };
  };

  const actionLabels = labels.action_items.map((a, i) => locate(a.evidence, `action_items[${i}]`));
  const actions = scoreKind(utterances, extraction.action_items, actionLabels, (p, l) => {
    const label = labels.action_items[l];
    if (!label) return ['label'];
    const out: string[] = [];
    if (!sameName(p.owner, label.owner)) out.push(`owner: ${show(p.owner)} ≠ ${show(label.owner)}`);
    if (p.due_date !== label.due_date) out.push(`due_date: ${show(p.due_date)} ≠ ${show(label.due_date)}`);
    return out;
  });

  const factLabels = labels.client_facts.map((f, i) => locate(f.evidence, `client_facts[${i}]`));
  const facts = scoreKind(utterances, extraction.client_facts, factLabels, (p, l) => {
    const label = labels.client_facts[l];
    if (!label) return ['label'];
    const out: string[] = [];
    if (p.category !== label.category) out.push(`category: ${show(p.category)} ≠ ${show(label.category)}`);
    if (!sameValue(p.value, label.value)) out.push(`value: ${show(p.value)} ≠ ${show(label.value)}`);
    return out;
  });

  const flagLabels = labels.compliance_flags.map((f, i) => locate(f.evidence, `compliance_flags[${i}]`));
  const flags = scoreKind(utterances, extraction.compliance_flags, flagLabels, (p, l) => {
    const label = labels.compliance_flags[l];
    if (!label) return ['label'];
    const out: string[] = [];
    if (p.rule !== label.rule) out.push(`rule: ${show(p.rule)} ≠ ${show(label.rule)}`);
    if (!sameName(p.speaker, label.speaker)) out.push(`speaker: ${show(p.speaker)} ≠ ${show(label.speaker)}`);
    return out;
  });
  const notFlags = labels.not_flags.map((n, i) => locate(n.evidence, `not_flags[${i}]`));
  const notFlagHits = flags.unmatched.filter((flag) =>
    notFlags.some((notFlag) => evidenceMatches(utterances, flag.evidence, notFlag)),
  ).length;

  return {
    id: labels.id,
    kinds: {
      action_items: kindScore({ ...actions.counts, notFlagHits: 0 }, actions.mismatches),
      client_facts: kindScore({ ...facts.counts, notFlagHits: 0 }, facts.mismatches),
      compliance_flags: kindScore({ ...flags.counts, notFlagHits }, flags.mismatches),
    },
    unresolvedLabels,
  };
}

/** Totals over meetings: counts summed, then the ratios recomputed (micro-averaged). */
export function totalScore(meetings: readonly MeetingScore[]): Record<ScoredKind, KindScore> {
  const total = (kind: ScoredKind) => {
    const sum = (key: keyof KindCounts) => meetings.reduce((acc, m) => acc + m.kinds[kind][key], 0);
    return kindScore(
      {
        predicted: sum('predicted'),
        labelled: sum('labelled'),
        matched: sum('matched'),
        evidenceOnly: sum('evidenceOnly'),
        notFlagHits: sum('notFlagHits'),
      },
      meetings.flatMap((m) =>
        m.kinds[kind].mismatches.map((mm) => ({ ...mm, label: `${m.id} ${mm.label}` })),
      ),
    );
  };
  return {
    action_items: total('action_items'),
    client_facts: total('client_facts'),
    compliance_flags: total('compliance_flags'),
  };
}
