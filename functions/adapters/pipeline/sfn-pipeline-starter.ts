import type { SFNClient } from '@aws-sdk/client-sfn';
import type { PipelineStarter } from '../../core/meetings/ports';
import { startNamedExecution } from './start-named-execution';

/**
 * Starts the meeting pipeline on Step Functions. The execution is named after the meeting, so a second start
 * (a duplicate S3 event, a retried request) finds the first and does nothing: at most one execution per meeting.
 */
export function createSfnPipelineStarter(client: SFNClient, stateMachineArn: string): PipelineStarter {
  return {
    start: (input) => startNamedExecution(client, stateMachineArn, `meeting-${input.meetingId}`, input),
  };
}
