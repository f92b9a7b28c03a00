import * as z from 'zod';
import { PIPELINE_TASK_STATES } from '../../functions/contracts/pipeline-tasks';
import { LocalHostError } from './errors';
import type { PipelineRunnerOptions } from './pipeline-runner';

export type PipelineTiming = Pick<
  PipelineRunnerOptions,
  'taskTimeoutOverrides' | 'waitTimeOverrides' | 'retryIntervalOverrides'
>;

const Milliseconds = z.coerce.number().int().min(0).max(3_600_000);

const TimingEnvSchema = z.object({
  /** The callback's wait (`Transcribe`'s `TimeoutSeconds`, an hour): a lost callback reaches the poll sooner. */
  SMARTAD_TRANSCRIBE_TIMEOUT_MS: Milliseconds.optional(),
  /** `WaitForTranscription` between polls (five minutes). */
  SMARTAD_TRANSCRIPTION_POLL_WAIT_MS: Milliseconds.optional(),
  /** Every task's wait before a retry (seconds to minutes in the definition). */
  SMARTAD_PIPELINE_RETRY_INTERVAL_MS: Milliseconds.optional(),
});

/**
 * The local host's pipeline waits, shortened from the environment for tests and demos: a lost callback, the
 * poll and the retries would otherwise take the definition's hours. Only the local runner reads these; the
 * deployed state machine always runs the ASL file's own values. Unset: the file's values.
 *
 * @throws LocalHostError naming a variable that is not a whole number of milliseconds (0–3600000).
 */
export function pipelineTimingFromEnv(env: Record<string, string | undefined>): PipelineTiming {
  const given = Object.fromEntries(
    Object.keys(TimingEnvSchema.shape)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const parsed = TimingEnvSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LocalHostError(
      `${String(issue?.path[0] ?? 'pipeline timing')}: must be a whole number of milliseconds from 0 to 3600000`,
    );
  }
  const t = parsed.data;
  return {
    ...(t.SMARTAD_TRANSCRIBE_TIMEOUT_MS === undefined
      ? {}
      : { taskTimeoutOverrides: { Transcribe: t.SMARTAD_TRANSCRIBE_TIMEOUT_MS } }),
    ...(t.SMARTAD_TRANSCRIPTION_POLL_WAIT_MS === undefined
      ? {}
      : { waitTimeOverrides: { WaitForTranscription: t.SMARTAD_TRANSCRIPTION_POLL_WAIT_MS } }),
    ...(t.SMARTAD_PIPELINE_RETRY_INTERVAL_MS === undefined
      ? {}
      : {
          retryIntervalOverrides: Object.fromEntries(
            PIPELINE_TASK_STATES.map((state) => [state, t.SMARTAD_PIPELINE_RETRY_INTERVAL_MS as number]),
          ),
        }),
  };
}
