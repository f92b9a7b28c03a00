import { platformRuntime } from '../composition/platform-runtime';
import { PLATFORM_INTAKE_TASK_CONTRACTS } from '../contracts/platform-intake-tasks';
import { failPlatformIntake } from '../core/platforms/fail-platform-intake';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `MarkIntakeFailed`: the meeting whose file could not be fetched becomes `failed` with the reason. */
export const handler = createTaskHandler({
  name: 'mark-intake-failed',
  payload: PLATFORM_INTAKE_TASK_CONTRACTS.MarkIntakeFailed.payload,
  deps: () => platformRuntime().failDeps,
  run: async (payload, deps, { log }) => {
    const result = await failPlatformIntake(payload, deps);
    log.info('platform intake failed', { error: payload.error.Error, ...result });
    return result;
  },
});
