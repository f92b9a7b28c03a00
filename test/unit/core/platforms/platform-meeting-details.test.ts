import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../../../functions/core/meetings/meeting';
import {
  hasPlaceholderTitle,
  TEAMS_MEETING_TITLE,
  titleAndDateFrom,
} from '../../../../functions/core/platforms/platform-meeting-details';

type Titled = Pick<Meeting, 'title' | 'meetingDate' | 'source'>;

const teams: Titled = {
  title: TEAMS_MEETING_TITLE,
  meetingDate: '2026-01-21',
  source: { type: 'platform', platform: 'teams', kind: 'transcript', externalMeetingId: 'MSo1' },
};

describe('titleAndDateFrom', () => {
  it('replaces the generic Teams title with the trimmed subject and the date with the start’s UTC date', () => {
    expect(
      titleAndDateFrom(teams, {
        title: '  Annual review — Okafor family \n',
        startDateTime: '2026-01-20T23:30:00.5714003Z',
      }),
    ).toEqual({ title: 'Annual review — Okafor family', meetingDate: '2026-01-20' });
  });

  it('takes the UTC date of a start given with an offset', () => {
    expect(titleAndDateFrom(teams, { title: 'Review', startDateTime: '2026-01-21T01:30:00+05:00' })).toEqual({
      title: 'Review',
      meetingDate: '2026-01-20',
    });
  });

  it('caps a long subject at 300 characters like every other title', () => {
    const result = titleAndDateFrom(teams, { title: `${'x'.repeat(299)} tail` });
    expect(result?.title).toHaveLength(299);
    expect(result?.title).toBe('x'.repeat(299));
  });

  it.each([
    ['empty', ''],
    ['blank', '   \t '],
    ['absent', undefined],
  ])('keeps the generic title for an %s subject, still taking the start’s date', (_, title) => {
    expect(
      titleAndDateFrom(teams, {
        ...(title === undefined ? {} : { title }),
        startDateTime: '2026-01-21T09:00:00Z',
      }),
    ).toEqual({ title: TEAMS_MEETING_TITLE, meetingDate: '2026-01-21' });
  });

  it.each([
    ['absent', undefined],
    ['a recurring series’ first occurrence', '2025-11-04T15:00:00Z'],
    ['two days before the notification', '2026-01-19T23:59:59Z'],
    ['after the notification', '2026-01-22T00:00:00Z'],
    ['not a date', 'soon'],
  ])('keeps the notification’s date when the start is %s', (_, startDateTime) => {
    expect(
      titleAndDateFrom(teams, { title: 'Review', ...(startDateTime === undefined ? {} : { startDateTime }) }),
    ).toEqual({ title: 'Review', meetingDate: '2026-01-21' });
  });

  it('changes nothing on a meeting the adviser renamed', () => {
    const renamed = { ...teams, title: 'Okafor — estate planning', meetingDate: '2026-01-19' };
    expect(titleAndDateFrom(renamed, { title: 'Weekly sync', startDateTime: '2026-01-20T10:00:00Z' })).toBe(
      undefined,
    );
    expect(hasPlaceholderTitle(renamed)).toBe(false);
    expect(hasPlaceholderTitle(teams)).toBe(true);
  });

  it('changes nothing for a platform without a placeholder title, even one titled like Teams', () => {
    const zoom: Titled = {
      ...teams,
      source: { type: 'platform', platform: 'zoom', kind: 'transcript', externalMeetingId: 'uuid-1' },
    };
    expect(titleAndDateFrom(zoom, { title: 'Review' })).toBe(undefined);
    expect(hasPlaceholderTitle(zoom)).toBe(false);
  });
});
