import { registerLocalPlatformIntake } from '../../functions/adapters/pipeline/local-platform-intake-registry';
import { intakeExecutionName } from '../../functions/adapters/pipeline/sfn-platform-intake-starter';
import type { Topology } from '../../functions/topology';
import { readPlatformIntakeDefinitionText } from '../platform-intake-definition';
import type { LoadHandler } from './handler-loader';
import { createPipelineRunner, type ExecutionOutcome, type PipelineRunner } from './pipeline-runner';
import { loadPipelineTaskHandlers } from './pipeline-task-handlers';

/**
 * Plays Step Functions for the platform intake state machine, as `connectLocalPipeline` does for the meeting
 * pipeline: the same ASL file in-process, the topology's intake task modules behind its Task states, and the
 * webhooks' starter registered where `platform-runtime.ts` looks for it. Executions are named after the
 * meeting, so a redelivered webhook's second start is a no-op. `undefined` when the topology has no intake tasks.
 */
export async function connectLocalPlatformIntake(options: {
  topology: Topology;
  loadHandler: LoadHandler;
  region: string;
  /** Milliseconds per retrier instead of its `IntervalSeconds` (tests wait seconds, not hours). */
  retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  onExecutionDone?: (meetingId: string, outcome: ExecutionOutcome) => void;
}): Promise<PipelineRunner | undefined> {
  const tasks = options.topology.intakeTasks ?? [];
  if (tasks.length === 0) return undefined;
  const definitionText = readPlatformIntakeDefinitionText();
  const handlers = await loadPipelineTaskHandlers({ ...options, tasks, definitionText });
  if (!handlers) return undefined;
  const runner = createPipelineRunner({
    handlers,
    region: options.region,
    definitionText,
    machineName: 'smartad-local-platform-intake',
    ...(options.retryIntervalOverrides ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
  });
  registerLocalPlatformIntake({
    start: async (input) => {
      try {
        const execution = runner.startExecution(input, { name: intakeExecutionName(input.meetingId) });
        void execution.done.then((outcome) => options.onExecutionDone?.(input.meetingId, outcome));
      } catch (error) {
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      }
    },
  });
  return runner;
}
