import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { PlatformIntakeStarter } from '../../core/platforms/ports';

/** The intake execution of a meeting: one per meeting, so a redelivered webhook's start finds the first. */
export function intakeExecutionName(meetingId: string): string {
  return `intake-${meetingId}`;
}

/** Starts `state-machines/platform-intake.asl.json` on Step Functions, named after the meeting (idempotent). */
export function createSfnPlatformIntakeStarter(
  client: SFNClient,
  stateMachineArn: string,
): PlatformIntakeStarter {
  return {
    async start(input) {
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: intakeExecutionName(input.meetingId),
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
