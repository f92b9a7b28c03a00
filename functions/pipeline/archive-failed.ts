import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { recordArchiveFailure } from '../core/pipeline/record-archive-failure';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'archive-failed');
const deps = pipelineRuntime(log);
const contract = PIPELINE_TASK_CONTRACTS.ArchiveFailed;

/** `ArchiveFailed`: COMPLIANCE ACTION REQUIRED, the ArchiveFailures metric, `archive_status: failed`. */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  await recordArchiveFailure(payload, deps);
  return contract.result.parse({ archiveStatus: 'failed' });
}
