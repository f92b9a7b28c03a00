import { PIPELINE_TASK_CONTRACTS } from '../../lib/pipeline-task-contracts';
import { syncCrm } from '../core/pipeline/sync-crm';

const contract = PIPELINE_TASK_CONTRACTS.SyncCrm;

/**
 * `SyncCrm`: one connection's sync. No provider adapters exist yet, so this throws `CrmProviderUnavailableError`
 * naming the provider; unreachable while no connections exist. The CRM issue replaces it.
 */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  return contract.result.parse(await syncCrm(payload));
}
