import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, topologyWithEveryGrant } from './app-fixture';

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe.each([
  ['the app', () => buildTestApp()],
  ['the app with every grant combination', () => buildTestApp({ topology: topologyWithEveryGrant() })],
])('cdk-nag AwsSolutions on %s', (_name, build) => {
  let built: ReturnType<typeof buildTestApp>;

  beforeAll(() => {
    built = build();
    // Synthesis runs the registered plugin and throws on any unacknowledged error.
    built.app.synth();
  });

  it('reports no unacknowledged errors or warnings', () => {
    // cdk-nag 3 reports through the validation-plugin API, not annotations: ask the pack directly.
    const report = new AwsSolutionsChecks().validateScope(built.app);
    expect(
      report.violations.map(
        (v) =>
          `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    for (const stack of [built.stateful, built.stateless]) {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
        [],
      );
      expect(
        Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
  });

  it('gives every acknowledgement a full rule id and a specific reason', () => {
    const acks = acknowledgements(built.app);
    expect(new Set(acks.map((a) => a.id))).toEqual(
      new Set([
        'AwsSolutions-S1',
        'AwsSolutions-SMG4',
        'AwsSolutions-APIG4',
        'AwsSolutions-IAM5[Resource::*]',
        // Meeting uploads are presigned by the meetings function: object-level PutObject on generated keys.
        'AwsSolutions-IAM5[Resource::SmartadStateful-UploadsBucketArn/*]',
        // The archive task writes one generated key per meeting (meetings/{tenant}/{yyyy}/{mm}/{id}.json).
        'AwsSolutions-IAM5[Resource::SmartadStateful-ArchiveBucketArn/*]',
        // EventBridge Scheduler may invoke the renewal function and its versions (`:*`), nothing else.
        'AwsSolutions-IAM5[Resource::<RenewTeamsSubscriptionsFunctionD552AF4C.Arn>:*]',
      ]),
    );
    for (const ack of acks) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[[A-Za-z]+::.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}: "${ack.reason}"`).toBeGreaterThanOrEqual(60);
      expect(ack.reason).not.toMatch(/^(n\/?a|none|todo|tbd|ok|fine|not needed|suppressed|ignore)\.?$/i);
    }
  });
});

it('fails synthesis when a finding is not acknowledged', () => {
  const { app } = buildTestApp();
  new Bucket(new Stack(app, 'Careless'), 'Bucket');
  expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
});
