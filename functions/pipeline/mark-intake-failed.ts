import { platformRuntime } from '../composition/platform-runtime';
import { PLATFORM_INTAKE_TASK_CONTRACTS } from '../contracts/platform-intake-tasks';
import { failPlatformIntake } from '../core/platforms/fail-platform-intake';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'mark-intake-failed');
const deps = platformRuntime().failDeps;
const contract = PLATFORM_INTAKE_TASK_CONTRACTS.MarkIntakeFailed;

/** `MarkIntakeFailed`: the meeting whose file could not be fetched becomes `failed` with the reason. */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const result = await failPlatformIntake(payload, deps);
  log.info('platform intake failed', {
    tenant: payload.tenantId,
    meeting: payload.meetingId,
    error: payload.error.Error,
    ...result,
  });
  return result;
}
