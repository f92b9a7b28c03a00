import { ARCHIVE_FAILURE_METRIC } from '../../../lib/pipeline-tasks';
import type { PipelineSignals } from '../../core/pipeline/ports';
import { emfCountLine } from '../../platform/logging/emf-count';
import type { Logger } from '../../platform/logging/logger';

/** The CloudWatch Embedded Metric Format line for one `ArchiveFailures` datum (value 1, Count, no dimensions). */
export function archiveFailureEmf(now: number): string {
  return emfCountLine(ARCHIVE_FAILURE_METRIC, now);
}

/** Error logs through the function's logger; EMF lines straight to stdout, where Lambda's agent reads them. */
export function createPipelineSignals(
  log: Logger,
  options: { now?: () => number; stdout?: (line: string) => void } = {},
): PipelineSignals {
  const now = options.now ?? Date.now;
  const stdout = options.stdout ?? ((line: string) => void process.stdout.write(`${line}\n`));
  return {
    complianceActionRequired: (message) => log.error(message),
    archiveFailure: () => stdout(archiveFailureEmf(now())),
  };
}
