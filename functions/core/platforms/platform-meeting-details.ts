import type { Platform } from '../../contracts/platform';
import type { Meeting } from '../meetings/meeting';

/** Graph's notification names no title: the adviser sees this until the intake task reads the meeting's subject. */
export const TEAMS_MEETING_TITLE = 'Microsoft Teams meeting';

/**
 * The titles a webhook gives a meeting because its event names none, by platform. Only a meeting still under its
 * platform's placeholder takes the platform's own title and date: anything else is the adviser's.
 */
export const PLACEHOLDER_TITLES: { readonly [P in Platform]?: string } = { teams: TEAMS_MEETING_TITLE };

/** The same cap as every other meeting title (`MeetingSchema`, the meetings API, Zoom's topic). */
const TITLE_MAX = 300;
const DAY_MS = 86_400_000;

/** What a platform says about the meeting itself, read once its file is fetched. Free text: never logged. */
export interface PlatformMeetingDetails {
  /** The meeting's subject as the organizer typed it (may be blank). */
  title?: string;
  /** The scheduled start, an ISO 8601 instant. */
  startDateTime?: string;
}

/**
 * The title and date a meeting takes from its platform's details, or `undefined` when its title is no longer its
 * platform's placeholder (renamed meanwhile: the adviser's title and date stay). A blank subject keeps the
 * placeholder. The start's UTC date is taken only within a day before the date the webhook gave (the
 * notification's, minutes after the meeting): every occurrence of a recurring Teams meeting shares one online
 * meeting whose start is the series', and that date would be wrong for all but the first.
 */
export function titleAndDateFrom(
  meeting: Pick<Meeting, 'title' | 'meetingDate' | 'source'>,
  details: PlatformMeetingDetails,
): Pick<Meeting, 'title' | 'meetingDate'> | undefined {
  if (meeting.source.type !== 'platform') return undefined;
  const placeholder = PLACEHOLDER_TITLES[meeting.source.platform];
  if (placeholder === undefined || meeting.title !== placeholder) return undefined;
  const title = details.title?.trim().slice(0, TITLE_MAX).trim();
  return {
    title: title ? title : placeholder,
    meetingDate: startDate(details.startDateTime, meeting.meetingDate) ?? meeting.meetingDate,
  };
}

/** Whether the intake task should ask the platform at all: only for a meeting still under its placeholder. */
export function hasPlaceholderTitle(meeting: Pick<Meeting, 'title' | 'source'>): boolean {
  return meeting.source.type === 'platform' && meeting.title === PLACEHOLDER_TITLES[meeting.source.platform];
}

function startDate(startDateTime: string | undefined, notifiedDate: string): string | undefined {
  if (startDateTime === undefined) return undefined;
  const startMs = Date.parse(startDateTime);
  const notifiedMs = Date.parse(notifiedDate);
  if (Number.isNaN(startMs) || Number.isNaN(notifiedMs)) return undefined;
  const date = new Date(startMs).toISOString().slice(0, 10);
  const daysBefore = (notifiedMs - Date.parse(date)) / DAY_MS;
  return daysBefore === 0 || daysBefore === 1 ? date : undefined;
}
