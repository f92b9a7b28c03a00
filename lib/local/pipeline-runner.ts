import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import {
  parsePipelineDefinition,
  readPipelineDefinitionText,
  substitute,
  type TaskStateInfo,
  taskStatesOf,
} from '../pipeline-definition';
import { LocalHostError } from './errors';
import {
  asLambdaInvokeParameters,
  LambdaFunctionError,
  lambdaInvokeResult,
  throughJson,
} from './lambda-invoke';
import { ensurePromiseWithResolvers } from './promise-with-resolvers';
import { TaskFailure, TaskTokenRegistry } from './task-token-registry';

/** A pipeline task's function, in process: the payload the ASL builds in, the function's result out. */
export type TaskHandler = (payload: unknown) => Promise<unknown>;

/** One entry of the interpreter's execution history (state entered/exited/failed/retried/caught, branches, map iterations). */
export type ExecutionEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** One call of a task's function (a retry is another call). */
export interface TaskInvocation {
  state: string;
  outcome: 'succeeded' | 'failed' | 'timed_out';
  /** The state's error name when the call failed. */
  error?: string;
  durationMs: number;
}

export interface ExecutionOutcome {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  events: ExecutionEvent[];
  /** States entered, nested ones included: what Step Functions bills as state transitions. */
  stateTransitions: number;
  taskInvocations: TaskInvocation[];
}

export interface PipelineExecution {
  executionArn: string;
  /** The execution name: given to `startExecution`, or a random UUID. */
  executionId: string;
  /** Always resolves, whatever the execution's status. */
  done: Promise<ExecutionOutcome>;
}

export interface StartExecutionOptions {
  /** As on Step Functions: unique per runner; the same name and input while running returns the same execution. */
  name?: string;
}

export interface PipelineRunnerOptions {
  /** The function behind each Task state, by state name. Every Task state needs one, and only Task states may have one. */
  handlers: Readonly<Record<string, TaskHandler>>;
  /** Where SendTaskSuccess/SendTaskFailure arrive; default a new registry (`runner.taskTokens`). */
  taskTokens?: TaskTokenRegistry;
  /** The definition text; default `state-machines/meeting-pipeline.asl.json`. */
  definitionText?: string;
  /** The state machine's name in ARNs; default `smartad-local-meeting-pipeline`. */
  machineName?: string;
  region?: string;
  /** Milliseconds per Wait state, instead of its `Seconds` (tests, benchmarks). */
  waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Milliseconds per state (or per retrier) before a retry, instead of `IntervalSeconds` × `BackoffRate`. */
  retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  /** Milliseconds per Task state, instead of its `TimeoutSeconds`: a lost callback in a test takes milliseconds. */
  taskTimeoutOverrides?: Readonly<Record<string, number>>;
  /** Every history event as it happens, e.g. for progress lines. */
  onEvent?: (executionId: string, event: ExecutionEvent) => void;
}

export interface PipelineRunner {
  readonly stateMachineArn: string;
  /** SendTaskSuccess/SendTaskFailure for the tasks of this runner's executions. */
  readonly taskTokens: TaskTokenRegistry;
  startExecution(input: unknown, options?: StartExecutionOptions): PipelineExecution;
  /** Aborts running executions and waits for them to settle. */
  stop(): Promise<void>;
}

/** Step Functions' answer to a second StartExecution with a used name and different input (or a closed execution). */
export class ExecutionAlreadyExistsError extends Error {
  constructor(name: string) {
    super(`Execution "${name}" already exists`);
    this.name = 'ExecutionAlreadyExists';
  }
}

// What `$$.Task.Token` resolves to locally; the task swaps it for a fresh token per attempt, as Step Functions does.
const TASK_TOKEN_PLACEHOLDER = 'local-task-token-placeholder';
// A subset of the names Step Functions accepts (no whitespace, brackets, wildcards or punctuation it refuses).
const EXECUTION_NAME = /^[\w.@=+!'()-]{1,80}$/;
const LOCAL_ACCOUNT = '000000000000';

type LocalHandlers = NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'];

interface RunningExecution {
  handle: PipelineExecution;
  inputJson: string;
  lifecycle: { settled: boolean };
  abort: () => void;
}

/**
 * Runs `state-machines/meeting-pipeline.asl.json` in process with aws-local-stepfunctions — the file Step
 * Functions runs on AWS. Every Task state is bound to an in-process handler (a Task without one would make the
 * interpreter call real Lambda, so a missing handler is a start-up error), and the Lambda integration is
 * reproduced: results under `Payload`, thrown errors as the state's error with Lambda's error JSON as cause.
 *
 * `.waitForTaskToken` tasks get a fresh token, call their handler (which submits the job) and then wait for
 * `taskTokens.sendTaskSuccess`/`sendTaskFailure`, or fail with `States.Timeout` after the state's
 * `TimeoutSeconds` — the interpreter itself has no callbacks.
 */
export function createPipelineRunner(options: PipelineRunnerOptions): PipelineRunner {
  ensurePromiseWithResolvers();
  const region = options.region ?? 'us-east-1';
  const taskTokens = options.taskTokens ?? new TaskTokenRegistry();
  const text = options.definitionText ?? readPipelineDefinitionText();
  const tasks = taskStatesOf(parsePipelineDefinition(text));
  assertHandlersMatch(tasks, options.handlers);

  const functionArns = Object.fromEntries(
    tasks.map((task) => [
      task.substitution,
      `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:smartad-local-${task.name}`,
    ]),
  );
  const definition = parsePipelineDefinition(
    substitute(text, functionArns),
  ) as unknown as StateMachineDefinition;
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const machineName = options.machineName ?? 'smartad-local-meeting-pipeline';
  const stateMachineArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${machineName}`;
  const executions = new Map<string, RunningExecution>();

  const startExecution = (input: unknown, start: StartExecutionOptions = {}): PipelineExecution => {
    const name = start.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new Error(`"${name}" is not a valid execution name`);
    const inputJson = JSON.stringify(input ?? {});
    const existing = executions.get(name);
    if (existing !== undefined) {
      if (!existing.lifecycle.settled && existing.inputJson === inputJson) return existing.handle;
      throw new ExecutionAlreadyExistsError(name);
    }

    const executionArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT}:execution:${machineName}:${name}`;
    const invocations: TaskInvocation[] = [];
    const tokens = new Set<string>();
    const binding: TaskBinding = { executionId: name, taskTokens, tokens, invocations, options };
    const run = machine.run(JSON.parse(inputJson), {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          tasks.map((task) => [task.name, localTask(task, binding)] as const),
        ) as LocalHandlers,
        waitTimeOverrides: { ...options.waitTimeOverrides },
        retryIntervalOverrides: { ...options.retryIntervalOverrides },
      },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: stateMachineArn, Name: machineName },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });

    const events: ExecutionEvent[] = [];
    const lifecycle = { settled: false };
    const drained = (async () => {
      for await (const event of run.eventLogs) {
        events.push(event);
        options.onEvent?.(name, event);
      }
    })();
    const done = (async (): Promise<ExecutionOutcome> => {
      const ending = await settle(run.result);
      await drained;
      for (const token of tokens) taskTokens.close(token);
      lifecycle.settled = true;
      return {
        ...ending,
        events,
        stateTransitions: events.filter((event) => event.type === 'StateEntered').length,
        taskInvocations: invocations,
      };
    })();
    const handle: PipelineExecution = { executionArn, executionId: name, done };
    executions.set(name, { handle, inputJson, lifecycle, abort: run.abort });
    return handle;
  };

  return {
    stateMachineArn,
    taskTokens,
    startExecution,
    async stop() {
      const running = [...executions.values()].filter((execution) => !execution.lifecycle.settled);
      for (const execution of running) execution.abort();
      await Promise.all(running.map((execution) => execution.handle.done));
    },
  };
}

function assertHandlersMatch(
  tasks: readonly TaskStateInfo[],
  handlers: Readonly<Record<string, TaskHandler>>,
): void {
  const missing = tasks.filter((task) => typeof handlers[task.name] !== 'function').map((task) => task.name);
  if (missing.length > 0) {
    // Without a local handler the interpreter would invoke the ARN on real AWS Lambda.
    throw new LocalHostError(
      `The meeting pipeline has no local handler for Task state(s) ${missing.join(', ')}`,
    );
  }
  const taskNames = new Set(tasks.map((task) => task.name));
  const unknown = Object.keys(handlers).filter((name) => !taskNames.has(name));
  if (unknown.length > 0) {
    throw new LocalHostError(`Local pipeline handlers for unknown Task state(s): ${unknown.join(', ')}`);
  }
}

interface TaskBinding {
  executionId: string;
  taskTokens: TaskTokenRegistry;
  /** This execution's tokens, closed when it ends. */
  tokens: Set<string>;
  invocations: TaskInvocation[];
  options: PipelineRunnerOptions;
}

function localTask(task: TaskStateInfo, binding: TaskBinding): (input: unknown) => Promise<unknown> {
  const handler = binding.options.handlers[task.name] as TaskHandler;
  const timeoutOverride = binding.options.taskTimeoutOverrides?.[task.name];
  const record = (started: number, error?: Error) => {
    binding.invocations.push({
      state: task.name,
      outcome: error === undefined ? 'succeeded' : error.name === 'States.Timeout' ? 'timed_out' : 'failed',
      ...(error === undefined ? {} : { error: error.name }),
      durationMs: Date.now() - started,
    });
  };

  if (task.waitForTaskToken) {
    const timeoutMs = timeoutOverride ?? task.timeoutSeconds * 1000;
    return async (input) => {
      const started = Date.now();
      const { Payload } = asLambdaInvokeParameters(task.name, input);
      if ((Payload as { taskToken?: unknown } | null)?.taskToken !== TASK_TOKEN_PLACEHOLDER) {
        throw new Error(`Task state "${task.name}" must pass $$.Task.Token as Payload.taskToken`);
      }
      const { taskToken, outcome } = binding.taskTokens.issue(`${binding.executionId}:${task.name}`);
      binding.tokens.add(taskToken);
      // Started before the interpreter's own timer of the same length, so this one fires first and closes the token.
      const timer = setTimeout(() => binding.taskTokens.expire(taskToken, timeoutMs), timeoutMs);
      try {
        try {
          await handler(throughJson({ ...(Payload as object), taskToken }));
        } catch (error) {
          binding.taskTokens.close(taskToken);
          throw LambdaFunctionError.from(error);
        }
        const output = await outcome;
        record(started);
        return output;
      } catch (error) {
        record(started, error as Error);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    };
  }

  return async (input) => {
    const started = Date.now();
    const { Payload } = asLambdaInvokeParameters(task.name, input);
    try {
      const call = handler(throughJson(Payload)).then(lambdaInvokeResult, (error: unknown) => {
        throw LambdaFunctionError.from(error);
      });
      const result = await (timeoutOverride === undefined ? call : withTimeout(call, timeoutOverride));
      record(started);
      return result;
    } catch (error) {
      record(started, error as Error);
      throw error;
    }
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TaskFailure('States.Timeout', `Task timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function settle(
  result: Promise<unknown>,
): Promise<Pick<ExecutionOutcome, 'status' | 'output' | 'error' | 'cause'>> {
  try {
    return { status: 'SUCCEEDED', output: await result };
  } catch (error) {
    if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
    if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout' };
    const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
    if (failure instanceof Error) return { status: 'FAILED', error: failure.name, cause: failure.message };
    return { status: 'FAILED', error: 'Error', cause: String(failure) };
  }
}
