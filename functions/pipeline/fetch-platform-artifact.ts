import { platformFetchRuntime } from '../composition/platform-fetch-runtime';
import { PLATFORM_INTAKE_TASK_CONTRACTS } from '../contracts/platform-intake-tasks';
import { fetchPlatformArtifact } from '../core/platforms/fetch-platform-artifact';
import type { FetchArtifactDeps } from '../core/platforms/ports';
import { UrlRefusedError } from '../platform/errors';
import { createTaskHandler } from '../platform/handlers/task-handler';
import type { Logger } from '../platform/logging/logger';

/**
 * `FetchPlatformArtifact`: the meeting's file from its platform into the uploads bucket. Exported for the local
 * host's tests, which pass deps whose downloads may reach a fake on loopback; the handler below never does.
 */
export function fetchPlatformArtifactTask(deps: FetchArtifactDeps, log?: Logger) {
  return createTaskHandler({
    name: 'fetch-platform-artifact',
    ...PLATFORM_INTAKE_TASK_CONTRACTS.FetchPlatformArtifact,
    deps: () => deps,
    ...(log ? { log } : {}),
    run: async (payload, deps, context) => {
      const log = context.log.child({ platform: payload.platform });
      try {
        const result = await fetchPlatformArtifact(payload, deps);
        log.info('platform artifact', result);
        if (result.outcome === 'stored' && result.meetingDetails?.outcome === 'unavailable') {
          // The file went ahead; the meeting keeps its placeholder title. A 403 means the app lacks the permission.
          log.warn('platform meeting details unavailable; the placeholder title stays', {
            error: result.meetingDetails.error,
            status: result.meetingDetails.status,
          });
        }
        return result;
      } catch (error) {
        // The refused address stays in the log, never in the meeting's reason (it would map the network).
        if (error instanceof UrlRefusedError) {
          log.warn('platform artifact refused by the SSRF guard', {
            reason: error.reason,
            url: error.url,
            address: error.address,
          });
        } else {
          log.warn('platform artifact not fetched', { error: (error as Error).name });
        }
        throw error;
      }
    },
  });
}

export const handler = fetchPlatformArtifactTask(platformFetchRuntime());
