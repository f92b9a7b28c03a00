import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  bindPipelineTasks,
  PipelineWiringError,
  parsePipelineDefinition,
  placeholdersIn,
  readPipelineDefinitionText,
  taskStatesOf,
} from './pipeline-definition';

/** The function behind one Task state of an ASL file. */
export interface StateMachineTask {
  readonly state: string;
  readonly fn: IFunction;
  /** The function's own timeout, which must be below the state's `TimeoutSeconds`. */
  readonly timeoutSeconds: number;
}

export interface TaskStateMachineProps {
  /** Suffix of the state machine's name (`<stack>-<name>`) and its log group. */
  readonly name: string;
  readonly definitionPath: string;
  readonly tasks: readonly StateMachineTask[];
  /** Who needs every Task state's function (for the wiring error). */
  readonly owner: string;
  /** What a failed execution means and what the on-call does about it. */
  readonly failedAlarmDescription: string;
}

export const ALARM_PERIOD = Duration.minutes(5);

/**
 * A STANDARD state machine from an ASL file, the one both hosts run: every `${<State>FunctionArn}` substituted
 * with its task function (each must time out before its state does), a role that may invoke exactly those,
 * ALL events with execution data logged to its own group, X-Ray tracing, and an alarm on any failed execution.
 * Built into `scope` directly, so the callers' construct ids (and logical ids) are theirs.
 */
export function buildTaskStateMachine(scope: Construct, props: TaskStateMachineProps) {
  const text = readPipelineDefinitionText(props.definitionPath);
  const bound = bindPipelineTasks(taskStatesOf(parsePipelineDefinition(text)), props.tasks);
  if (bound === undefined)
    throw new PipelineWiringError(`${props.owner} needs the function of every Task state`);
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

  const name = `${Stack.of(scope).stackName}-${props.name}`;
  const logGroup = new LogGroup(scope, 'Logs', {
    // The vendedlogs prefix keeps Step Functions' log delivery within the CloudWatch resource-policy size limit.
    logGroupName: `/aws/vendedlogs/states/${name}`,
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('states.amazonaws.com'),
    description: `Execution role of ${name}: invokes its task functions only`,
  });
  // Unqualified ARNs only: the definition invokes $LATEST, so no `:*` for versions and aliases.
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: [...bound.values()].map(({ task }) => task.fn.functionArn),
    }),
  );
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    stateMachineName: name,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromFile(props.definitionPath),
    definitionSubstitutions: substitutions,
    role,
    tracingEnabled: true,
    logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only the statements Step Functions needs for log delivery (logs:*LogDelivery*, resource policies) and X-Ray (xray:PutTraceSegments and friends); neither supports resource-level permissions. Lambda invocation is limited to the task functions.',
  });
  const executionsFailedAlarm = new Alarm(scope, 'ExecutionsFailedAlarm', {
    alarmDescription: props.failedAlarmDescription,
    metric: stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { stateMachine, role, logGroup, executionsFailedAlarm };
}
