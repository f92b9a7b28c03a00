import { randomUUID } from 'node:crypto';

/**
 * The callback half of a `.waitForTaskToken` task, shaped like the Step Functions API so one port serves both
 * hosts: on AWS an adapter over `SFNClient` (SendTaskSuccess/SendTaskFailure), on the laptop this registry.
 * The transcription webhook handler calls it when the provider reports back.
 */
export interface TaskCallbacks {
  /** `output` must serialise to JSON; it becomes the task's result. */
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void>;
}

/** The error names Step Functions answers SendTask* with, so callers handle both hosts alike. */
export type TaskTokenErrorName = 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut' | 'InvalidOutput';

export class TaskTokenError extends Error {
  constructor(name: TaskTokenErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** How a callback failure reaches the interpreter: `name` is the state's error, `message` its cause. */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

// Step Functions caps error names at 256 characters and causes at 32 768.
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

type Waiter = {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  state: 'waiting' | 'closed';
};

/**
 * In-process task tokens for the local pipeline runner. `issue` hands out a token and a promise of its outcome;
 * SendTaskSuccess/SendTaskFailure settle it, `expire` times it out. As on AWS, a token answers once: a second
 * or late callback gets `TaskTimedOut`, an unknown one `TaskDoesNotExist`.
 */
export class TaskTokenRegistry implements TaskCallbacks {
  private readonly waiters = new Map<string, Waiter>();

  /** A fresh token and the task's outcome. The promise is marked handled: an expiry nobody awaits is not an unhandled rejection. */
  issue(label: string): { taskToken: string; outcome: Promise<unknown> } {
    const taskToken = `local-task-token:${label}:${randomUUID()}`;
    let waiter: Waiter | undefined;
    const outcome = new Promise<unknown>((resolve, reject) => {
      waiter = { resolve, reject, state: 'waiting' };
    });
    outcome.catch(() => undefined);
    if (waiter === undefined) throw new Error('Promise executor did not run synchronously');
    this.waiters.set(taskToken, waiter);
    return { taskToken, outcome };
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    const waiter = this.open(taskToken);
    let json: string | undefined;
    try {
      json = JSON.stringify(output);
    } catch (error) {
      throw new TaskTokenError('InvalidOutput', `The output is not JSON: ${String(error)}`);
    }
    if (json === undefined) throw new TaskTokenError('InvalidOutput', 'The output is not JSON');
    waiter.state = 'closed';
    waiter.resolve(JSON.parse(json));
  }

  async sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    const waiter = this.open(taskToken);
    if ((error?.length ?? 0) > MAX_ERROR_LENGTH || (cause?.length ?? 0) > MAX_CAUSE_LENGTH) {
      throw new TaskTokenError('InvalidOutput', 'error or cause is longer than Step Functions accepts');
    }
    waiter.state = 'closed';
    // Without an error name Step Functions reports the task as States.TaskFailed; the same here.
    waiter.reject(new TaskFailure(error || 'States.TaskFailed', cause ?? ''));
  }

  /** Times the task out (its state's TimeoutSeconds passed): the waiting task fails with States.Timeout. */
  expire(taskToken: string, afterMs: number): void {
    const waiter = this.waiters.get(taskToken);
    if (waiter === undefined || waiter.state === 'closed') return;
    waiter.state = 'closed';
    waiter.reject(new TaskFailure('States.Timeout', `No task callback within ${afterMs} ms`));
  }

  /** Closes a token whose task ended another way (the submitting function threw, the execution was stopped). */
  close(taskToken: string): void {
    const waiter = this.waiters.get(taskToken);
    if (waiter !== undefined) waiter.state = 'closed';
  }

  /** Tokens still waiting for a callback. */
  pendingTokens(): string[] {
    return [...this.waiters].filter(([, waiter]) => waiter.state === 'waiting').map(([token]) => token);
  }

  private open(taskToken: string): Waiter {
    if (typeof taskToken !== 'string' || taskToken.trim() === '') {
      throw new TaskTokenError('InvalidToken', 'The task token is empty');
    }
    const waiter = this.waiters.get(taskToken);
    if (waiter === undefined) throw new TaskTokenError('TaskDoesNotExist', 'No task has this token');
    if (waiter.state === 'closed') {
      throw new TaskTokenError('TaskTimedOut', 'The task of this token has timed out or already closed');
    }
    return waiter;
  }
}
