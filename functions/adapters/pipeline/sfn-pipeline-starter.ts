import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { PipelineStarter } from '../../core/meetings/ports';

/**
 * Starts the meeting pipeline on Step Functions. The execution is named after the meeting, so a second start
 * (a duplicate S3 event, a retried request) finds the first and does nothing: at most one execution per meeting.
 */
export function createSfnPipelineStarter(client: SFNClient, stateMachineArn: string): PipelineStarter {
  return {
    async start(input) {
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: `meeting-${input.meetingId}`,
            input: JSON.stringify(input),
          }),
        );
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) return;
        throw error;
      }
    },
  };
}
