import type { TaskError } from '../../contracts/pipeline-task-contracts';
import { markFailed } from '../pipeline/finish-meeting';
import type { MeetingRef, PipelineDeps } from '../pipeline/ports';

/** The reason a meeting whose platform never produced its file fails with. */
export const ARTIFACT_NEVER_READY_REASON =
  'The meeting platform did not make the transcript or recording available within about 2 hours; upload the file instead.';

/**
 * The intake state machine's `MarkIntakeFailed` step: the meeting becomes `failed` with a reason its adviser can
 * act on. A file that was still not ready after the last retry, or a task that timed out, gets a sentence of its
 * own; any other error's message (the SSRF guard's refusal, the platform's answer) is the reason as it is.
 */
export async function failPlatformIntake(
  input: MeetingRef & { error: TaskError },
  deps: Pick<PipelineDeps, 'meetings' | 'clock'>,
): Promise<{ changed: boolean }> {
  const { Error: name } = input.error;
  if (name === 'PlatformArtifactNotReadyError') {
    return markFailed({ ...input, error: { Error: name, Cause: ARTIFACT_NEVER_READY_REASON } }, deps);
  }
  if (name === 'States.Timeout') {
    return markFailed(
      {
        ...input,
        error: { Error: name, Cause: 'Fetching the file from the meeting platform took too long.' },
      },
      deps,
    );
  }
  return markFailed(input, deps);
}
