import type { VerifiedExtraction } from '../extraction/extraction-schema';
import { NOTE_CATEGORIES, type NoteCategory } from '../extraction/extraction-schema';
import type { Meeting } from '../meetings/meeting';
import type { CrmNoteInput, CrmTaskInput } from './crm-provider';
import { noteExternalId, taskExternalId } from './crm-sync-status';

const HEADINGS: Readonly<Record<NoteCategory, string>> = {
  summary: 'Summary',
  financial_situation: 'Financial situation',
  goals_and_concerns: 'Goals and concerns',
  recommendations: 'Recommendations',
  next_steps: 'Next steps',
};

const TASK_TITLE_MAX = 255;

export interface CrmMeetingRecords {
  note: Omit<CrmNoteInput, 'contactId'>;
  /** One per verified action item, in the extraction's order. */
  tasks: Omit<CrmTaskInput, 'contactId'>[];
}

/**
 * What a meeting puts in a CRM: one note (subject = title and date; body = the five note categories, then a
 * link back to the meeting when the app's URL is configured) and one task per action item. Only items whose
 * evidence was verified against the transcript leave the system: an unverified one waits for the adviser's
 * review instead of becoming a CRM record. Tasks the adviser owns go to `advisorCrmUserId` when it is known.
 */
export function crmMeetingRecords(
  meeting: Pick<Meeting, 'meetingId' | 'title' | 'meetingDate'>,
  extraction: Pick<VerifiedExtraction, 'notes' | 'action_items'>,
  options: { appBaseUrl?: string; advisorCrmUserId?: string } = {},
): CrmMeetingRecords {
  const sections: string[] = [];
  for (const category of NOTE_CATEGORIES) {
    const points = extraction.notes[category].filter((n) => n.evidence_status === 'verified');
    if (points.length === 0) continue;
    sections.push(`${HEADINGS[category]}\n${points.map((p) => `- ${p.text}`).join('\n')}`);
  }
  if (sections.length === 0) sections.push('No notes were extracted from this meeting.');
  if (options.appBaseUrl) {
    sections.push(
      `Meeting in Smart Advisor OS: ${options.appBaseUrl.replace(/\/+$/, '')}/meetings/${meeting.meetingId}`,
    );
  }
  const tasks: CrmMeetingRecords['tasks'] = [];
  extraction.action_items.forEach((item, index) => {
    if (item.evidence_status !== 'verified') return;
    const title =
      item.description.length > TASK_TITLE_MAX
        ? `${item.description.slice(0, TASK_TITLE_MAX - 1)}…`
        : item.description;
    tasks.push({
      title,
      description: `${item.description}\n\nOwner: ${item.owner}. From the meeting "${meeting.title}" on ${meeting.meetingDate}.`,
      ...(item.due_date ? { dueDate: item.due_date } : {}),
      priority: item.priority,
      ...(item.owner === 'advisor' && options.advisorCrmUserId
        ? { assigneeId: options.advisorCrmUserId }
        : {}),
      externalId: taskExternalId(meeting.meetingId, index),
    });
  });
  return {
    note: {
      subject: `${meeting.title} (${meeting.meetingDate})`,
      body: sections.join('\n\n'),
      externalId: noteExternalId(meeting.meetingId),
    },
    tasks,
  };
}
