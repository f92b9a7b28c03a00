import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  createSfnTaskCallbacks,
  hostTaskCallbacks,
  registerLocalTaskCallbacks,
  StaleTaskTokenError,
} from '../../../functions/adapters/pipeline/task-callbacks';
import { TaskTokenRegistry } from '../../../lib/local/task-token-registry';

function fakeSfn(answer: (command: unknown) => unknown) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      return answer(command);
    },
  } as unknown as SFNClient;
  return { client, sent };
}

const sfnError = (name: string) => Object.assign(new Error(`${name} from SFN`), { name });

describe('SFN task callbacks', () => {
  it('sends SendTaskSuccess with JSON output and SendTaskFailure with error and cause', async () => {
    const { client, sent } = fakeSfn(() => ({}));
    const callbacks = createSfnTaskCallbacks(client);
    await callbacks.sendTaskSuccess('tok', {});
    await callbacks.sendTaskFailure('tok', 'TranscriptionFailedError', 'no speech');
    expect(sent[0]).toBeInstanceOf(SendTaskSuccessCommand);
    expect((sent[0] as SendTaskSuccessCommand).input).toEqual({ taskToken: 'tok', output: '{}' });
    expect(sent[1]).toBeInstanceOf(SendTaskFailureCommand);
    expect((sent[1] as SendTaskFailureCommand).input).toEqual({
      taskToken: 'tok',
      error: 'TranscriptionFailedError',
      cause: 'no speech',
    });
  });

  it.each(['TaskDoesNotExist', 'InvalidToken', 'TaskTimedOut'])(
    'maps %s to StaleTaskTokenError',
    async (name) => {
      const { client } = fakeSfn(() => {
        throw sfnError(name);
      });
      await expect(createSfnTaskCallbacks(client).sendTaskSuccess('tok', {})).rejects.toMatchObject({
        constructor: StaleTaskTokenError,
        reason: name,
      });
    },
  );

  it('rethrows other errors as they are', async () => {
    const { client } = fakeSfn(() => {
      throw sfnError('ThrottlingException');
    });
    await expect(createSfnTaskCallbacks(client).sendTaskFailure('tok')).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  it('uses a registered local registry, with the same mapping, before Step Functions', async () => {
    const registry = new TaskTokenRegistry();
    registerLocalTaskCallbacks(registry);
    try {
      const { client, sent } = fakeSfn(() => ({}));
      const callbacks = hostTaskCallbacks(() => client);
      const { taskToken, outcome } = registry.issue('Transcribe');
      await callbacks.sendTaskSuccess(taskToken, {});
      await expect(outcome).resolves.toEqual({});
      await expect(callbacks.sendTaskSuccess(taskToken, {})).rejects.toBeInstanceOf(StaleTaskTokenError);
      expect(sent).toEqual([]);
    } finally {
      registerLocalTaskCallbacks(undefined);
    }
  });
});
