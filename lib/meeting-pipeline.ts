import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ARCHIVE_FAILURE_METRIC, COMPLIANCE_ACTION_REQUIRED } from '../functions/contracts/pipeline-tasks';
import { PIPELINE_DEFINITION_PATH } from './pipeline-definition';
import { ALARM_PERIOD, buildTaskStateMachine, type StateMachineTask } from './task-state-machine';

/** The function behind one Task state of the definition. */
export type MeetingPipelineTask = StateMachineTask;

export interface MeetingPipelineProps {
  /** Exactly one per Task state of the definition. */
  readonly tasks: readonly MeetingPipelineTask[];
  /** Default `state-machines/meeting-pipeline.asl.json`, the file the local host runs too. */
  readonly definitionPath?: string;
}

/**
 * The meeting pipeline on AWS: a STANDARD state machine whose definition is the ASL file itself
 * (`DefinitionBody.fromFile`), each `${<State>FunctionArn}` substituted with the function the topology puts
 * behind that Task state. Refuses to synthesise when a Task state has no function, a function has no Task
 * state, or a function may outlive its state's `TimeoutSeconds`.
 *
 * Logs ALL events with execution data: the task contracts (`pipeline-task-contracts.ts`) keep state data to
 * tenant and meeting ids, statuses, pointers and error causes — no transcript, note or client name — so the
 * log holds nothing the firm must encrypt. X-Ray tracing is on. The role may invoke exactly the task functions.
 * Two alarms: any failed execution, and any `ArchiveFailures` datum (a meeting not in the WORM archive).
 */
export class MeetingPipeline extends Construct {
  readonly stateMachine: StateMachine;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly executionsFailedAlarm: Alarm;
  readonly archiveFailuresAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MeetingPipelineProps) {
    super(scope, id);
    const built = buildTaskStateMachine(this, {
      name: 'meeting-pipeline',
      definitionPath: props.definitionPath ?? PIPELINE_DEFINITION_PATH,
      tasks: props.tasks,
      owner: 'MeetingPipeline',
      failedAlarmDescription:
        'A meeting pipeline execution failed: its meeting is marked failed with a reason (MarkFailed), or could not be marked and is stuck in processing. Read the execution history.',
    });
    this.stateMachine = built.stateMachine;
    this.role = built.role;
    this.logGroup = built.logGroup;
    this.executionsFailedAlarm = built.executionsFailedAlarm;
    this.archiveFailuresAlarm = new Alarm(this, 'ArchiveFailuresAlarm', {
      alarmDescription: `${COMPLIANCE_ACTION_REQUIRED}: a meeting record is not in the WORM archive after every retry (archive_status failed). Archive it by hand; the ArchiveFailed log line names the meeting.`,
      metric: new Metric({ ...ARCHIVE_FAILURE_METRIC, period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
