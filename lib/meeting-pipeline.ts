import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  bindPipelineTasks,
  PIPELINE_DEFINITION_PATH,
  PipelineWiringError,
  parsePipelineDefinition,
  placeholdersIn,
  readPipelineDefinitionText,
  taskStatesOf,
} from './pipeline-definition';
import { ARCHIVE_FAILURE_METRIC, COMPLIANCE_ACTION_REQUIRED } from './pipeline-tasks';

/** The function behind one Task state of the definition. */
export interface MeetingPipelineTask {
  /** The Task state's name in the ASL file. */
  readonly state: string;
  readonly fn: IFunction;
  /** The function's own timeout; it must be below the state's `TimeoutSeconds` so the function's fires first. */
  readonly timeoutSeconds: number;
}

export interface MeetingPipelineProps {
  /** Exactly one per Task state of the definition. */
  readonly tasks: readonly MeetingPipelineTask[];
  /** Default `state-machines/meeting-pipeline.asl.json`, the file the local host runs too. */
  readonly definitionPath?: string;
}

// Execution history is kept by Step Functions for 90 days; these logs serve incident work, like the functions'.
const LOG_RETENTION = RetentionDays.ONE_MONTH;
const ALARM_PERIOD = Duration.minutes(5);

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
    const definitionPath = props.definitionPath ?? PIPELINE_DEFINITION_PATH;
    const text = readPipelineDefinitionText(definitionPath);
    const bound = bindPipelineTasks(taskStatesOf(parsePipelineDefinition(text)), props.tasks);
    if (bound === undefined)
      throw new PipelineWiringError('MeetingPipeline needs the function of every Task state');
    for (const { info, task } of bound.values()) {
      if (task.timeoutSeconds >= info.timeoutSeconds) {
        throw new PipelineWiringError(
          `The function of "${info.name}" times out after ${task.timeoutSeconds} s, not before the state's TimeoutSeconds (${info.timeoutSeconds} s)`,
        );
      }
    }
    const substitutions = Object.fromEntries(
      [...bound.values()].map(({ info, task }) => [info.substitution, task.fn.functionArn]),
    );
    const unfilled = placeholdersIn(text).filter((name) => substitutions[name] === undefined);
    if (unfilled.length > 0) throw new PipelineWiringError(`No substitution for ${unfilled.join(', ')}`);

    const name = `${Stack.of(this).stackName}-meeting-pipeline`;
    this.logGroup = new LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps Step Functions' log delivery within the CloudWatch resource-policy size limit.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Execution role of ${name}: invokes its task functions only`,
    });
    // Unqualified ARNs only: the definition invokes $LATEST, so no `:*` for versions and aliases.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [...bound.values()].map(({ task }) => task.fn.functionArn),
      }),
    );
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(definitionPath),
      definitionSubstitutions: substitutions,
      role: this.role,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statements Step Functions needs for log delivery (logs:*LogDelivery*, resource policies) and X-Ray (xray:PutTraceSegments and friends); neither supports resource-level permissions. Lambda invocation is limited to the task functions.',
    });

    this.executionsFailedAlarm = new Alarm(this, 'ExecutionsFailedAlarm', {
      alarmDescription:
        'A meeting pipeline execution failed: its meeting is marked failed with a reason (MarkFailed), or could not be marked and is stuck in processing. Read the execution history.',
      metric: this.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
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
