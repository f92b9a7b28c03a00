import { clipText } from '../../core/extraction/clip-text';
import type {
  ActionItem,
  ClientFact,
  ComplianceFlag,
  Note,
  Notes,
} from '../../core/extraction/extraction-schema';
import { isAdvisorSpeaking, type Participants } from '../../core/extraction/participants';
import { quoteAround, sentenceSpans } from '../../core/extraction/quote-span';
import type { Utterance } from '../../core/transcript/transcript';

const AGENDA =
  /\b(?:today(?: is| we| I)|this is (?:our|your|really|just)|I want to (?:hit|talk|cover|go over)|the reason we're|agenda|a few things|quick thing|get-to-know)\b/i;
const RECOMMENDS =
  /\b(?:I'd|I would|I) (?:recommend|suggest|propose|lean|keep|renew|pull|use|fix|sell|build|move|start)\b|\bhere's what I'd\b|\bwe should\b|\byou should\b|\bmy (?:recommendation|suggestion)\b|\bI want to propose\b|\bwe'd (?:use|sell|build|fix|move)\b/i;
// Agenda talk ("we should also talk about the camper") is not a recommendation.
const AGENDA_TALK = /\b(?:we|you) should (?:also )?(?:talk|discuss|go over|cover|look at)\b/i;
const FINANCIAL = new Set<ClientFact['category']>([
  'assets',
  'liabilities',
  'income',
  'tax',
  'insurance',
  'employment',
  'estate',
]);
const MAX_PER_CATEGORY = 12;

const NOTE_MAX_CHARS = 1000;

const note = (utterance: Utterance, start: number, end: number, text: string): Note => ({
  text: clipText(text, NOTE_MAX_CHARS),
  evidence: [{ utterance_index: utterance.index, quote: quoteAround(utterance.text, { start, end }) }],
});

const longDate = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });

/**
 * Extractive notes in the five categories: the summary cites the adviser's agenda, financial situation and goals
 * come from the client facts, recommendations are the adviser's sentences that recommend or propose, and next
 * steps restate the action items. Every note cites the passage it came from.
 */
export function draftNotes(
  utterances: readonly Utterance[],
  context: Participants & { meetingDate: string },
  found: {
    actionItems: readonly ActionItem[];
    facts: readonly ClientFact[];
    flags: readonly ComplianceFlag[];
  },
): Notes {
  const isAdvisor = (u: Utterance) => isAdvisorSpeaking(u, context.advisorName);
  const who = context.clients.length > 0 ? context.clients.join(' and ') : 'the client';

  const summary: Note[] = [];
  const opening =
    utterances.find((u) => isAdvisor(u) && AGENDA.test(u.text)) ??
    utterances.find((u) => isAdvisor(u) && u.text.split(/\s+/).length >= 4) ??
    utterances[0];
  if (opening) {
    summary.push(
      note(
        opening,
        0,
        opening.text.length,
        `${context.advisorName} met with ${who} on ${longDate(context.meetingDate)}. Drafted offline from the transcript by keyword rules; review before relying on it.`,
      ),
    );
  }
  const [firstAction] = found.actionItems;
  if (firstAction) {
    summary.push({
      text: `${found.actionItems.length} action item(s), ${found.facts.length} client fact(s) and ${found.flags.length} compliance flag(s) were recorded.`,
      evidence: firstAction.evidence.slice(0, 1),
    });
  }

  // A flagged passage is for compliance review, not for the recap (or the client's email).
  const flagged = new Set(found.flags.flatMap((flag) => flag.evidence.map((c) => c.utterance_index)));
  const recommendations: Note[] = [];
  for (const u of utterances) {
    if (!isAdvisor(u) || flagged.has(u.index) || recommendations.length >= MAX_PER_CATEGORY) continue;
    const sentence = sentenceSpans(u.text).find((s) => {
      const text = u.text.slice(s.start, s.end);
      return RECOMMENDS.test(text) && !AGENDA_TALK.test(text);
    });
    if (!sentence) continue;
    const said = u.text.slice(sentence.start, sentence.end);
    if (said.trim().endsWith('?')) continue;
    recommendations.push(
      note(u, sentence.start, sentence.end, `${context.advisorName} recommended: “${said}”`),
    );
  }

  const fromFacts = (keep: (fact: ClientFact) => boolean): Note[] =>
    found.facts
      .filter(keep)
      .slice(0, MAX_PER_CATEGORY)
      .map((fact) => ({ text: fact.fact, evidence: fact.evidence }));

  return {
    summary,
    financial_situation: fromFacts((fact) => FINANCIAL.has(fact.category)),
    goals_and_concerns: fromFacts((fact) => !FINANCIAL.has(fact.category)),
    recommendations,
    next_steps: found.actionItems.slice(0, MAX_PER_CATEGORY * 2).map((item) => ({
      text: `${item.description} (${item.owner}${item.due_date ? `, due ${item.due_date}` : ''})`,
      evidence: item.evidence,
    })),
  };
}
