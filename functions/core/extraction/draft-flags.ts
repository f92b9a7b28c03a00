import type { Utterance } from '../transcript/transcript';
import { scanCompliance } from './compliance-lexicon';
import type { ComplianceRule, DraftFlag, FollowUpEmailText } from './extraction-schema';
import type { Participants } from './participants';

// Timing rules read a meeting's clock, which a draft does not have.
const NOT_FOR_DRAFTS: readonly ComplianceRule[] = ['consent_or_recording'];

/**
 * The compliance lexicon run over a follow-up draft, read as the adviser's own words (they send it): the
 * subject and each line of the body are one passage each. A promise of results, a projection stated as fact, a
 * testimonial or an SSN in a draft is flagged before the adviser sends it. Each flag quotes the exact text it
 * fired on; identical hits are reported once.
 */
export function scanDraft(draft: FollowUpEmailText, participants: Participants): DraftFlag[] {
  const passages = [draft.subject, ...draft.body.split('\n')];
  const utterances: Utterance[] = passages.map((text, index) => ({
    index,
    speaker: participants.advisorName,
    role: 'advisor',
    startMs: 0,
    endMs: 0,
    text,
  }));
  const seen = new Set<string>();
  return scanCompliance({ utterances }, participants)
    .filter((flag) => !NOT_FOR_DRAFTS.includes(flag.rule))
    .flatMap((flag) =>
      flag.evidence.map((citation) => ({
        rule: flag.rule,
        severity: flag.severity,
        explanation: flag.explanation,
        quote: citation.quote,
      })),
    )
    .filter((flag) => {
      const key = `${flag.rule}\n${flag.quote}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
