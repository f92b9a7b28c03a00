import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { MeetingPipelineTask } from './meeting-pipeline';
import {
  bindPipelineTasks,
  PipelineWiringError,
  parsePipelineDefinition,
  placeholdersIn,
  readPipelineDefinitionText,
  taskStatesOf,
} from './pipeline-definition';
import { PLATFORM_INTAKE_DEFINITION_PATH } from './platform-intake-definition';

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
    const text = readPipelineDefinitionText(PLATFORM_INTAKE_DEFINITION_PATH);
    const bound = bindPipelineTasks(taskStatesOf(parsePipelineDefinition(text)), props.tasks);
    if (bound === undefined)
      throw new PipelineWiringError('PlatformIntake needs the function of every Task state');
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

    const name = `${Stack.of(this).stackName}-platform-intake`;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Execution role of ${name}: invokes its task functions only`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [...bound.values()].map(({ task }) => task.fn.functionArn),
      }),
    );
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(PLATFORM_INTAKE_DEFINITION_PATH),
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
        "A platform intake failed: a webhook meeting's transcript or recording could not be fetched (its meeting is failed with the reason). Read the execution history.",
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
