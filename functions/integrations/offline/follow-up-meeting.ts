import type { Utterance } from '../../core/transcript/transcript';
import { resolveDueDate } from '../../integrations/offline/due-dates';

// Phrases that set up the next meeting; its date may come in the same utterance or an answer shortly after.
const SCHEDULING =
  /\b(?:get (?:back )?together|meet (?:with you )?again|meet again|talk again|speak again|see you (?:again|next)|follow-up (?:meeting|call)|next (?:meeting|call|review)|calendar invite|same time|get (?:a|our) (?:meeting|call) on the calendar|schedule (?:a|our|the) (?:meeting|call|follow-up))\b/i;
const ANSWER_WINDOW = 2;

/**
 * The date of the next meeting, when the meeting set one: the first scheduling phrase ("can we get back together
 * next Friday?", "before we talk again" … "let's do two weeks from today") whose utterance, or one of the two
 * after it, resolves to a date after the meeting. `before we talk again` due dates resolve to it.
 */
export function findFollowUpDate(utterances: readonly Utterance[], meetingDate: string): string | null {
  for (const [i, u] of utterances.entries()) {
    if (!SCHEDULING.test(u.text)) continue;
    for (const candidate of utterances.slice(i, i + 1 + ANSWER_WINDOW)) {
      const date = resolveDueDate(candidate.text, meetingDate);
      if (date !== null && date > meetingDate) return date;
    }
  }
  return null;
}
