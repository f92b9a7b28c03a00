import { crmRuntime } from '../composition/crm-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { isRetryableCrmFailure } from '../core/crm/crm-failure-retryable';
import { CrmProviderNameSchema } from '../core/crm/crm-provider';
import { syncMeetingToCrm } from '../core/crm/sync-meeting-to-crm';
import { createTaskHandler } from '../platform/handlers/task-handler';

/**
 * `SyncCrm`: one of the meeting owner's CRM connections — contact, note, one task per action item — recorded on
 * the meeting's sync status. A failure waiting cannot fix (credentials refused, request rejected) returns
 * `failed` at once; a CRM that is down or rate-limiting throws, so the state machine retries (3× from 60 s) and
 * the ledger makes every retry create only what is still missing.
 */
export const handler = createTaskHandler({
  name: 'sync-crm',
  ...PIPELINE_TASK_CONTRACTS.SyncCrm,
  deps: crmRuntime,
  run: async (payload, deps, { log }) => {
    const input = {
      tenantId: payload.tenantId,
      meetingId: payload.meetingId,
      connectionId: payload.connection.connectionId,
      provider: CrmProviderNameSchema.parse(payload.connection.provider),
    };
    const crmLog = log.child({ provider: input.provider });
    try {
      const status = await syncMeetingToCrm(input, deps);
      crmLog.info('crm sync finished', {
        status: status.status,
        tasks: status.tasks.length,
        attempts: status.attempts,
      });
      return { status: status.status };
    } catch (error) {
      const retryable = isRetryableCrmFailure(error);
      crmLog.warn('crm sync failed', { retryable, error: (error as Error).name });
      if (retryable) throw error;
      return { status: 'failed' as const };
    }
  },
});
