import { registerLocalPipeline } from '../../functions/adapters/pipeline/local-pipeline-registry';
import type { Topology } from '../../functions/topology';
import type { LoadHandler } from './handler-loader';
import { createPipelineRunner, type ExecutionOutcome, type PipelineRunner } from './pipeline-runner';
import { loadPipelineTaskHandlers } from './pipeline-task-handlers';
import type { PipelineTiming } from './pipeline-timing';

/**
 * Plays Step Functions for the local host: the topology's pipeline task modules run the ASL file in-process,
 * and the meetings code finds the runner through the local pipeline registry (on AWS it finds
 * `PIPELINE_STATE_MACHINE_ARN` instead). Executions are named after the meeting, as on AWS, so a second start
 * of one meeting is a no-op. `undefined` while the topology declares no pipeline tasks.
 */
export async function connectLocalPipeline(options: {
  topology: Topology;
  loadHandler: LoadHandler;
  region: string;
  onExecutionFailed?: (meetingId: string, error: string | undefined, cause: string | undefined) => void;
  /** Every finished execution's outcome, whatever its status (benchmarks count transitions and task calls). */
  onExecutionDone?: (meetingId: string, outcome: ExecutionOutcome) => void;
  /** Shortened waits (tests, demos); the definition's own values when absent. */
  timing?: PipelineTiming;
}): Promise<PipelineRunner | undefined> {
  const handlers = await loadPipelineTaskHandlers(options);
  if (!handlers) return undefined;
  const runner = createPipelineRunner({ handlers, region: options.region, ...options.timing });
  registerLocalPipeline({
    start: async (input) => {
      try {
        const execution = runner.startExecution(input, { name: `meeting-${input.meetingId}` });
        void execution.done.then((outcome) => {
          options.onExecutionDone?.(input.meetingId, outcome);
          if (outcome.status !== 'SUCCEEDED')
            options.onExecutionFailed?.(input.meetingId, outcome.error, outcome.cause);
        });
      } catch (error) {
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      }
    },
  });
  return runner;
}
