import { Duration, TimeZone } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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
 * An EventBridge Scheduler schedule that invokes one function (the `aws-scheduler` L2: the target creates the
 * role Scheduler assumes, allowed to invoke this function only). Two retries within an hour: the jobs it runs
 * are idempotent and the next run picks up whatever a failed one left.
 */
export class FunctionSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Schedule', {
      description: props.description,
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timezone)),
      target: new LambdaInvoke(props.target, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
    });
  }
}
