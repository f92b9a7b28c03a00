import { platformFetchRuntime } from '../composition/platform-fetch-runtime';
import { PLATFORM_INTAKE_TASK_CONTRACTS } from '../contracts/platform-intake-tasks';
import { fetchPlatformArtifact } from '../core/platforms/fetch-platform-artifact';
import type { FetchArtifactDeps } from '../core/platforms/ports';
import { config } from '../platform/config/config';
import { UrlRefusedError } from '../platform/errors';
import { functionLogger } from '../platform/http/http-handler';
import type { Logger } from '../platform/logging/logger';

const contract = PLATFORM_INTAKE_TASK_CONTRACTS.FetchPlatformArtifact;

/**
 * `FetchPlatformArtifact`: the meeting's file from its platform into the uploads bucket. Exported for the local
 * host's tests, which pass deps whose downloads may reach a fake on loopback; the handler below never does.
 */
export function fetchPlatformArtifactTask(deps: FetchArtifactDeps, log: Logger) {
  return async (event: unknown) => {
    const payload = contract.payload.parse(event);
    const ref = { tenant: payload.tenantId, meeting: payload.meetingId, platform: payload.platform };
    try {
      const result = await fetchPlatformArtifact(payload, deps);
      log.info('platform artifact', { ...ref, ...result });
      if (result.outcome === 'stored' && result.meetingDetails?.outcome === 'unavailable') {
        // The file went ahead; the meeting keeps its placeholder title. A 403 means the app lacks the permission.
        log.warn('platform meeting details unavailable; the placeholder title stays', {
          ...ref,
          error: result.meetingDetails.error,
          status: result.meetingDetails.status,
        });
      }
      return contract.result.parse(result);
    } catch (error) {
      // The refused address stays in the log, never in the meeting's reason (it would map the network).
      if (error instanceof UrlRefusedError) {
        log.warn('platform artifact refused by the SSRF guard', {
          ...ref,
          reason: error.reason,
          url: error.url,
          address: error.address,
        });
      } else {
        log.warn('platform artifact not fetched', { ...ref, error: (error as Error).name });
      }
      throw error;
    }
  };
}

const log = functionLogger(config(), 'fetch-platform-artifact');
export const handler = fetchPlatformArtifactTask(platformFetchRuntime(), log);
