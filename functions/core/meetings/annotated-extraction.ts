import type { Role } from '../../contracts/principal';
import type { VerifiedExtraction } from '../extraction/extraction-schema';
import type { FlagDecision } from './flag-review';
import type { MeetingAnnotations } from './ports';

type VerifiedActionItem = VerifiedExtraction['action_items'][number];
type VerifiedFlag = VerifiedExtraction['compliance_flags'][number];

/** An extracted action item with what the team has done to it since. */
export type AnnotatedActionItem = VerifiedActionItem & {
  done: boolean;
  /** Who was assigned after the meeting (`owner` stays what the meeting said); null until someone assigns it. */
  assignee: string | null;
  /** The due date in force: the team's if they changed it, else the extracted one. */
  due_date: string | null;
  /** The date the meeting implied, kept when the team changed it. */
  extracted_due_date: string | null;
  updated_by?: string;
  updated_at?: string;
};

export interface FlagReviewView {
  decision: FlagDecision;
  /** Only for compliance and admins: a review note may be about the adviser. */
  note?: string;
  reviewer_id: string;
  reviewed_at: string;
  /** How many reviews the flag has had (the newest is shown). */
  reviews: number;
}

/** A compliance flag with its newest review, or `null` while it awaits one. */
export type AnnotatedFlag = VerifiedFlag & { review: FlagReviewView | null };

export type AnnotatedExtraction = Omit<VerifiedExtraction, 'action_items' | 'compliance_flags'> & {
  action_items: AnnotatedActionItem[];
  compliance_flags: AnnotatedFlag[];
};

/** Roles that review compliance flags and may read reviewers' notes. */
export const FLAG_REVIEWER_ROLES: readonly Role[] = ['compliance', 'admin'];

export function annotateActionItem(
  item: VerifiedActionItem,
  state: MeetingAnnotations['actionItems'][number] | undefined,
): AnnotatedActionItem {
  return {
    ...item,
    done: state?.done ?? false,
    assignee: state?.assignee ?? null,
    due_date: state?.dueDate !== undefined ? state.dueDate : item.due_date,
    extracted_due_date: item.due_date,
    ...(state ? { updated_by: state.updatedBy, updated_at: state.updatedAt } : {}),
  };
}

export function annotateFlag(
  flag: VerifiedFlag,
  reviews: MeetingAnnotations['flagReviews'],
  viewerRole: Role,
): AnnotatedFlag {
  const own = reviews.filter((r) => r.flagId === flag.id);
  const newest = own.at(-1);
  return {
    ...flag,
    review: newest
      ? {
          decision: newest.decision,
          ...(FLAG_REVIEWER_ROLES.includes(viewerRole) ? { note: newest.note } : {}),
          reviewer_id: newest.reviewerId,
          reviewed_at: newest.reviewedAt,
          reviews: own.length,
        }
      : null,
  };
}

/** The extraction as a viewer of `viewerRole` sees it, merged with the meeting's annotations. Pure. */
export function annotateExtraction(
  extraction: VerifiedExtraction,
  annotations: MeetingAnnotations,
  viewerRole: Role,
): AnnotatedExtraction {
  const states = new Map(annotations.actionItems.map((s) => [s.itemId, s]));
  return {
    ...extraction,
    action_items: extraction.action_items.map((item) => annotateActionItem(item, states.get(item.id))),
    compliance_flags: extraction.compliance_flags.map((flag) =>
      annotateFlag(flag, annotations.flagReviews, viewerRole),
    ),
  };
}
