import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';

export interface FunctionScheduleProps {
  /** An EventBridge Scheduler expression: `rate(1 hour)`, `cron(…)`, `at(…)`. */
  readonly expression: string;
  /** IANA time zone name. */
  readonly timezone: string;
  readonly description: string;
  readonly target: IFunction;
}

/**
 * An EventBridge Scheduler schedule that invokes one function (the `aws-scheduler` L2), with a role of its own
 * that Scheduler assumes and that may invoke that function only. Two retries within an hour: the jobs it runs
 * are idempotent and the next run picks up whatever a failed one left.
 */
export class FunctionSchedule extends Construct {
  readonly schedule: Schedule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    this.schedule = new Schedule(this, 'Schedule', {
      description: props.description,
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timezone)),
      target: new LambdaInvoke(props.target, {
        role: this.role,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });
    const logicalId = Stack.of(this).getLogicalId(props.target.node.defaultChild as CfnFunction);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the one target function and its versions (grantInvoke adds `:*` for qualified ARNs); nothing else.',
    });
  }
}
