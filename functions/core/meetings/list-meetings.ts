import type { Page } from '../../contracts/page';
import type { Principal } from '../../contracts/principal';
import { ValidationError } from '../../platform/errors';
import type { Meeting } from './meeting';
import { assignmentsOf } from './meeting-access';
import type { MeetingDeps, MeetingListQuery } from './ports';

export interface ListMeetingsInput extends Omit<MeetingListQuery, 'ownerUserId'> {
  actor: Principal;
  ownerUserId?: string;
  /** Case-insensitive substring of a client name; applied after decryption, so a page may come back short. */
  client?: string;
}

/**
 * A page of meetings the caller may see: an advisor's own; an assistant's for one named assigned advisor;
 * compliance and admins the whole firm (or one advisor's, when named).
 */
export async function listMeetings(
  input: ListMeetingsInput,
  deps: Pick<MeetingDeps, 'meetings' | 'users'>,
): Promise<Page<Meeting>> {
  const { actor, client, ...query } = input;
  let owner: string | undefined;
  switch (actor.role) {
    case 'advisor':
      if (query.ownerUserId !== undefined && query.ownerUserId !== actor.userId) {
        return { items: [] };
      }
      owner = actor.userId;
      break;
    case 'assistant': {
      const assigned = await assignmentsOf(actor, deps);
      if (query.ownerUserId === undefined) {
        throw new ValidationError('Name the advisor whose meetings to list.', [
          {
            path: 'query.owner_id',
            message: 'is required for assistants: one of the advisors you are assigned to',
          },
        ]);
      }
      if (!assigned.includes(query.ownerUserId)) return { items: [] };
      owner = query.ownerUserId;
      break;
    }
    default:
      owner = query.ownerUserId;
  }
  const page = await deps.meetings.list(actor.tenantId, {
    ...query,
    ...(owner ? { ownerUserId: owner } : {}),
  });
  if (!client) return page;
  const needle = client.toLowerCase();
  return {
    ...page,
    items: page.items.filter((m) => m.clientNames.some((n) => n.toLowerCase().includes(needle))),
  };
}
