import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './app-fixture';

const { stateful, stateless } = buildTestApp();
const statefulTemplate = Template.fromStack(stateful);
const statelessTemplate = Template.fromStack(stateless);

describe('upload trigger', () => {
  it('sends the uploads bucket’s events to EventBridge without a notifications custom resource', () => {
    statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    statefulTemplate.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  it('routes Object Created events under uploads/ to the upload-received function, with retries', () => {
    const rules = statelessTemplate.findResources('AWS::Events::Rule', {
      Properties: {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { object: { key: [{ prefix: 'uploads/' }] }, bucket: { name: Match.anyValue() } },
        },
      },
    });
    const [rule] = Object.values(rules) as {
      Properties: { Targets: { Arn: unknown; RetryPolicy?: unknown }[] };
    }[];
    expect(rule).toBeDefined();
    expect(rule?.Properties.Targets).toHaveLength(1);
    expect(JSON.stringify(rule?.Properties.Targets[0]?.Arn)).toContain('UploadReceived');
    expect(rule?.Properties.Targets[0]?.RetryPolicy).toEqual({ MaximumRetryAttempts: 8 });
  });

  it('lets EventBridge invoke only that function', () => {
    statelessTemplate.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('UploadReceived'), 'Arn'] },
    });
  });
});
