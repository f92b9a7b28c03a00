import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  PLATFORM_INTAKE_TASK_CONTRACTS,
  PLATFORM_INTAKE_TASK_STATES,
} from '../../../functions/contracts/platform-intake-tasks';
import { createPipelineRunner } from '../../../lib/local/pipeline-runner';
import { parsePipelineDefinition, taskStatesOf } from '../../../lib/pipeline-definition';
import { readPlatformIntakeDefinitionText } from '../../../lib/platform-intake-definition';
import { namedError } from '../../fakes/pipeline-tasks';

const text = readPlatformIntakeDefinitionText();
const machine = parsePipelineDefinition(text);
const INPUT = { tenantId: 'firm-a', meetingId: 'm-1', platform: 'teams' };

/** Runs the file with in-process tasks; retries wait 1 ms instead of minutes. */
function run(fetch: (attempt: number) => unknown) {
  let attempts = 0;
  const failed: unknown[] = [];
  const runner = createPipelineRunner({
    definitionText: text,
    machineName: 'intake-test',
    retryIntervalOverrides: { FetchPlatformArtifact: 1, MarkIntakeFailed: 1 },
    handlers: {
      FetchPlatformArtifact: async (payload) => {
        PLATFORM_INTAKE_TASK_CONTRACTS.FetchPlatformArtifact.payload.parse(payload);
        attempts += 1;
        return fetch(attempts);
      },
      MarkIntakeFailed: async (payload) => {
        failed.push(PLATFORM_INTAKE_TASK_CONTRACTS.MarkIntakeFailed.payload.parse(payload));
        return {};
      },
    },
  });
  const execution = runner.startExecution(INPUT, { name: 'intake-m-1' });
  return { done: execution.done, attempts: () => attempts, failed };
}

describe('state-machines/platform-intake.asl.json', () => {
  it('is valid ASL, JSONPath only, and its Task states are exactly the declared ones', () => {
    const { isValid, errorsText } = aslValidator(JSON.parse(text), { checkArn: true, checkPaths: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
    expect(JSON.parse(text).QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(taskStatesOf(machine).map((t) => t.name)).toEqual([...PLATFORM_INTAKE_TASK_STATES]);
  });

  it('waits about two hours in Step Functions (not in a Lambda) for a file that is not ready', () => {
    const retrier = machine.States.FetchPlatformArtifact?.Retry?.find((r) =>
      r.ErrorEquals.includes('PlatformArtifactNotReadyError'),
    ) as unknown as {
      IntervalSeconds: number;
      BackoffRate: number;
      MaxAttempts: number;
      MaxDelaySeconds: number;
    };
    let total = 0;
    for (let attempt = 0; attempt < retrier.MaxAttempts; attempt += 1) {
      total += Math.min(retrier.IntervalSeconds * retrier.BackoffRate ** attempt, retrier.MaxDelaySeconds);
    }
    expect(total).toBeGreaterThanOrEqual(105 * 60);
    expect(total).toBeLessThanOrEqual(130 * 60);
    // Each wait is a Retry interval: the task itself must finish well inside its own timeout.
    expect(machine.States.FetchPlatformArtifact?.TimeoutSeconds).toBeLessThanOrEqual(900);
  });

  it('succeeds once a file that was not ready becomes ready', async () => {
    const r = run((attempt) => {
      if (attempt < 4) throw namedError('PlatformArtifactNotReadyError', 'transcript not available yet');
      return { outcome: 'stored', kind: 'transcript', sizeBytes: 10 };
    });
    const outcome = await r.done;
    expect(outcome.status).toBe('SUCCEEDED');
    expect(r.attempts()).toBe(4);
    expect(r.failed).toEqual([]);
  });

  it('fails the meeting after the last retry when the file never becomes ready', async () => {
    const r = run(() => {
      throw namedError('PlatformArtifactNotReadyError', 'transcript not available yet');
    });
    const outcome = await r.done;
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('PlatformIntakeFailed');
    expect(r.attempts()).toBe(12);
    expect(r.failed).toMatchObject([
      { tenantId: 'firm-a', meetingId: 'm-1', error: { Error: 'PlatformArtifactNotReadyError' } },
    ]);
  });

  it('fails the meeting at once, without retrying, when the guard refuses the URL', async () => {
    const r = run(() => {
      throw namedError('UrlRefusedError', 'The URL names a private network address, which is never fetched.');
    });
    const outcome = await r.done;
    expect(outcome.status).toBe('FAILED');
    expect(r.attempts()).toBe(1);
    expect(JSON.stringify(r.failed)).toContain('private network address');
  });
});
