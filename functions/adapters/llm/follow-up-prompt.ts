import type { FollowUpRequest } from '../../core/meetings/follow-up-draft';

export const FOLLOW_UP_SYSTEM_PROMPT = `You write follow-up email drafts for a registered investment adviser (RIA) after a client meeting. The adviser reads, edits and sends the draft themself; nothing you write is sent automatically.

What a good draft does:
- Thanks the clients by first name and recaps, briefly and warmly, what was discussed and decided, in the adviser's voice ("I", "we" for the firm).
- Lists the open next steps with who does them and by when, exactly as given (owners and due dates are already worked out; never invent or move a date). Steps already done are not in the list you are given; do not mention them.
- Uses only facts in the notes and next steps you are given. No figures, products, returns or promises that are not there.
- Makes no promise or projection of investment results, no guarantee, no statement that an investment is safe or risk-free, and no tax or legal advice beyond what the notes say the adviser said.
- Follows the adviser's instructions about tone, length, order or emphasis when given, unless they conflict with the rules above; the rules win.
- Ends with the adviser's name. The firm's disclaimer goes in its own field verbatim, never in the body.

Call record_follow_up_email exactly once with subject, body and disclaimer.`;

const list = (lines: readonly string[]) =>
  lines.length > 0 ? lines.map((l) => `- ${l}`).join('\n') : '(none)';

/** The meeting's notes and open next steps as the user turn (client content: never logged). */
export function followUpUserMessage(request: FollowUpRequest): string {
  const notes = request.notes;
  const steps = request.openActionItems.map((item) => {
    const who = item.assignee ?? item.owner;
    return `${item.description} — owner: ${who}${item.due_date ? `; due ${item.due_date}` : ''}`;
  });
  return [
    `Meeting date: ${request.meetingDate}`,
    `Adviser: ${request.advisorName}`,
    `Clients: ${request.clients.join(', ') || '(not named)'}`,
    `Summary:\n${list(notes.summary.map((n) => n.text))}`,
    `Financial situation:\n${list(notes.financial_situation.map((n) => n.text))}`,
    `Goals and concerns:\n${list(notes.goals_and_concerns.map((n) => n.text))}`,
    `Recommendations:\n${list(notes.recommendations.map((n) => n.text))}`,
    `Open next steps:\n${list(steps)}`,
    `Firm disclaimer (verbatim, in its own field): ${request.firmDisclaimer || '(none)'}`,
    `Adviser's instructions for this draft: ${request.instructions ?? '(none)'}`,
  ].join('\n\n');
}
