import type { Transcript } from '../transcript/transcript';
import {
  actionItemId,
  type Citation,
  countWords,
  type EvidenceStatus,
  type Extraction,
  flagId,
  NOTE_CATEGORIES,
  QUOTE_MAX_CHARS,
  QUOTE_MAX_WORDS,
  QUOTE_MIN_WORDS,
  type VerifiedExtraction,
} from './extraction-schema';
import { contentWords, findQuote } from './quote-match';

/** Why a citation could not be verified. */
export type CitationProblem =
  | 'not_found' // the quote is in no utterance
  | 'ambiguous' // not in the cited utterance, and in more than one other
  | 'too_short'; // under 4 words without being the whole utterance

export interface CitationIssue {
  /** Where the item is: `action_items[3]`, `notes.summary[0]`, … */
  item: string;
  utterance_index: number;
  quote: string;
  problem: CitationProblem;
}

export interface EvidenceReport {
  items: number;
  verified: number;
  unverified: number;
  /** Citations whose index was wrong but whose quote is in exactly one other utterance; the index was fixed. */
  relocated: number;
  issues: CitationIssue[];
}

type CitationCheck =
  | { citation: Citation; relocated: boolean }
  | { citation: Citation; problem: CitationProblem };

// Transcripts are whitespace-normalised; a model's stray double space or line break is not a different quote.
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

type Utterances = Pick<Transcript, 'utterances'>['utterances'];

/**
 * Finds quotes in utterances: exactly first, then tolerantly (`findQuote`: typographic quotes, dashes, case,
 * edge punctuation, fillers), the latter giving back the passage as the transcript has it. Each utterance's
 * words are computed once per verification.
 */
function quoteFinder() {
  const words = new Map<number, ReturnType<typeof contentWords>>();
  const tolerant = (quote: string, u: Utterances[number]): string | undefined => {
    let cached = words.get(u.index);
    if (!cached) {
      cached = contentWords(u.text);
      words.set(u.index, cached);
    }
    const span = findQuote(quote, u.text, cached);
    if (!span) return undefined;
    const passage = u.text.slice(span.start, span.end);
    // The passage with its fillers may outgrow the quote limits; the model's words, found, then stand.
    return passage.length <= QUOTE_MAX_CHARS && countWords(passage) <= QUOTE_MAX_WORDS ? passage : quote;
  };
  return {
    exact: (quote: string, u: Utterances[number] | undefined) =>
      u?.text.includes(quote) ? quote : undefined,
    tolerant: (quote: string, u: Utterances[number] | undefined) => (u ? tolerant(quote, u) : undefined),
  };
}

function checkCitation(
  citation: Citation,
  utterances: Utterances,
  find: ReturnType<typeof quoteFinder>,
): CitationCheck {
  const quote = collapse(citation.quote);
  const cited = utterances[citation.utterance_index];
  const accept = (u: Utterances[number], found: string, relocated: boolean): CitationCheck => {
    const fixed = { utterance_index: u.index, quote: found };
    // Under 4 words only when the quote is the whole utterance (give or take its punctuation).
    const tooShort = countWords(found) < QUOTE_MIN_WORDS && countWords(found) < countWords(u.text);
    return tooShort ? { citation: fixed, problem: 'too_short' } : { citation: fixed, relocated };
  };
  for (const match of [find.exact, find.tolerant]) {
    const inCited = match(quote, cited);
    if (cited && inCited !== undefined) return accept(cited, inCited, false);
    if (quote === '') break;
    const holders = utterances.flatMap((u) => {
      const found = match(quote, u);
      return found === undefined ? [] : [{ u, found }];
    });
    const [only] = holders;
    if (holders.length === 1 && only) return accept(only.u, only.found, true);
    if (holders.length > 1) return { citation: { ...citation, quote }, problem: 'ambiguous' };
  }
  return { citation: { ...citation, quote }, problem: 'not_found' };
}

/**
 * Checks every cited item against the transcript. A quote must be in the utterance it cites — exactly (whitespace
 * collapsed, as the transcript is), or up to typographic quotes, dashes, case, edge punctuation and dropped
 * fillers, in which case the citation is rewritten to the passage as the transcript has it — and at least 4
 * words unless it is the whole utterance. A quote found instead in exactly one other utterance has its index
 * fixed; exact matches are tried everywhere before tolerant ones. An item with any citation that still fails
 * is kept and marked `unverified`; every other item is `verified`. Pure: the input is not changed.
 */
export function verifyEvidence(
  extraction: Extraction,
  transcript: Pick<Transcript, 'utterances'>,
): { extraction: VerifiedExtraction; report: EvidenceReport } {
  const report: EvidenceReport = { items: 0, verified: 0, unverified: 0, relocated: 0, issues: [] };
  const find = quoteFinder();

  const verify = <Item extends { evidence: Citation[] }>(
    item: Item,
    where: string,
  ): Item & { evidence_status: EvidenceStatus } => {
    const checks = item.evidence.map((citation) => checkCitation(citation, transcript.utterances, find));
    let status: EvidenceStatus = 'verified';
    for (const check of checks) {
      if ('problem' in check) {
        status = 'unverified';
        report.issues.push({
          item: where,
          utterance_index: check.citation.utterance_index,
          quote: check.citation.quote,
          problem: check.problem,
        });
      } else if (check.relocated) report.relocated++;
    }
    report.items++;
    report[status]++;
    return { ...item, evidence: checks.map((check) => check.citation), evidence_status: status };
  };
  const verifyAll = <Item extends { evidence: Citation[] }>(items: Item[], where: string) =>
    items.map((item, i) => verify(item, `${where}[${i}]`));

  const notes = Object.fromEntries(
    NOTE_CATEGORIES.map((category) => [category, verifyAll(extraction.notes[category], `notes.${category}`)]),
  ) as VerifiedExtraction['notes'];

  return {
    extraction: {
      ...extraction,
      notes,
      action_items: verifyAll(extraction.action_items, 'action_items').map((item, i) => ({
        id: actionItemId(i),
        ...item,
      })),
      client_facts: verifyAll(extraction.client_facts, 'client_facts'),
      compliance_flags: verifyAll(extraction.compliance_flags, 'compliance_flags').map((flag, i) => ({
        id: flagId(i),
        ...flag,
      })),
    },
    report,
  };
}

/**
 * The notes and action items whose every citation verifies, as `verifyEvidence` checks them: what a follow-up
 * writer may be given before the extraction is verified (the chunked path), so an unsupported item never
 * reaches a draft.
 */
export function verifiedContent(
  content: Pick<Extraction, 'notes' | 'action_items'>,
  transcript: Pick<Transcript, 'utterances'>,
): Pick<Extraction, 'notes' | 'action_items'> {
  const find = quoteFinder();
  const supported = (item: { evidence: Citation[] }) =>
    item.evidence.every((c) => !('problem' in checkCitation(c, transcript.utterances, find)));
  const notes = Object.fromEntries(
    NOTE_CATEGORIES.map((category) => [category, content.notes[category].filter(supported)]),
  ) as Extraction['notes'];
  return { notes, action_items: content.action_items.filter(supported) };
}
