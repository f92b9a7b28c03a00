import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { StaleTaskTokenError } from '../../core/pipeline/errors';
import type { TaskCallbacks } from '../../core/pipeline/transcription-ports';

export { StaleTaskTokenError };

// Step Functions' answers (and the local registry's error names) for a token that can no longer be answered.
const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'InvalidToken', 'TaskTimedOut']);

/** Maps a stale-token error of either host to `StaleTaskTokenError`; anything else is rethrown as is. */
async function mapStale(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Error && STALE_TOKEN_ERRORS.has(error.name))
      throw new StaleTaskTokenError(error.name, error);
    throw error;
  }
}

// Step Functions caps error names at 256 characters and causes at 32 768.
const clip = (value: string | undefined, max: number) =>
  value === undefined || value.length <= max ? value : `${value.slice(0, max - 1)}…`;

/** SendTaskSuccess/SendTaskFailure on Step Functions. */
export function createSfnTaskCallbacks(client: SFNClient): TaskCallbacks {
  return {
    sendTaskSuccess: (taskToken, output) =>
      mapStale(() =>
        client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) })),
      ),
    sendTaskFailure: (taskToken, error, cause) =>
      mapStale(() =>
        client.send(
          new SendTaskFailureCommand({
            taskToken,
            ...(error !== undefined ? { error: clip(error, 256) } : {}),
            ...(cause !== undefined ? { cause: clip(cause, 32_768) } : {}),
          }),
        ),
      ),
  };
}

/** Another host's callbacks (the local runner's in-process registry), with the same stale-token mapping. */
export function withStaleTokenMapping(callbacks: TaskCallbacks): TaskCallbacks {
  return {
    sendTaskSuccess: (taskToken, output) => mapStale(() => callbacks.sendTaskSuccess(taskToken, output)),
    sendTaskFailure: (taskToken, error, cause) =>
      mapStale(() => callbacks.sendTaskFailure(taskToken, error, cause)),
  };
}

let registered: TaskCallbacks | undefined;

/**
 * On the laptop the local host registers its runner's task-token registry (`runner.taskTokens`) here; on AWS
 * nothing registers and Step Functions answers.
 */
export function registerLocalTaskCallbacks(callbacks: TaskCallbacks | undefined): void {
  registered = callbacks;
}

export function localTaskCallbacks(): TaskCallbacks | undefined {
  return registered;
}

/** The callbacks of this host, resolved at each call (the local host may register after handlers load). */
export function hostTaskCallbacks(sfn: () => SFNClient): TaskCallbacks {
  const current = () => {
    const local = localTaskCallbacks();
    return local ? withStaleTokenMapping(local) : createSfnTaskCallbacks(sfn());
  };
  return {
    sendTaskSuccess: (taskToken, output) => current().sendTaskSuccess(taskToken, output),
    sendTaskFailure: (taskToken, error, cause) => current().sendTaskFailure(taskToken, error, cause),
  };
}
