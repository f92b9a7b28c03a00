import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  KEY_UNAVAILABLE_EVENT,
  KEY_UNAVAILABLE_METRIC,
} from '../functions/adapters/keyring/key-unavailable-signal';
import { ALARM_PERIOD } from './task-state-machine';

/**
 * Fires on the first read of a ciphertext whose key is no longer in the keyring (the functions emit the
 * metric as an EMF line): client data is unreadable until the key is restored, so someone must act at once.
 */
export class KeyUnavailableAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription:
        `Stored client data could not be decrypted: its keyring key is gone (a key retired too early, or an old keyring version restored). ` +
        `The ${KEY_UNAVAILABLE_EVENT} log lines name the key id and the record; put the key back in the keyring secret (an earlier secret version holds it).`,
      metric: new Metric({ ...KEY_UNAVAILABLE_METRIC, period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
