import { describe, expect, it } from 'vitest';
import { PIPELINE_TASK_STATES } from '../../../functions/contracts/pipeline-tasks';
import { LocalHostError } from '../../../lib/local/errors';
import { pipelineTimingFromEnv } from '../../../lib/local/pipeline-timing';

describe('pipelineTimingFromEnv', () => {
  it("keeps the definition's own waits when nothing is set (empty counts as unset)", () => {
    expect(pipelineTimingFromEnv({})).toEqual({});
    expect(pipelineTimingFromEnv({ SMARTAD_TRANSCRIBE_TIMEOUT_MS: '' })).toEqual({});
  });

  it('shortens the callback timeout, the poll wait and every retry interval', () => {
    const timing = pipelineTimingFromEnv({
      SMARTAD_TRANSCRIBE_TIMEOUT_MS: '3000',
      SMARTAD_TRANSCRIPTION_POLL_WAIT_MS: '200',
      SMARTAD_PIPELINE_RETRY_INTERVAL_MS: '0',
    });
    expect(timing.taskTimeoutOverrides).toEqual({ Transcribe: 3000 });
    expect(timing.waitTimeOverrides).toEqual({ WaitForTranscription: 200 });
    expect(Object.keys(timing.retryIntervalOverrides ?? {})).toEqual([...PIPELINE_TASK_STATES]);
    expect(new Set(Object.values(timing.retryIntervalOverrides ?? {}))).toEqual(new Set([0]));
  });

  it.each(['soon', '-1', '1.5', '3600001'])('refuses %s, naming the variable', (value) => {
    expect(() => pipelineTimingFromEnv({ SMARTAD_TRANSCRIPTION_POLL_WAIT_MS: value })).toThrow(
      LocalHostError,
    );
    expect(() => pipelineTimingFromEnv({ SMARTAD_TRANSCRIPTION_POLL_WAIT_MS: value })).toThrow(
      /^SMARTAD_TRANSCRIPTION_POLL_WAIT_MS: must be a whole number of milliseconds/,
    );
  });
});
