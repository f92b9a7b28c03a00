import type { Context } from 'aws-lambda';
import type { PipelineTask, Topology } from '../../functions/topology';
import {
  bindPipelineTasks,
  PipelineWiringError,
  parsePipelineDefinition,
  readPipelineDefinitionText,
  type TaskStateInfo,
  taskStatesOf,
} from '../pipeline-definition';
import { LocalHostError } from './errors';
import type { LoadHandler } from './handler-loader';
import { createLambdaContext } from './lambda-context';
import type { TaskHandler } from './pipeline-runner';

/** A pipeline task's Lambda handler: the ASL payload in, the task result out. */
type PipelineFunction = (event: unknown, context: Context) => Promise<unknown>;

/** What the loader needs of a task declaration (`PipelineTask` or `IntakeTask`). */
type TaskDeclaration = Pick<PipelineTask, 'name' | 'handler' | 'memoryMb' | 'timeoutSeconds'> & {
  state: string;
};

export interface PipelineTaskHandlerOptions {
  topology: Topology;
  /** The tasks to bind; default `topology.pipelineTasks` (the platform intake passes `topology.intakeTasks`). */
  tasks?: readonly TaskDeclaration[];
  /** The local host's loader: imports each module once, like a warm container. */
  loadHandler: LoadHandler;
  region: string;
  definitionText?: string;
}

/**
 * The pipeline runner's handlers, built from `topology.pipelineTasks`: each Task state's module is imported now
 * (a broken one fails start-up, not the first meeting) and called with a Lambda context carrying its function's
 * memory and timeout. `undefined` while the topology declares no pipeline task — the CDK app then creates no
 * state machine either; once some are declared, a Task state without one is a start-up error.
 */
export async function loadPipelineTaskHandlers(
  options: PipelineTaskHandlerOptions,
): Promise<Record<string, TaskHandler> | undefined> {
  const text = options.definitionText ?? readPipelineDefinitionText();
  let bound: Map<string, { info: TaskStateInfo; task: TaskDeclaration }> | undefined;
  try {
    bound = bindPipelineTasks(
      taskStatesOf(parsePipelineDefinition(text)),
      options.tasks ?? options.topology.pipelineTasks,
    );
  } catch (error) {
    if (error instanceof PipelineWiringError) throw new LocalHostError(error.message, { cause: error });
    throw error;
  }
  if (bound === undefined) return undefined;

  const handlers: Record<string, TaskHandler> = {};
  for (const [state, { task }] of bound) {
    // The loader is typed for HTTP handlers; a pipeline module exports the same `handler` name with its own event.
    const fn = (await options.loadHandler(task.handler)) as unknown as PipelineFunction;
    handlers[state] = (payload) =>
      fn(
        payload,
        createLambdaContext({
          name: task.name,
          memoryMb: task.memoryMb,
          timeoutSeconds: task.timeoutSeconds,
          region: options.region,
        }),
      );
  }
  return handlers;
}
