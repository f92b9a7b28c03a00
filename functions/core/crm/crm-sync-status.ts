import * as z from 'zod';
import { EntityIdSchema } from '../identity/user';
import { CrmProviderNameSchema } from './crm-provider';

const RemoteIdSchema = z.string().min(1).max(200);
const ExternalIdSchema = z.string().min(1).max(200);

/** A CRM contact offered as a possible match: id and display name only (never more of the CRM's record). */
export const CrmCandidateSchema = z.object({ id: RemoteIdSchema, name: z.string().max(300) });
export type CrmCandidate = z.infer<typeof CrmCandidateSchema>;

/** How the meeting's client was found in the CRM, or why not (then with the candidates, never a guess). */
export const CrmContactResolutionSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('matched'),
    contactId: RemoteIdSchema,
    name: z.string().max(300),
    by: z.enum(['exact', 'normalised', 'email']),
  }),
  z.object({
    status: z.literal('not_matched'),
    reason: z.enum(['ambiguous', 'not_found']),
    candidates: z.array(CrmCandidateSchema).max(20),
  }),
]);
export type CrmContactResolution = z.infer<typeof CrmContactResolutionSchema>;

/** One remote record this system created, written right after the CRM answered. */
export const CrmLedgerEntrySchema = z.object({
  tenantId: EntityIdSchema,
  meetingId: EntityIdSchema,
  connectionId: EntityIdSchema,
  /** `<meetingId>:note` or `<meetingId>:task:<n>` (n = the action item's index in the extraction). */
  externalId: ExternalIdSchema,
  kind: z.enum(['note', 'task']),
  remoteId: RemoteIdSchema,
  createdAt: z.iso.datetime(),
});
export type CrmLedgerEntry = z.infer<typeof CrmLedgerEntrySchema>;

export const CrmSyncStateSchema = z.enum(['synced', 'skipped', 'failed']);
export type CrmSyncState = z.infer<typeof CrmSyncStateSchema>;

/**
 * One connection's sync of one meeting, as the meeting's details show it: `synced` (remote ids), `skipped` (why:
 * contact not matched in a CRM that cannot hold an unlinked note, connection removed, nothing extracted) or
 * `failed` (why, and how many attempts so far). `contact` is encrypted at rest: candidates carry client names.
 */
export const CrmSyncStatusSchema = z.object({
  tenantId: EntityIdSchema,
  meetingId: EntityIdSchema,
  connectionId: EntityIdSchema,
  provider: CrmProviderNameSchema,
  status: CrmSyncStateSchema,
  contact: CrmContactResolutionSchema.optional(),
  note: z.object({ externalId: ExternalIdSchema, remoteId: RemoteIdSchema }).optional(),
  tasks: z.array(z.object({ externalId: ExternalIdSchema, remoteId: RemoteIdSchema })).max(200),
  /** Records the CRM could not take, and why (e.g. a CRM that has no unlinked notes). */
  notCreated: z.array(z.object({ externalId: ExternalIdSchema, reason: z.string().max(300) })).max(200),
  /** Why skipped or failed: provider, kind and status codes only, never client content. */
  reason: z.string().max(500).optional(),
  errorKind: z.string().max(50).optional(),
  /** Sync runs of this meeting on this connection (pipeline attempts and re-syncs). */
  attempts: z.number().int().nonnegative(),
  updatedAt: z.iso.datetime(),
});
export type CrmSyncStatus = z.infer<typeof CrmSyncStatusSchema>;

/** The external id of a meeting's note, and of the task made from its `index`th action item. */
export const noteExternalId = (meetingId: string) => `${meetingId}:note`;
export const taskExternalId = (meetingId: string, index: number) => `${meetingId}:task:${index}`;
