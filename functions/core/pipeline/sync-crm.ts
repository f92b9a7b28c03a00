import type { CrmConnectionRef } from '../../../lib/pipeline-task-contracts';
import { AppError } from '../../platform/errors';
import type { MeetingRef } from './ports';

/** No adapter exists for the connection's provider. */
export class CrmProviderUnavailableError extends AppError {
  constructor(provider: string) {
    super('crm_provider_unavailable', `No CRM provider adapter for '${provider}' is available yet.`);
  }
}

/**
 * The `SyncCrm` step. No provider adapters exist yet, and it is unreachable while no CRM connections exist
 * (`listCrmConnections` returns none); the CRM issue replaces this with the provider sync.
 */
export async function syncCrm(input: MeetingRef & { connection: CrmConnectionRef }): Promise<never> {
  throw new CrmProviderUnavailableError(input.connection.provider);
}
