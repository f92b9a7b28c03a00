import type { Principal } from '../../contracts/principal';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { canReadOwned, canWriteClientData } from '../identity/access-policy';
import type { Meeting } from './meeting';
import type { MeetingDeps } from './ports';

/** The advisors an assistant acts for (empty for every other role). */
export async function assignmentsOf(
  principal: Principal,
  deps: Pick<MeetingDeps, 'users'>,
): Promise<string[]> {
  if (principal.role !== 'assistant') return [];
  return (await deps.users.getUser(principal.tenantId, principal.userId))?.assignedAdvisorIds ?? [];
}

/**
 * The meeting if `principal` may read it. Another advisor's meeting answers exactly like a missing one, so ids
 * reveal nothing across advisors any more than across firms.
 */
export async function readableMeeting(
  principal: Principal,
  meetingId: string,
  deps: Pick<MeetingDeps, 'meetings' | 'users'>,
): Promise<Meeting> {
  const meeting = await deps.meetings.get(principal.tenantId, meetingId);
  if (!meeting || !canReadOwned(principal, meeting.ownerUserId, await assignmentsOf(principal, deps))) {
    throw new NotFoundError('Meeting not found.');
  }
  return meeting;
}

/** As `readableMeeting`, and the principal may change it (compliance may read but never change). */
export async function writableMeeting(
  principal: Principal,
  meetingId: string,
  deps: Pick<MeetingDeps, 'meetings' | 'users'>,
): Promise<Meeting> {
  const meeting = await readableMeeting(principal, meetingId, deps);
  if (!canWriteClientData(principal, meeting.ownerUserId, await assignmentsOf(principal, deps))) {
    throw new ForbiddenError('Your role may read this meeting but not change it.');
  }
  return meeting;
}

/**
 * Whose meeting a new one is: an advisor's own; an assistant's for one of its advisors (named); an admin's for
 * any active advisor of the firm (named) or itself. Compliance creates no client data.
 */
export async function resolveOwner(
  principal: Principal,
  requestedOwner: string | undefined,
  deps: Pick<MeetingDeps, 'users'>,
): Promise<string> {
  switch (principal.role) {
    case 'compliance':
      throw new ForbiddenError('Compliance may review meetings but not create them.');
    case 'advisor':
      if (requestedOwner !== undefined && requestedOwner !== principal.userId) {
        throw new ValidationError('An advisor creates meetings for themself.', [
          { path: 'body.owner_id', message: 'must be your own user id or absent' },
        ]);
      }
      return principal.userId;
    case 'assistant': {
      const assigned = await assignmentsOf(principal, deps);
      if (requestedOwner === undefined || !assigned.includes(requestedOwner)) {
        throw new ValidationError('Name the advisor this meeting belongs to.', [
          { path: 'body.owner_id', message: 'must be one of the advisors you are assigned to' },
        ]);
      }
      return requestedOwner;
    }
    case 'admin': {
      if (requestedOwner === undefined || requestedOwner === principal.userId) return principal.userId;
      const owner = await deps.users.getUser(principal.tenantId, requestedOwner);
      if (owner?.role !== 'advisor' || owner.status !== 'active') {
        throw new ValidationError('The owner must be an active advisor of the firm.', [
          { path: 'body.owner_id', message: 'is not an active advisor of your firm' },
        ]);
      }
      return requestedOwner;
    }
  }
}
