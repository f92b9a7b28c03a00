import { crmRuntime } from '../composition/crm-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { isRetryableCrmFailure } from '../core/crm/crm-failure-retryable';
import { CrmProviderNameSchema } from '../core/crm/crm-provider';
import { syncMeetingToCrm } from '../core/crm/sync-meeting-to-crm';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'sync-crm');
const deps = crmRuntime();
const contract = PIPELINE_TASK_CONTRACTS.SyncCrm;

/**
 * `SyncCrm`: one of the meeting owner's CRM connections — contact, note, one task per action item — recorded on
 * the meeting's sync status. A failure waiting cannot fix (credentials refused, request rejected) returns
 * `failed` at once; a CRM that is down or rate-limiting throws, so the state machine retries (3× from 60 s) and
 * the ledger makes every retry create only what is still missing.
 */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const input = {
    tenantId: payload.tenantId,
    meetingId: payload.meetingId,
    connectionId: payload.connection.connectionId,
    provider: CrmProviderNameSchema.parse(payload.connection.provider),
  };
  const where = { tenant: input.tenantId, meeting: input.meetingId, provider: input.provider };
  try {
    const status = await syncMeetingToCrm(input, deps);
    log.info('crm sync finished', {
      ...where,
      status: status.status,
      tasks: status.tasks.length,
      attempts: status.attempts,
    });
    return contract.result.parse({ status: status.status });
  } catch (error) {
    const retryable = isRetryableCrmFailure(error);
    log.warn('crm sync failed', { ...where, retryable, error: (error as Error).name });
    if (retryable) throw error;
    return contract.result.parse({ status: 'failed' });
  }
}
