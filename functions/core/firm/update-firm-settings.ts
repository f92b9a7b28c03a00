import type { Clock } from '../../contracts/clock';
import type { Principal } from '../../contracts/principal';
import { ForbiddenError } from '../../platform/errors';
import { DEFAULT_FIRM_SETTINGS, type FirmSettings, type FirmSettingsStore } from './firm-settings';

export interface UpdateFirmSettingsInput {
  actor: Principal;
  ip: string;
  /** Each absent = unchanged. */
  followUpDisclaimer?: string;
  archiveIncludesTranscript?: boolean;
  offlineOnRefusal?: boolean;
}

/**
 * An admin changes the firm's settings. Applies to meetings processed from now on (a draft or an archive record
 * already made keeps what it was made with). Audited: which fields, and the archive choice (no free text).
 */
export async function updateFirmSettings(
  input: UpdateFirmSettingsInput,
  deps: { firmSettings: FirmSettingsStore; clock: Clock },
): Promise<FirmSettings> {
  if (input.actor.role !== 'admin') throw new ForbiddenError('Only an admin may change the firm’s settings.');
  const { tenantId } = input.actor;
  const current = await deps.firmSettings.get(tenantId);
  const next: FirmSettings = {
    tenantId,
    followUpDisclaimer:
      input.followUpDisclaimer ?? current?.followUpDisclaimer ?? DEFAULT_FIRM_SETTINGS.followUpDisclaimer,
    archiveIncludesTranscript:
      input.archiveIncludesTranscript ??
      current?.archiveIncludesTranscript ??
      DEFAULT_FIRM_SETTINGS.archiveIncludesTranscript,
    offlineOnRefusal: input.offlineOnRefusal ?? current?.offlineOnRefusal ?? false,
    updatedBy: input.actor.userId,
    updatedAt: new Date(deps.clock.now()).toISOString(),
  };
  const fields = [
    ...(input.followUpDisclaimer !== undefined ? ['follow_up_disclaimer'] : []),
    ...(input.archiveIncludesTranscript !== undefined ? ['archive_includes_transcript'] : []),
    ...(input.offlineOnRefusal !== undefined ? ['offline_on_refusal'] : []),
  ];
  await deps.firmSettings.put(next, current?.updatedAt ?? null, {
    action: 'firm.settings_changed',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'firm', id: tenantId },
    ip: input.ip,
    details: { fields: fields.join(','), archive_includes_transcript: next.archiveIncludesTranscript },
  });
  return next;
}
