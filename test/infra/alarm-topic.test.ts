import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readAppSettings } from '../../lib/app-settings';
import { buildTestApp } from './app-fixture';

describe('the alarm topic', () => {
  it('sends every alarm’s ALARM and OK transitions to one encrypted, TLS-only topic', () => {
    const { stateless } = buildTestApp();
    const template = Template.fromStack(stateless);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const [topicId, topic] = Object.entries(template.findResources('AWS::SNS::Topic'))[0] ?? [];
    expect(topic?.Properties.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('emails the on-call address given as context, and has no subscription without one', () => {
    const withEmail = Template.fromStack(
      buildTestApp({ settings: { alarmEmail: 'oncall@example.com' } }).stateless,
    );
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    Template.fromStack(buildTestApp().stateless).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('refuses an alarmEmail that is not an address at synth time, naming the key', () => {
    const app = new App({ context: { alarmEmail: 'on-call team' } });
    expect(() => readAppSettings(app.node)).toThrow(/alarmEmail/);
  });
});
