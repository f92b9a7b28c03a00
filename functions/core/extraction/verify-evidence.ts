import type { Transcript } from '../transcript/transcript';
import {
  actionItemId,
  type Citation,
  countWords,
  type EvidenceStatus,
  type Extraction,
  flagId,
  NOTE_CATEGORIES,
  QUOTE_MIN_WORDS,
  type VerifiedExtraction,
} from './extraction-schema';

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

function checkCitation(
  citation: Citation,
  utterances: Pick<Transcript, 'utterances'>['utterances'],
): CitationCheck {
  const quote = collapse(citation.quote);
  const fixed = { ...citation, quote };
  const cited = utterances[citation.utterance_index];
  const tooShort = (text: string) => countWords(quote) < QUOTE_MIN_WORDS && quote !== text;
  if (cited?.text.includes(quote)) {
    return tooShort(cited.text)
      ? { citation: fixed, problem: 'too_short' }
      : { citation: fixed, relocated: false };
  }
  const holders = quote === '' ? [] : utterances.filter((u) => u.text.includes(quote));
  const [only] = holders;
  if (holders.length === 1 && only) {
    const moved = { ...fixed, utterance_index: only.index };
    return tooShort(only.text)
      ? { citation: moved, problem: 'too_short' }
      : { citation: moved, relocated: true };
  }
  return { citation: fixed, problem: holders.length === 0 ? 'not_found' : 'ambiguous' };
}

/**
 * Checks every cited item against the transcript. A quote must be an exact substring of the utterance it cites
 * (whitespace collapsed, as the transcript is) and at least 4 words unless it is the whole utterance. A quote
 * found instead in exactly one other utterance has its index fixed. An item with any citation that still fails
 * is kept and marked `unverified`; every other item is `verified`. Pure: the input is not changed.
 */
export function verifyEvidence(
  extraction: Extraction,
  transcript: Pick<Transcript, 'utterances'>,
): { extraction: VerifiedExtraction; report: EvidenceReport } {
  const report: EvidenceReport = { items: 0, verified: 0, unverified: 0, relocated: 0, issues: [] };

  const verify = <Item extends { evidence: Citation[] }>(
    item: Item,
    where: string,
  ): Item & { evidence_status: EvidenceStatus } => {
    const checks = item.evidence.map((citation) => checkCitation(citation, transcript.utterances));
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
