import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';

export interface TableStreamTriggerProps {
  readonly table: ITable;
  /** Only items inserted under this sort-key prefix invoke the function (filtered before invocation). */
  readonly insertedSortKeyPrefix: string;
  readonly target: IFunction;
}

/**
 * Invokes a function with the table stream's records of items inserted under a sort-key prefix. One batch per
 * shard at a time (parallelization 1), so records of one partition reach the function in order, by one
 * invocation at a time: that is what makes the audit chain writer the firm's only writer. Failed batches are
 * retried until their records age out; the function's work is idempotent, and an alarm fires when it errs or
 * falls behind.
 */
export class TableStreamTrigger extends Construct {
  readonly errorsAlarm: Alarm;
  readonly iteratorAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TableStreamTriggerProps) {
    super(scope, id);
    props.target.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        parallelizationFactor: 1,
        retryAttempts: 50,
        maxRecordAge: Duration.hours(24),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { sk: { S: FilterRule.beginsWith(props.insertedSortKeyPrefix) } } },
          }),
        ],
      }),
    );
    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: 'The audit chain writer failed: recorded events are waiting to be chained',
      metric: props.target.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.iteratorAgeAlarm = new Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: 'The audit chain writer is more than 5 minutes behind the table stream',
      metric: props.target.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: 5 * 60 * 1000,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
