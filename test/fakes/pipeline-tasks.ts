import {
  type CrmConnectionRef,
  PIPELINE_TASK_CONTRACTS,
} from '../../functions/contracts/pipeline-task-contracts';
import { PIPELINE_TASK_STATES, type PipelineTaskState } from '../../functions/contracts/pipeline-tasks';
import type { TaskHandler } from '../../lib/local/pipeline-runner';
import type { TaskCallbacks } from '../../lib/local/task-token-registry';

/** How the fake transcription provider answers a submitted recording. */
export type FakeTranscription =
  /** The webhook calls back (SendTaskSuccess) just after the submission returns. */
  | 'callback'
  /** The webhook calls back before the submitting function has even returned. */
  | 'callback-during-submit'
  /** The provider reports failure through the webhook (SendTaskFailure). */
  | 'callback-failure'
  /** The callback is lost: only polling can finish the job. */
  | 'lost';

export interface FakePipelineOptions {
  transcription?: FakeTranscription;
  /** What successive polls report; the last one repeats. */
  pollStatuses?: readonly ('processing' | 'completed')[];
  /** Errors the first polls throw, in order, before `pollStatuses` answers. */
  pollErrors?: readonly (() => Error)[];
  /** Errors the first submissions throw, in order, before one submits. */
  transcribeErrors?: readonly (() => Error)[];
  /** How many calls fail before one succeeds (`Infinity`: every call fails). */
  extractFailures?: number;
  /** The error extraction throws when it fails. */
  extractError?: () => Error;
  archiveFailures?: number;
  connections?: readonly CrmConnectionRef[];
  /** Connections whose every sync fails. */
  failingConnections?: readonly string[];
  failingStates?: readonly PipelineTaskState[];
}

export interface FakeCall {
  state: PipelineTaskState;
  payload: unknown;
}

export interface FakePipelineTasks {
  handlers: Record<PipelineTaskState, TaskHandler>;
  /** Every call in order, retries included. */
  calls: FakeCall[];
  /** Payloads that broke their contract in `functions/contracts/pipeline-task-contracts.ts` (expected: none). */
  violations: string[];
  payloadsOf(state: PipelineTaskState): unknown[];
}

/** A named error, as a task handler would throw it (Lambda reports `name` as the error type). */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * In-memory pipeline task handlers for the local runner: each checks its payload against the task contract,
 * records the call and answers as configured. `callbacks` stands in for the transcription webhook's Step
 * Functions client.
 */
export function createFakePipelineTasks(
  callbacks: TaskCallbacks,
  options: FakePipelineOptions = {},
): FakePipelineTasks {
  const calls: FakeCall[] = [];
  const violations: string[] = [];
  let extractFailuresLeft = options.extractFailures ?? 0;
  let archiveFailuresLeft = options.archiveFailures ?? 0;
  let polls = 0;
  let pollErrorsThrown = 0;
  let transcribeErrorsThrown = 0;

  const behaviour: Record<PipelineTaskState, (payload: Record<string, unknown>) => Promise<unknown>> = {
    Transcribe: async ({ taskToken }) => {
      const failure = options.transcribeErrors?.[transcribeErrorsThrown];
      if (failure) {
        transcribeErrorsThrown += 1;
        throw failure();
      }
      const token = String(taskToken);
      const transcription = options.transcription ?? 'callback';
      if (transcription === 'callback-during-submit')
        await callbacks.sendTaskSuccess(token, { status: 'completed' });
      if (transcription === 'callback') {
        setTimeout(() => void callbacks.sendTaskSuccess(token, { status: 'completed' }), 1);
      }
      if (transcription === 'callback-failure') {
        setTimeout(
          () =>
            void callbacks.sendTaskFailure(
              token,
              'TranscriptionFailedError',
              'The audio file has no speech.',
            ),
          1,
        );
      }
      return { jobId: 'job-1' };
    },
    PollTranscription: async () => {
      const failure = options.pollErrors?.[pollErrorsThrown];
      if (failure) {
        pollErrorsThrown += 1;
        throw failure();
      }
      const statuses = options.pollStatuses ?? ['completed'];
      const status = statuses[Math.min(polls, statuses.length - 1)];
      polls += 1;
      return { status };
    },
    Extract: async () => {
      if (extractFailuresLeft > 0) {
        extractFailuresLeft -= 1;
        throw options.extractError?.() ?? namedError('ExtractionError', 'The model returned no tool call.');
      }
      return { extractionKey: 'extractions/t-1/m-1.json', extractor: 'offline' };
    },
    Save: async () => ({}),
    Archive: async () => {
      if (archiveFailuresLeft > 0) {
        archiveFailuresLeft -= 1;
        throw namedError('S3ServiceException', 'Service unavailable');
      }
      return { objectKey: 'meetings/t-1/2026/11/m-1.json' };
    },
    ArchiveFailed: async () => ({}),
    ListCrmConnections: async () => ({ connections: options.connections ?? [] }),
    SyncCrm: async ({ connection }) => {
      const { connectionId } = connection as CrmConnectionRef;
      if (options.failingConnections?.includes(connectionId)) {
        throw namedError('CrmProviderError', `${connectionId} answered 500`);
      }
      return { status: 'synced' };
    },
    MarkCompleted: async () => ({}),
    MarkFailed: async () => ({}),
  };

  const handlers = Object.fromEntries(
    PIPELINE_TASK_STATES.map((state) => [
      state,
      async (event: unknown) => {
        // Every Task state passes the execution's name for the function's logs; the task's own contract is the rest.
        const { executionName, ...payload } = event as Record<string, unknown>;
        if (typeof executionName !== 'string' || executionName === '') {
          violations.push(`${state}: the payload carries no executionName`);
        }
        calls.push({ state, payload });
        const parsed = PIPELINE_TASK_CONTRACTS[state].payload.safeParse(payload);
        if (!parsed.success) {
          violations.push(`${state}: ${parsed.error.message}`);
          throw namedError('ContractViolation', `${state} payload breaks its contract`);
        }
        if (options.failingStates?.includes(state)) throw namedError('FakeOutage', `${state} is down`);
        return behaviour[state](payload as Record<string, unknown>);
      },
    ]),
  ) as Record<PipelineTaskState, TaskHandler>;

  return {
    handlers,
    calls,
    violations,
    payloadsOf: (state) => calls.filter((call) => call.state === state).map((call) => call.payload),
  };
}
