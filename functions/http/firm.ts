import type * as z from 'zod';
import { edgeDeps } from '../composition/edge-runtime';
import { firmRuntime } from '../composition/firm-runtime';
import type { Clock } from '../contracts/clock';
import {
  type EffectiveFirmSettings,
  effectiveFirmSettings,
  type FirmSettings,
  type FirmSettingsStore,
} from '../core/firm/firm-settings';
import { updateFirmSettings } from '../core/firm/update-firm-settings';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { type FirmSettingsViewSchema, firmRoutes } from './routes/firm-routes';

function toView(
  settings: EffectiveFirmSettings & Partial<FirmSettings>,
): z.input<typeof FirmSettingsViewSchema> {
  return {
    follow_up_disclaimer: settings.followUpDisclaimer,
    archive_includes_transcript: settings.archiveIncludesTranscript,
    offline_on_refusal: settings.offlineOnRefusal ?? false,
    is_default: settings.updatedAt === undefined,
    ...(settings.updatedBy ? { updated_by: settings.updatedBy } : {}),
    ...(settings.updatedAt ? { updated_at: settings.updatedAt } : {}),
  };
}

/** The firm's settings. Exported for tests, which pass their own deps. */
export function firmImplementations(deps: {
  firmSettings: FirmSettingsStore;
  clock: Clock;
}): RouteImplementations<typeof firmRoutes> {
  return {
    getFirmSettings: async ({ principal }) => ({
      body: toView(await effectiveFirmSettings(principal.tenantId, deps.firmSettings)),
    }),
    updateFirmSettings: async ({ principal, body, sourceIp }) => ({
      body: toView(
        await updateFirmSettings(
          {
            actor: principal,
            ip: sourceIp,
            ...(body.follow_up_disclaimer !== undefined
              ? { followUpDisclaimer: body.follow_up_disclaimer }
              : {}),
            ...(body.archive_includes_transcript !== undefined
              ? { archiveIncludesTranscript: body.archive_includes_transcript }
              : {}),
            ...(body.offline_on_refusal !== undefined ? { offlineOnRefusal: body.offline_on_refusal } : {}),
          },
          deps,
        ),
      ),
    }),
  };
}

export const handler = createHttpHandler('firm', firmRoutes, firmImplementations(firmRuntime()), edgeDeps());
