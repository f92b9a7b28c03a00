import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  failureReasonOf,
  type PipelineInput,
  TaskErrorSchema,
} from '../../../functions/contracts/pipeline-task-contracts';
import {
  functionArnSubstitution,
  PIPELINE_TASK_STATES,
  type PipelineTaskState,
} from '../../../functions/contracts/pipeline-tasks';
import { NON_RETRYABLE_MODEL_ERRORS } from '../../../functions/integrations/anthropic/llm-errors';
import { createPipelineRunner, type ExecutionOutcome } from '../../../lib/local/pipeline-runner';
import { TaskTokenRegistry } from '../../../lib/local/task-token-registry';
import {
  type AslMachine,
  type AslRetrier,
  type AslState,
  parsePipelineDefinition,
  placeholdersIn,
  readPipelineDefinitionText,
  taskStatesOf,
} from '../../../lib/pipeline-definition';
import { createFakePipelineTasks, type FakePipelineOptions, namedError } from '../../fakes/pipeline-tasks';

const text = readPipelineDefinitionText();
const machine = parsePipelineDefinition(text);

/** Every state of the machine with its name, nested ones included, and the Parallel/Map states around it. */
function allStates(
  scope: AslMachine = machine,
  around: AslState[] = [],
): { name: string; state: AslState; around: AslState[] }[] {
  return Object.entries(scope.States).flatMap(([name, state]) => [
    { name, state, around },
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch, [...around, state])),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor, [...around, state]) : []),
  ]);
}

function stateNamed(name: string): AslState {
  const found = allStates().find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`no state ${name}`);
  return found.state;
}

/** What asl-validator does not check: a BackoffRate below 1 shrinks the wait instead of growing it. */
function retrierProblems(definition: AslMachine): string[] {
  return allStates(definition).flatMap(({ name, state }) =>
    (state.Retry ?? []).flatMap((retrier, index) => [
      ...((retrier.BackoffRate ?? 2) < 1
        ? [`${name}.Retry[${index}] BackoffRate ${retrier.BackoffRate} < 1`]
        : []),
      ...((retrier.IntervalSeconds ?? 1) < 1 ? [`${name}.Retry[${index}] IntervalSeconds < 1`] : []),
    ]),
  );
}

const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const TASK_FAILED_RETRY: AslRetrier = {
  ErrorEquals: ['States.TaskFailed'],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};
const LAST_LINE_RETRY: AslRetrier = { ...TASK_FAILED_RETRY, ErrorEquals: ['States.ALL'] };

/** The table (extraction 3× from 30 s; archive and each CRM branch 3× from 60 s) and the rest. */
const EXPECTED_RETRY: Record<PipelineTaskState, AslRetrier[]> = {
  Transcribe: [
    { ...TASK_FAILED_RETRY, ErrorEquals: LAMBDA_TRANSIENT },
    { ...TASK_FAILED_RETRY, ErrorEquals: ['TranscriptionProviderUnavailableError'], IntervalSeconds: 30 },
  ],
  PollTranscription: [
    {
      ErrorEquals: [
        'TranscriptionFailedError',
        'TranscriptionRejectedError',
        'TranscriptionUnavailableError',
        'MalformedTranscriptError',
      ],
      MaxAttempts: 0,
    },
    TASK_FAILED_RETRY,
  ],
  Extract: [
    {
      ErrorEquals: [
        'MalformedTranscriptError',
        'TranscriptTooLongError',
        'TokenBudgetExceededError',
        ...NON_RETRYABLE_MODEL_ERRORS,
      ],
      MaxAttempts: 0,
    },
    { ErrorEquals: ['ExtractionContinuesError'], IntervalSeconds: 1, MaxAttempts: 12, BackoffRate: 1 },
    { ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 },
  ],
  Save: [TASK_FAILED_RETRY],
  Archive: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 }],
  ArchiveFailed: [LAST_LINE_RETRY],
  ListCrmConnections: [TASK_FAILED_RETRY],
  SyncCrm: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 }],
  MarkCompleted: [TASK_FAILED_RETRY],
  MarkFailed: [LAST_LINE_RETRY],
};

/** Catch targets by state, in order; `[]` where the enclosing Parallel's Catch is the path. */
const EXPECTED_CATCH: Record<string, [string, string][]> = {
  Transcribe: [
    ['States.Timeout', 'StartPolling'],
    ['States.ALL', 'MarkFailed'],
  ],
  PollTranscription: [['States.ALL', 'MarkFailed']],
  Extract: [['States.ALL', 'MarkFailed']],
  Save: [['States.ALL', 'MarkFailed']],
  FanOut: [['States.ALL', 'MarkFailed']],
  Archive: [['States.ALL', 'ArchiveFailed']],
  ArchiveFailed: [],
  ListCrmConnections: [],
  SyncCrm: [['States.ALL', 'CrmBranchFailed']],
  MarkCompleted: [['States.ALL', 'MarkFailed']],
  MarkFailed: [['States.ALL', 'PipelineFailed']],
};

describe('the meeting pipeline definition', () => {
  it('is valid Amazon States Language, paths and ARNs included', () => {
    const { isValid, errorsText } = aslValidator(JSON.parse(text), { checkArn: true, checkPaths: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses JSONPath only: the local interpreter silently ignores JSONata', () => {
    expect(JSON.parse(text).QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toContain('{%');
    for (const { state } of allStates()) expect(state.QueryLanguage).toBeUndefined();
  });

  it('has exactly the Task states functions/contracts/pipeline-tasks.ts lists, each naming its function by placeholder', () => {
    expect(taskStatesOf(machine).map((task) => task.name)).toEqual([...PIPELINE_TASK_STATES]);
    expect(placeholdersIn(text).sort()).toEqual(PIPELINE_TASK_STATES.map(functionArnSubstitution).sort());
  });

  it('retries every task as the table says, with no BackoffRate below 1', () => {
    for (const state of PIPELINE_TASK_STATES) {
      expect({ state, retry: stateNamed(state).Retry }).toEqual({ state, retry: EXPECTED_RETRY[state] });
    }
    expect(retrierProblems(machine)).toEqual([]);
  });

  it('catches what asl-validator misses: a BackoffRate below 1', () => {
    const broken = JSON.parse(text.replace('"BackoffRate": 2', '"BackoffRate": 0.5'));
    expect(aslValidator(broken).isValid).toBe(true);
    expect(retrierProblems(broken)).toHaveLength(1);
  });

  it('sends every error to a named state, and every task has a Catch path to MarkFailed or an isolation state', () => {
    for (const [name, expected] of Object.entries(EXPECTED_CATCH)) {
      const catches = (stateNamed(name).Catch ?? []).map((c) => [c.ErrorEquals.join(','), c.Next]);
      expect({ name, catches }).toEqual({ name, catches: expected });
    }
    const catchesAll = (state: AslState, targets: string[]) =>
      (state.Catch ?? []).some((c) => c.ErrorEquals.includes('States.ALL') && targets.includes(c.Next));
    for (const { name, state, around } of allStates().filter((entry) => entry.state.Type === 'Task')) {
      const covered =
        catchesAll(state, ['MarkFailed', 'ArchiveFailed', 'CrmBranchFailed', 'PipelineFailed']) ||
        around.some((outer) => catchesAll(outer, ['MarkFailed']));
      expect({ name, covered }).toEqual({ name, covered: true });
    }
  });

  it('ends the archive and CRM branches successfully after their isolation states', () => {
    expect(stateNamed('ArchiveFailed').End).toBe(true);
    expect(stateNamed('CrmBranchFailed')).toMatchObject({ Type: 'Pass', End: true });
    expect(stateNamed('SyncCrmConnections')).toMatchObject({ Type: 'Map', MaxConcurrency: 5 });
  });

  it('keeps the input context: every result and caught error goes under its own path', () => {
    for (const { name, state } of allStates()) {
      if (['Task', 'Parallel', 'Map'].includes(state.Type)) {
        expect({ name, hasResultPath: 'ResultPath' in state }).toEqual({ name, hasResultPath: true });
        if (state.ResultPath !== null) expect(state.ResultPath).toMatch(/^\$\.\w+/);
      }
      for (const catcher of state.Catch ?? []) expect(catcher.ResultPath).toMatch(/^\$\.\w+$/);
    }
  });

  it('bounds every wait: the callback has a timeout and the fallback poll a limit', () => {
    expect(stateNamed('Transcribe')).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSeconds: 3600,
    });
    expect(JSON.stringify(stateNamed('CheckTranscription').Choices)).toContain('"NumericLessThan":11');
    for (const task of taskStatesOf(machine)) expect(task.timeoutSeconds).toBeGreaterThan(0);
  });
});

const MEETING = { tenantId: 't-1', meetingId: 'm-1' };
const AUDIO: PipelineInput = { ...MEETING, consentGiven: true, sourceKind: 'audio' };
const TRANSCRIPT: PipelineInput = { ...MEETING, consentGiven: true, sourceKind: 'transcript' };
const TWO_CONNECTIONS = [
  { connectionId: 'crm-a', provider: 'wealthbox' },
  { connectionId: 'crm-b', provider: 'redtail' },
];

/** Runs one execution with fake tasks, no real waits: retries, polls and the callback timeout take milliseconds. */
async function execute(input: unknown, options: FakePipelineOptions = {}) {
  const taskTokens = new TaskTokenRegistry();
  const fake = createFakePipelineTasks(taskTokens, options);
  const runner = createPipelineRunner({
    handlers: fake.handlers,
    taskTokens,
    waitTimeOverrides: { WaitForTranscription: 0 },
    retryIntervalOverrides: Object.fromEntries(PIPELINE_TASK_STATES.map((state) => [state, 0])),
    taskTimeoutOverrides: { Transcribe: 30 },
  });
  const outcome = await runner.startExecution(input).done;
  expect(fake.violations).toEqual([]);
  return { fake, outcome, states: fake.calls.map((call) => call.state), taskTokens };
}

const entered = (outcome: ExecutionOutcome) =>
  outcome.events.flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : []));

describe('meeting pipeline executions', () => {
  it('stops at AwaitingConsent without running or writing anything when consent is not given', async () => {
    for (const input of [
      { ...AUDIO, consentGiven: false },
      { tenantId: 't-1', meetingId: 'm-1' },
    ]) {
      const { outcome, states } = await execute(input);
      expect(outcome.status).toBe('SUCCEEDED');
      expect(states).toEqual([]);
      expect(entered(outcome)).toEqual(['CheckConsent', 'AwaitingConsent']);
    }
  });

  it('skips transcription for a transcript file', async () => {
    const { outcome, states, fake } = await execute(TRANSCRIPT);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states).toEqual(['Extract', 'Save', 'Archive', 'ListCrmConnections', 'MarkCompleted']);
    expect(fake.payloadsOf('Save')).toEqual([
      { ...MEETING, extraction: { extractionKey: 'extractions/t-1/m-1.json', extractor: 'offline' } },
    ]);
    expect(fake.payloadsOf('MarkCompleted')).toEqual([{ ...MEETING, archive: 'archived', crm: [] }]);
  });

  it('transcribes audio, resuming on the provider callback', async () => {
    const { outcome, states, fake, taskTokens } = await execute(AUDIO);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.slice(0, 3)).toEqual(['Transcribe', 'Extract', 'Save']);
    expect(states).not.toContain('PollTranscription');
    const [submitted] = fake.payloadsOf('Transcribe') as { taskToken: string }[];
    expect(submitted?.taskToken).toMatch(/^local-task-token:/);
    await expect(taskTokens.sendTaskSuccess(submitted?.taskToken ?? '', {})).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('accepts a callback that arrives before the submitting function returns', async () => {
    const { outcome, states } = await execute(AUDIO, { transcription: 'callback-during-submit' });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.slice(0, 2)).toEqual(['Transcribe', 'Extract']);
  });

  it('polls the provider when the callback never comes, then carries on', async () => {
    const { outcome, states, fake } = await execute(AUDIO, {
      transcription: 'lost',
      pollStatuses: ['processing', 'processing', 'completed'],
    });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.slice(0, 5)).toEqual([
      'Transcribe',
      'PollTranscription',
      'PollTranscription',
      'PollTranscription',
      'Extract',
    ]);
    expect(fake.payloadsOf('PollTranscription')).toEqual(
      [0, 1, 2].map((attempt) => ({ ...MEETING, attempt })),
    );
    expect(outcome.taskInvocations[0]).toMatchObject({
      state: 'Transcribe',
      outcome: 'timed_out',
      error: 'States.Timeout',
    });
    expect(entered(outcome)).toContain('WaitForTranscription');
  });

  it('fails the meeting with a reason when the provider never finishes', async () => {
    const { outcome, states, fake } = await execute(AUDIO, {
      transcription: 'lost',
      pollStatuses: ['processing'],
    });
    expect(states.filter((state) => state === 'PollTranscription')).toHaveLength(12);
    expect(states.at(-1)).toBe('MarkFailed');
    const [marked] = fake.payloadsOf('MarkFailed') as { error: unknown }[];
    const error = TaskErrorSchema.parse(marked?.error);
    expect(error.Error).toBe('TranscriptionNotCompleted');
    expect(failureReasonOf(error)).toMatch(/^Lost callback: .*after 12 more polls/);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'TranscriptionNotCompleted' });
  });

  it('fails the meeting with the provider reason when the callback reports failure, without resubmitting', async () => {
    const { outcome, states, fake } = await execute(AUDIO, { transcription: 'callback-failure' });
    expect(states).toEqual(['Transcribe', 'MarkFailed']);
    expect(fake.payloadsOf('MarkFailed')).toEqual([
      { ...MEETING, error: { Error: 'TranscriptionFailedError', Cause: 'The audio file has no speech.' } },
    ]);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'TranscriptionFailedError' });
  });

  it.each([
    ['TranscriptionFailedError', 'The audio file has no speech.'],
    ['TranscriptionRejectedError', 'Deepgram refused GET /v1/projects/p/requests/r: 403'],
    ['TranscriptionUnavailableError', 'DEEPGRAM_API_KEY is not set'],
    ['MalformedTranscriptError', "Deepgram response has no 'results'"],
  ])(
    'does not retry a poll that fails with %s: the meeting fails at once with the reason',
    async (name, reason) => {
      const { outcome, states, fake } = await execute(AUDIO, {
        transcription: 'lost',
        pollErrors: [() => namedError(name, reason)],
      });
      expect(states).toEqual(['Transcribe', 'PollTranscription', 'MarkFailed']);
      expect(outcome.events.filter((event) => event.type === 'StateRetried')).toHaveLength(0);
      const [marked] = fake.payloadsOf('MarkFailed') as { error: unknown }[];
      const error = TaskErrorSchema.parse(marked?.error);
      expect(error.Error).toBe(name);
      expect(failureReasonOf(error)).toBe(reason);
      expect(outcome).toMatchObject({ status: 'FAILED', error: name });
    },
  );

  it('retries a poll that fails transiently, then carries on', async () => {
    const { outcome, states } = await execute(AUDIO, {
      transcription: 'lost',
      pollErrors: [
        () => namedError('TranscriptionProviderUnavailableError', 'Deepgram answered 503 after 3 attempt(s)'),
        () => namedError('Error', 'socket hang up'),
      ],
    });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.slice(0, 5)).toEqual([
      'Transcribe',
      'PollTranscription',
      'PollTranscription',
      'PollTranscription',
      'Extract',
    ]);
  });

  it('submits again when the provider is unavailable, and fails at once when it refuses', async () => {
    const retried = await execute(AUDIO, {
      transcribeErrors: [() => namedError('TranscriptionProviderUnavailableError', 'Deepgram answered 500')],
    });
    expect(retried.outcome.status).toBe('SUCCEEDED');
    expect(retried.states.slice(0, 3)).toEqual(['Transcribe', 'Transcribe', 'Extract']);

    const refused = await execute(AUDIO, {
      transcribeErrors: [
        () => namedError('TranscriptionRejectedError', 'Deepgram refused POST /v1/listen: 401'),
      ],
    });
    expect(refused.states).toEqual(['Transcribe', 'MarkFailed']);
    expect(refused.outcome).toMatchObject({ status: 'FAILED', error: 'TranscriptionRejectedError' });
  });

  it('retries extraction after failures and succeeds on the third attempt', async () => {
    const { outcome, states } = await execute(TRANSCRIPT, { extractFailures: 2 });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.filter((state) => state === 'Extract')).toHaveLength(3);
    expect(outcome.events.filter((event) => event.type === 'StateRetried')).toHaveLength(2);
  });

  it('marks the meeting failed with the error message after the last extraction retry', async () => {
    const { outcome, states, fake } = await execute(TRANSCRIPT, {
      extractFailures: Number.POSITIVE_INFINITY,
    });
    expect(states).toEqual(['Extract', 'Extract', 'Extract', 'Extract', 'MarkFailed']);
    const [marked] = fake.payloadsOf('MarkFailed') as { error: unknown }[];
    const error = TaskErrorSchema.parse(marked?.error);
    expect(error.Error).toBe('ExtractionError');
    expect(failureReasonOf(error)).toBe('The model returned no tool call.');
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'ExtractionError' });
    expect(entered(outcome).slice(-2)).toEqual(['MarkFailed', 'PipelineFailed']);
  });

  it('does not retry a malformed transcript: the parser reason reaches the meeting at once', async () => {
    const { outcome, states, fake } = await execute(TRANSCRIPT, {
      extractFailures: 1,
      extractError: () => namedError('MalformedTranscriptError', 'line 14: cue timing is not HH:MM:SS.mmm'),
    });
    expect(states).toEqual(['Extract', 'MarkFailed']);
    const [marked] = fake.payloadsOf('MarkFailed') as { error: unknown }[];
    expect(failureReasonOf(TaskErrorSchema.parse(marked?.error))).toBe(
      'line 14: cue timing is not HH:MM:SS.mmm',
    );
    expect(outcome.status).toBe('FAILED');
  });

  it.each([
    ['ModelRefusalError', 'The model declined to produce the extraction (stop_reason refusal).'],
    ['OutputTruncatedError', 'Part 2 of 5 (utterances 300-420) hit max_tokens even after splitting 3 times.'],
    ['ModelSpendLimitError', 'The Anthropic spend limit is reached (enforced_spend_limit_reached).'],
    ['TokenBudgetExceededError', 'Extraction stopped: the next model call could use 30000 tokens.'],
    ['TranscriptTooLongError', 'The transcript has 400000 characters of speech.'],
  ])('does not retry a %s: the reason reaches the meeting at once', async (name, reason) => {
    const { states, fake } = await execute(TRANSCRIPT, {
      extractFailures: 1,
      extractError: () => namedError(name, reason),
    });
    expect(states).toEqual(['Extract', 'MarkFailed']);
    const [marked] = fake.payloadsOf('MarkFailed') as { error: unknown }[];
    expect(failureReasonOf(TaskErrorSchema.parse(marked?.error))).toBe(reason);
  });

  it('runs Extract again at once after an ExtractionContinuesError, beyond the three retries of a failure', async () => {
    const { outcome, states } = await execute(TRANSCRIPT, {
      extractFailures: 5,
      extractError: () => namedError('ExtractionContinuesError', 'Extraction paused after 2 parts.'),
    });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.filter((state) => state === 'Extract')).toHaveLength(6);
  });

  it('records an archive failure after four attempts and still completes the meeting', async () => {
    const { outcome, states, fake } = await execute(TRANSCRIPT, { archiveFailures: 4 });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.filter((state) => state === 'Archive')).toHaveLength(4);
    expect(fake.payloadsOf('ArchiveFailed')).toEqual([
      {
        ...MEETING,
        error: {
          Error: 'S3ServiceException',
          Cause: JSON.stringify({ errorType: 'S3ServiceException', errorMessage: 'Service unavailable' }),
        },
      },
    ]);
    expect(fake.payloadsOf('MarkCompleted')).toEqual([{ ...MEETING, archive: 'failed', crm: [] }]);
  });

  it('archives on the last retry without calling ArchiveFailed', async () => {
    const { outcome, states } = await execute(TRANSCRIPT, { archiveFailures: 3 });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states).not.toContain('ArchiveFailed');
  });

  it('finishes the CRM fan-out at once with no connections', async () => {
    const { outcome, states } = await execute(TRANSCRIPT, { connections: [] });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states).not.toContain('SyncCrm');
    expect(entered(outcome)).toContain('SyncCrmConnections');
  });

  it('isolates a failing CRM connection: the other syncs and the meeting completes', async () => {
    const { outcome, states, fake } = await execute(TRANSCRIPT, {
      connections: TWO_CONNECTIONS,
      failingConnections: ['crm-b'],
    });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(states.filter((state) => state === 'SyncCrm')).toHaveLength(5);
    expect(entered(outcome)).toContain('CrmBranchFailed');
    expect(fake.payloadsOf('MarkCompleted')).toEqual([
      {
        ...MEETING,
        archive: 'archived',
        crm: [
          { ...MEETING, connection: TWO_CONNECTIONS[0], outcome: { status: 'synced' } },
          {
            ...MEETING,
            connection: TWO_CONNECTIONS[1],
            outcome: {
              status: 'failed',
              error: 'CrmProviderError',
              cause: JSON.stringify({ errorType: 'CrmProviderError', errorMessage: 'crm-b answered 500' }),
            },
          },
        ],
      },
    ]);
  });

  it('fails the meeting when the pipeline is started with an unknown source kind', async () => {
    const { outcome, states } = await execute({ ...AUDIO, sourceKind: 'video' });
    expect(states).toEqual(['MarkFailed']);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'UnsupportedSourceKind' });
  });

  it('fails the meeting when the fan-out cannot record an outcome', async () => {
    const { outcome, states } = await execute(TRANSCRIPT, { failingStates: ['ListCrmConnections'] });
    expect(states.filter((state) => state === 'ListCrmConnections')).toHaveLength(4);
    expect(states.at(-1)).toBe('MarkFailed');
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'FakeOutage' });
  });

  it('still ends the execution FAILED when MarkFailed itself cannot write', async () => {
    const { outcome, states } = await execute(TRANSCRIPT, { failingStates: ['Save', 'MarkFailed'] });
    expect(states.filter((state) => state === 'MarkFailed')).toHaveLength(4);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'FakeOutage' });
    expect(entered(outcome).at(-1)).toBe('PipelineFailed');
  });

  it('takes at most 20 state transitions for a transcript meeting with two CRM connections', async () => {
    const { outcome } = await execute(TRANSCRIPT, { connections: TWO_CONNECTIONS });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.stateTransitions).toBe(11);
    expect(outcome.stateTransitions).toBeLessThanOrEqual(20);
    expect(outcome.taskInvocations.map((invocation) => invocation.state).sort()).toEqual(
      ['Archive', 'Extract', 'ListCrmConnections', 'MarkCompleted', 'Save', 'SyncCrm', 'SyncCrm'].sort(),
    );
  });
});
