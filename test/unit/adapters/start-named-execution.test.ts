import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { createSfnPipelineStarter } from '../../../functions/adapters/pipeline/sfn-pipeline-starter';
import { createSfnPlatformIntakeStarter } from '../../../functions/adapters/pipeline/sfn-platform-intake-starter';

/** A client that records each StartExecution and answers with `outcome`. */
function fakeClient(outcome: () => unknown) {
  const sent: StartExecutionCommand[] = [];
  const client = {
    send: async (command: StartExecutionCommand) => {
      sent.push(command);
      const result = outcome();
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as SFNClient;
  return { client, sent };
}

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:x';
const alreadyExists = () => new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });

describe('named Step Functions starts', () => {
  it('name the pipeline after the meeting and pass the input as JSON', async () => {
    const { client, sent } = fakeClient(() => ({}));
    const input = {
      tenantId: 't-1',
      meetingId: 'm-1',
      consentGiven: true,
      sourceKind: 'transcript' as const,
    };
    await createSfnPipelineStarter(client, ARN).start(input);
    expect(sent[0]).toBeInstanceOf(StartExecutionCommand);
    expect(sent[0]?.input).toEqual({
      stateMachineArn: ARN,
      name: 'meeting-m-1',
      input: JSON.stringify(input),
    });
  });

  it('treat a second start of the same name as done (a duplicate event), for both state machines', async () => {
    const { client } = fakeClient(alreadyExists);
    await expect(
      createSfnPipelineStarter(client, ARN).start({
        tenantId: 't-1',
        meetingId: 'm-1',
        consentGiven: true,
        sourceKind: 'audio',
      }),
    ).resolves.toBeUndefined();
    const intake = fakeClient(alreadyExists);
    await expect(
      createSfnPlatformIntakeStarter(intake.client, ARN).start({
        tenantId: 't-1',
        meetingId: 'm-2',
      } as never),
    ).resolves.toBeUndefined();
    expect(intake.sent[0]?.input.name).toBe('intake-m-2');
  });

  it('let any other failure through', async () => {
    const { client } = fakeClient(() => new Error('throttled'));
    await expect(
      createSfnPipelineStarter(client, ARN).start({
        tenantId: 't-1',
        meetingId: 'm-1',
        consentGiven: true,
        sourceKind: 'audio',
      }),
    ).rejects.toThrow('throttled');
  });
});
