import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { topology } from '../../functions/topology';
import { buildTestApp } from './app-fixture';

const { stateless } = buildTestApp();
const template = Template.fromStack(stateless);

describe('function schedules', () => {
  it('declares the Teams subscription renewal in the topology', () => {
    expect(topology.schedules.map((s) => [s.name, s.expression])).toContainEqual([
      'renew-teams-subscriptions',
      'rate(1 hour)',
    ]);
  });

  it('creates one EventBridge Scheduler schedule per topology schedule, invoking its function with retries', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', topology.schedules.length);
    const schedules = Object.values(
      template.findResources('AWS::Scheduler::Schedule', {
        Properties: { ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'UTC' },
      }),
    ) as { Properties: { Target: { Arn: unknown; RetryPolicy: unknown }; FlexibleTimeWindow: unknown } }[];
    expect(schedules).toHaveLength(1);
    const [schedule] = schedules;
    expect(JSON.stringify(schedule?.Properties.Target.Arn)).toContain('RenewTeamsSubscriptions');
    expect(schedule?.Properties.Target.RetryPolicy).toEqual({
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 2,
    });
    expect(schedule?.Properties.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
  });

  it('lets the scheduler role invoke only the renewal function', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: Match.arrayWith([
              { 'Fn::GetAtt': [Match.stringLikeRegexp('RenewTeamsSubscriptions'), 'Arn'] },
            ]),
          }),
        ]),
      },
    });
  });

  it('gives the renewal function the table and the keyring', () => {
    const fns = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) } },
    });
    const renewal = Object.entries(fns).find(([id]) => id.startsWith('RenewTeamsSubscriptions'));
    if (renewal === undefined) throw new Error('no renewal function');
    const variables = (renewal[1] as { Properties: { Environment: { Variables: Record<string, unknown> } } })
      .Properties.Environment.Variables;
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(['TABLE_NAME', 'KEYRING_SECRET_ID']));
  });
});
