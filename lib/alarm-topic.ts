import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';

export interface AlarmTopicProps {
  /** Who is told when an alarm fires (the on-call address); without it, subscribe a pager to the topic. */
  readonly email?: string;
}

/**
 * Where every alarm of the system goes: one SNS topic (TLS only, encrypted with its own key, which CloudWatch may
 * use to publish), optionally with an email subscription. An alarm without an action pages nobody — an archive
 * failure is a compliance event, so its alarm must reach a person.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new CustomerManagedKey(this, 'Key', { description: 'Smart Advisor OS: alarm notifications' });
    // CloudWatch publishes to an encrypted topic only if the key lets it (the AWS-managed SNS key does not).
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      masterKey: key,
      enforceSSL: true,
      displayName: 'Smart Advisor OS alarms',
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }

  /** Sends each alarm's ALARM and OK transitions to the topic. */
  notify(alarms: readonly (Alarm | undefined)[]): void {
    const action = new SnsAction(this.topic);
    for (const alarm of alarms) {
      if (!alarm) continue;
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
