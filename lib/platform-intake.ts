import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { MeetingPipelineTask } from './meeting-pipeline';
import { PLATFORM_INTAKE_DEFINITION_PATH } from './platform-intake-definition';
import { buildTaskStateMachine } from './task-state-machine';

export interface PlatformIntakeProps {
  /** Exactly one per Task state of `state-machines/platform-intake.asl.json`. */
  readonly tasks: readonly MeetingPipelineTask[];
}

/**
 * The platform intake on AWS: a STANDARD state machine (waits of up to ~2 h for a Teams transcript are Retry
 * intervals, billed per transition, not per second) whose definition is the ASL file the local host runs, each
 * `${<State>FunctionArn}` substituted with the topology's function. Logs ALL events with execution data: its
 * state holds tenant and meeting ids, platform names and error causes only (download URLs and tokens stay on the
 * encrypted intake item). One alarm: any failed execution (a webhook meeting whose file could not be fetched).
 */
export class PlatformIntake extends Construct {
  readonly stateMachine: StateMachine;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly executionsFailedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PlatformIntakeProps) {
    super(scope, id);
    const built = buildTaskStateMachine(this, {
      name: 'platform-intake',
      definitionPath: PLATFORM_INTAKE_DEFINITION_PATH,
      tasks: props.tasks,
      owner: 'PlatformIntake',
      failedAlarmDescription:
        "A platform intake failed: a webhook meeting's transcript or recording could not be fetched (its meeting is failed with the reason). Read the execution history.",
    });
    this.stateMachine = built.stateMachine;
    this.role = built.role;
    this.logGroup = built.logGroup;
    this.executionsFailedAlarm = built.executionsFailedAlarm;
  }
}
