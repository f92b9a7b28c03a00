import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { KEY_UNAVAILABLE_METRIC } from '../../functions/adapters/keyring/key-unavailable-signal';
import { buildTestApp } from './app-fixture';

describe('the encryption-key-unavailable alarm', () => {
  it('fires on the first EncryptionKeyUnavailable datum and notifies the alarm topic', () => {
    const { stateless } = buildTestApp();
    const template = Template.fromStack(stateless);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: KEY_UNAVAILABLE_METRIC.namespace,
      MetricName: 'EncryptionKeyUnavailable',
      Statistic: 'Sum',
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('encryption_key_unavailable'),
    });
    const [alarm] = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'EncryptionKeyUnavailable' },
      }),
    );
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(alarm?.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('gives the operator the keyring secret, table and buckets rotate-keys --aws needs as stack outputs', () => {
    const outputs = Template.fromStack(buildTestApp().stateful).findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['KeyringSecretArn', 'TableName', 'UploadsBucketName', 'ArchiveBucketName']),
    );
  });
});
