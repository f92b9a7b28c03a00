import type { Meeting } from '../../../core/meetings/meeting';
import { tenantPrefix } from './tenant-prefix';

/**
 * Meetings: one item per meeting; `gsi1` lists one advisor's meetings and `gsi2` the firm's, both by meeting
 * date then id, so date ranges are key conditions, not filters.
 */
export function meetingKey(tenantId: string, meetingId: string) {
  return { pk: `${tenantPrefix(tenantId)}MEETING#${meetingId}`, sk: 'MEETING' };
}

export function ownerMeetingsPartition(tenantId: string, ownerUserId: string): string {
  return `${tenantPrefix(tenantId)}OWNER#${ownerUserId}#MEETINGS`;
}

export function firmMeetingsPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}MEETINGS`;
}

/** Sort key within both lists; `~` sorts after every id character, closing a date range inclusively. */
export function meetingSortKey(meetingDate: string, meetingId: string): string {
  return `${meetingDate}#${meetingId}`;
}

export function meetingKeys(
  tenantId: string,
  meeting: Pick<Meeting, 'meetingId' | 'ownerUserId' | 'meetingDate'>,
) {
  const sort = meetingSortKey(meeting.meetingDate, meeting.meetingId);
  return {
    ...meetingKey(tenantId, meeting.meetingId),
    gsi1pk: ownerMeetingsPartition(tenantId, meeting.ownerUserId),
    gsi1sk: sort,
    gsi2pk: firmMeetingsPartition(tenantId),
    gsi2sk: sort,
  };
}

/** An action item's state, in its meeting's partition: `ACTION#<itemId>`. */
export function actionItemStateKey(tenantId: string, meetingId: string, itemId: string) {
  return { pk: meetingKey(tenantId, meetingId).pk, sk: `ACTION#${itemId}` };
}

/** A flag review, in its meeting's partition, oldest first: `FLAG_REVIEW#<reviewedAt>#<flagId>`. */
export function flagReviewKey(tenantId: string, meetingId: string, flagId: string, reviewedAt: string) {
  return { pk: meetingKey(tenantId, meetingId).pk, sk: `FLAG_REVIEW#${reviewedAt}#${flagId}` };
}

/** The meeting's regenerated follow-up email draft, in its partition. */
export function followUpDraftKey(tenantId: string, meetingId: string) {
  return { pk: meetingKey(tenantId, meetingId).pk, sk: 'FOLLOW_UP_DRAFT' };
}
