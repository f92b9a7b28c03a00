import * as z from 'zod';
import { ActionItemIdSchema } from '../extraction/extraction-schema';
import { EntityIdSchema } from '../identity/user';
import { IsoDateSchema } from './meeting';

/**
 * What the adviser's team changed about one extracted action item: done, who does it, by when. The extraction
 * itself is never rewritten (it is what the meeting said, and what the archive holds); this record sits beside
 * it and the meeting's details show the two merged. `assignee`/`dueDate` absent = as extracted; `null` = cleared.
 */
export const ActionItemStateSchema = z.object({
  meetingId: EntityIdSchema,
  itemId: ActionItemIdSchema,
  done: z.boolean(),
  /** Free text (a staff member's or client's name): encrypted at rest. */
  assignee: z.string().min(1).max(200).nullable().optional(),
  dueDate: IsoDateSchema.nullable().optional(),
  updatedBy: EntityIdSchema,
  updatedAt: z.iso.datetime(),
});
export type ActionItemState = z.infer<typeof ActionItemStateSchema>;
