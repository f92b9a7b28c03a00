import { clipText } from '../../core/extraction/clip-text';
import type { ActionItem, FollowUpEmailText, Notes } from '../../core/extraction/extraction-schema';
import type { Participants } from '../../core/extraction/participants';

/** Said in every offline draft so nobody mistakes it for the adviser's own words. */
export const OFFLINE_DRAFT_LABEL =
  '[Draft prepared by the offline extractor from the meeting transcript. Review and edit before sending; nothing is sent automatically.]';

const MAX_LINES = 10;
const BODY_MAX_CHARS = 10_000;

const longDate = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });

const firstName = (name: string) => name.split(/\s+/)[0] ?? name;

function line(item: ActionItem): string {
  // One spouse, or someone else: say who; "client" is everyone addressed.
  const who = ['advisor', 'staff', 'client'].includes(item.owner) ? '' : `${firstName(item.owner)}: `;
  return `- ${who}${item.description}${item.due_date ? ` (by ${longDate(item.due_date)})` : ''}`;
}

/**
 * A plain follow-up email draft from the notes and action items: thanks, the adviser's recommendations, what the
 * firm will do, what the clients agreed to do, the adviser's name and the offline-draft label (the firm's
 * disclaimer is set by `firmFollowUpEmail`). A draft only: the system never sends it.
 */
export function draftFollowUpEmail(
  context: Participants & { meetingDate: string },
  notes: Pick<Notes, 'recommendations'>,
  actionItems: readonly ActionItem[],
): FollowUpEmailText {
  const greeting = context.clients.length > 0 ? context.clients.map(firstName).join(' and ') : 'there';
  const ours = actionItems.filter((item) => item.owner === 'advisor' || item.owner === 'staff');
  const yours = actionItems.filter((item) => item.owner !== 'advisor' && item.owner !== 'staff');
  const sections = [
    `Hi ${greeting},`,
    `Thank you for meeting with me on ${longDate(context.meetingDate)}. Here is a short recap of what we discussed and agreed.`,
  ];
  if (notes.recommendations.length > 0) {
    sections.push(
      ['What we discussed:', ...notes.recommendations.slice(0, MAX_LINES).map((n) => `- ${n.text}`)].join(
        '\n',
      ),
    );
  }
  if (ours.length > 0) sections.push(['What we will do:', ...ours.slice(0, MAX_LINES).map(line)].join('\n'));
  if (yours.length > 0)
    sections.push(['What we agreed you would do:', ...yours.slice(0, MAX_LINES).map(line)].join('\n'));
  const closing = [
    'Please let me know if I missed or misstated anything.',
    `Best regards,\n${context.advisorName}`,
    OFFLINE_DRAFT_LABEL,
  ].join('\n\n');
  // The recap gives way before the closing and the offline label do.
  const recap = clipText(sections.join('\n\n'), BODY_MAX_CHARS - closing.length - 2);
  return {
    subject: `Follow-up from our meeting on ${longDate(context.meetingDate)}`,
    body: `${recap}\n\n${closing}`,
  };
}
