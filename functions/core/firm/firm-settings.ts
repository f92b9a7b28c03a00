import * as z from 'zod';
import type { AuditEntry } from '../audit/audit-entry';
import { EntityIdSchema } from '../identity/user';

/** Until a firm writes its own: every follow-up draft must still carry one. */
export const DEFAULT_FOLLOW_UP_DISCLAIMER =
  'This email was drafted from meeting notes and must be reviewed by your adviser before it is sent. It is not investment advice.';

/**
 * What a firm decides for all its meetings: the disclaimer every follow-up email draft carries verbatim, and
 * whether the WORM archive record of a meeting includes its transcript (off by default: the archive keeps the
 * record of advice, and a transcript is the most sensitive thing the system holds).
 */
export const FirmSettingsSchema = z.object({
  tenantId: EntityIdSchema,
  followUpDisclaimer: z.string().max(2000),
  archiveIncludesTranscript: z.boolean(),
  /**
   * When Claude declines to extract a meeting (`stop_reason: refusal`), keep the offline extractor's result,
   * labelled as such, instead of failing the meeting. Off by default; absent on settings saved before it existed.
   */
  offlineOnRefusal: z.boolean().optional(),
  updatedBy: EntityIdSchema,
  updatedAt: z.iso.datetime(),
});
export type FirmSettings = z.infer<typeof FirmSettingsSchema>;

export type EffectiveFirmSettings = Pick<
  FirmSettings,
  'followUpDisclaimer' | 'archiveIncludesTranscript' | 'offlineOnRefusal'
>;

export const DEFAULT_FIRM_SETTINGS: EffectiveFirmSettings = {
  followUpDisclaimer: DEFAULT_FOLLOW_UP_DISCLAIMER,
  archiveIncludesTranscript: false,
  offlineOnRefusal: false,
};

/** The firm's settings, one item per firm. */
export interface FirmSettingsStore {
  get(tenantId: string): Promise<FirmSettings | undefined>;
  /** `previousUpdatedAt`: the revision the caller read, `null` if none; a concurrent change is a `ConflictError`. */
  /** `audit`: recorded with the change, in the same write. */
  put(settings: FirmSettings, previousUpdatedAt: string | null, audit: AuditEntry): Promise<void>;
}

/** The settings in force: the firm's own, else the defaults. */
export async function effectiveFirmSettings(
  tenantId: string,
  store: Pick<FirmSettingsStore, 'get'>,
): Promise<EffectiveFirmSettings & { updatedBy?: string; updatedAt?: string }> {
  return (await store.get(tenantId)) ?? DEFAULT_FIRM_SETTINGS;
}
