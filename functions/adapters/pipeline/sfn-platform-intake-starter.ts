import type { SFNClient } from '@aws-sdk/client-sfn';
import type { PlatformIntakeStarter } from '../../core/platforms/ports';
import { startNamedExecution } from './start-named-execution';

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
    start: (input) =>
      startNamedExecution(client, stateMachineArn, intakeExecutionName(input.meetingId), input),
  };
}
