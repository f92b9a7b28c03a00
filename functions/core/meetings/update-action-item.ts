import type { Principal } from '../../contracts/principal';
import { ConflictError, NotFoundError } from '../../platform/errors';
import type { ActionItemState } from './action-item-state';
import { type AnnotatedActionItem, annotateActionItem } from './annotated-extraction';
import { writableMeeting } from './meeting-access';
import { storedExtraction } from './meeting-details';
import type { MeetingDeps } from './ports';

export interface UpdateActionItemInput {
  actor: Principal;
  ip: string;
  meetingId: string;
  itemId: string;
  /** Each field absent = unchanged; `assignee`/`dueDate` null = cleared (due date: back to none at all). */
  done?: boolean;
  assignee?: string | null;
  dueDate?: string | null;
}

/**
 * Marks an extracted action item done (or not), assigns it or changes its due date. The extraction is left as
 * the meeting said it; the change is recorded beside it, conditional on the state the caller's read saw, and
 * audited (which fields, never their values).
 */
export async function updateActionItem(
  input: UpdateActionItemInput,
  deps: Pick<MeetingDeps, 'meetings' | 'users' | 'extractions' | 'annotations' | 'clock'>,
): Promise<AnnotatedActionItem> {
  // The item's state is read beside the meeting (one round trip, not two); it is used only once access holds.
  const [meeting, current] = await Promise.all([
    writableMeeting(input.actor, input.meetingId, deps),
    deps.annotations.getActionItem(input.actor.tenantId, input.meetingId, input.itemId),
  ]);
  const extraction = await storedExtraction(meeting, deps);
  if (!extraction)
    throw new ConflictError('This meeting has no action items yet: it has not been processed.');
  const item = extraction.action_items.find((i) => i.id === input.itemId);
  if (!item) throw new NotFoundError('Action item not found.');

  const changed = (['done', 'assignee', 'dueDate'] as const).filter((field) => input[field] !== undefined);
  const next: ActionItemState = {
    meetingId: meeting.meetingId,
    itemId: item.id,
    done: input.done ?? current?.done ?? false,
    ...pick('assignee', input.assignee, current?.assignee),
    ...pick('dueDate', input.dueDate, current?.dueDate),
    updatedBy: input.actor.userId,
    updatedAt: new Date(deps.clock.now()).toISOString(),
  };
  await deps.annotations.putActionItem(meeting.tenantId, next, current?.updatedAt ?? null, {
    action: 'meeting.action_item_updated',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'meeting', id: meeting.meetingId },
    ip: input.ip,
    details: {
      item_id: item.id,
      fields: changed.join(','),
      ...(input.done !== undefined ? { done: input.done } : {}),
    },
  });
  return annotateActionItem(item, next);
}

/** The field's new value when given, else the stored one, else nothing (= as extracted). */
function pick<K extends 'assignee' | 'dueDate'>(
  key: K,
  given: string | null | undefined,
  stored: string | null | undefined,
): Partial<Record<K, string | null>> {
  const value = given !== undefined ? given : stored;
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, string | null>>);
}
