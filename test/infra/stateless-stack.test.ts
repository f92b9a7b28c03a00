import { Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PENDING_SK_PREFIX } from '../../functions/adapters/store/keys/audit-keys';
import { parseConfig } from '../../functions/platform/config/config';
import { allRoutes, topology } from '../../functions/topology';
import { FUNCTION_RUNTIME } from '../../lib/project-function';
import { buildTestApp, topologyWithEveryGrant } from './app-fixture';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

let built: ReturnType<typeof buildTestApp>;
let template: Template;

beforeAll(() => {
  built = buildTestApp({ topology: topologyWithEveryGrant() });
  template = Template.fromStack(built.stateless);
});

function resources(type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

function functions(): [string, Resource][] {
  return resources('AWS::Lambda::Function');
}

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return built.stateless.getLogicalId(construct.node.defaultChild as never);
}

/** Every statement of every policy attached to the function's role. */
function statementsOf(name: string): Statement[] {
  const fn = built.stateless.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  const roleId = logicalId(fn.role);
  return resources('AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function actionsOn(statements: Statement[], resource: unknown): string[] {
  const wanted = JSON.stringify(resource);
  return statements
    .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource).includes(wanted))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('every function', () => {
  it('runs on arm64 with the newest even-numbered (LTS) Node.js runtime aws-cdk-lib offers', () => {
    const versions = Runtime.ALL.map((r) => /^nodejs(\d+)\.x$/.exec(r.name)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .filter((v) => v % 2 === 0);
    const newest = `nodejs${Math.max(...versions)}.x`;
    expect(FUNCTION_RUNTIME.name).toBe(newest);
    for (const [id, fn] of functions()) {
      expect({ id, arch: fn.Properties.Architectures, runtime: fn.Properties.Runtime }).toEqual({
        id,
        arch: ['arm64'],
        runtime: newest,
      });
    }
  });

  it('is traced by X-Ray in Active mode', () => {
    for (const [id, fn] of functions()) {
      expect({ id, tracing: fn.Properties.TracingConfig }).toEqual({ id, tracing: { Mode: 'Active' } });
    }
  });

  it('logs JSON into its own log group kept for 30 days', () => {
    const logGroups = new Map(resources('AWS::Logs::LogGroup'));
    for (const [id, fn] of functions()) {
      const logging = fn.Properties.LoggingConfig as { LogFormat: string; LogGroup: { Ref: string } };
      expect({ id, format: logging.LogFormat }).toEqual({ id, format: 'JSON' });
      const group = logGroups.get(logging.LogGroup.Ref);
      expect(group?.Properties.RetentionInDays).toBe(30);
      expect(group?.Properties.LogGroupName).toBe(`/aws/lambda/${String(fn.Properties.FunctionName)}`);
    }
  });

  it('maps stack traces through source maps', () => {
    for (const [, fn] of functions()) {
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(fn.Properties.Handler).toBe('index.handler');
    }
  });

  it('gets an environment that config.ts accepts, with both secrets from Secrets Manager', () => {
    const { stateless } = buildTestApp({ settings: { corsAllowedOrigins: ['https://app.example.com'] } });
    for (const [id, fn] of Object.entries(
      Template.fromStack(stateless).findResources('AWS::Lambda::Function'),
    )) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      // Resource names are deploy-time references here; any plausible literal stands in for them.
      const standIn = (key: string) =>
        key.endsWith('_STATE_MACHINE_ARN')
          ? 'arn:aws:states:us-east-1:123456789012:stateMachine:resolved-at-deploy'
          : 'resolved-at-deploy';
      const env = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : standIn(key),
        ]),
      );
      const config = parseConfig({ ...env, AWS_REGION: 'us-east-1' });
      expect({ id, keyring: config.keyring.kind, signingKey: config.signingKey.kind }).toEqual({
        id,
        keyring: 'secrets-manager',
        signingKey: 'secrets-manager',
      });
      expect(config.corsAllowedOrigins).toEqual(['https://app.example.com']);
      expect(config.logLevel).toBe('info');
    }
  });
});

describe('least privilege', () => {
  const groups = topologyWithEveryGrant().routeGroups;

  it('grants table writes only to groups declared readwrite, and reads only to read or readwrite', () => {
    const tableArn = built.stateless.resolve(built.stateful.resources.table.tableArn);
    for (const group of groups) {
      const actions = actionsOn(statementsOf(group.name), tableArn);
      const writes = actions.filter((a) => TABLE_WRITE_ACTIONS.includes(a) || a === 'dynamodb:*');
      expect({ group: group.name, writes: writes.length > 0 }).toEqual({
        group: group.name,
        writes: group.grants.table === 'readwrite',
      });
      expect({ group: group.name, reads: actions.includes('dynamodb:Query') }).toEqual({
        group: group.name,
        reads: group.grants.table !== 'none',
      });
    }
    expect(statementsOf('fallback').some((s) => JSON.stringify(s.Action).includes('dynamodb:'))).toBe(false);
  });

  it('never grants Scan: request paths do not scan', () => {
    for (const name of built.stateless.functions.keys()) {
      expect(statementsOf(name).flatMap((s) => s.Action)).not.toContain('dynamodb:Scan');
    }
  });

  it('grants each secret only to groups that declare it', () => {
    const { keyringSecret, signingKeySecret } = built.stateful.resources;
    const keyringArn = built.stateless.resolve(keyringSecret.secretArn);
    const signingArn = built.stateless.resolve(signingKeySecret.secretArn);
    for (const group of groups) {
      const statements = statementsOf(group.name);
      expect({ group: group.name, keyring: actionsOn(statements, keyringArn) }).toEqual({
        group: group.name,
        keyring: group.grants.keyring ? ['secretsmanager:GetSecretValue'] : [],
      });
      expect({ group: group.name, signingKey: actionsOn(statements, signingArn) }).toEqual({
        group: group.name,
        signingKey: group.grants.signingKey ? ['secretsmanager:GetSecretValue'] : [],
      });
    }
  });

  it('lets secret keys decrypt only through Secrets Manager', () => {
    const key = built.stateful.resources.keyringSecret.encryptionKey;
    if (key === undefined) throw new Error('the keyring secret has no customer-managed key');
    const keyArn = built.stateless.resolve(key.keyArn);
    const statements = statementsOf('probe-readwrite').filter(
      (s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn),
    );
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
            },
          },
        },
      }),
    ]);
  });

  it('uses Resource "*" only for the actions that have no resource-level permissions', () => {
    for (const name of built.stateless.functions.keys()) {
      // ListStreams is how Lambda's stream event source finds the table's stream: the chain writer only.
      const allowed = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
      if (name === 'audit-chainer') allowed.push('dynamodb:ListStreams');
      for (const statement of statementsOf(name).filter((s) => s.Resource === '*')) {
        expect([statement.Action].flat().filter((action) => !allowed.includes(action))).toEqual([]);
      }
    }
  });

  it('feeds the audit chain writer from the table stream: inserted pending events only, one batch per shard', () => {
    const table = Template.fromStack(built.stateful).findResources('AWS::DynamoDB::Table');
    expect(Object.values(table)[0]?.Properties.StreamSpecification).toEqual({ StreamViewType: 'KEYS_ONLY' });
    const template = Template.fromStack(built.stateless);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 1,
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { sk: { S: [{ prefix: AUDIT_PENDING_SK_PREFIX }] } } },
            }),
          },
        ],
      },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmDescription as string,
    );
    expect(alarms).toEqual(expect.arrayContaining([expect.stringMatching(/audit chain writer failed/)]));
    expect(alarms).toEqual(
      expect.arrayContaining([expect.stringMatching(/audit chain writer is more than/)]),
    );
  });

  it('lets only the Extract step delete uploads (it removes a file once its transcript is stored encrypted)', () => {
    const deleters = [...built.stateless.functions.keys()].filter((name) =>
      statementsOf(name).some(
        (s) =>
          s.Effect === 'Allow' &&
          (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('s3:DeleteObject'),
      ),
    );
    expect(deleters).toEqual(['pipeline-extract']);
  });

  it('gives no function a managed policy', () => {
    for (const [, role] of resources('AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('HTTP API', () => {
  let stateless: ReturnType<typeof buildTestApp>['stateless'];
  let api: Template;

  beforeAll(() => {
    ({ stateless } = buildTestApp());
    api = Template.fromStack(stateless);
  });

  it('has one route per topology route plus $default', () => {
    const routeKeys = Object.values(api.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey as string,
    );
    const expected = [...allRoutes().map((r) => `${r.method} ${r.path}`), '$default'];
    expect(routeKeys.sort()).toEqual(expected.sort());
  });

  it("sends each route to its group's function and $default to the fallback", () => {
    const integrations = api.findResources('AWS::ApiGatewayV2::Integration');
    const functionOf = (integrationId: string) => {
      const uri = integrations[integrationId]?.Properties.IntegrationUri as
        | { 'Fn::GetAtt': [string] }
        | undefined;
      return uri?.['Fn::GetAtt'][0];
    };
    const expectedFunction = new Map<string, string>([['$default', logicalIdIn(stateless, 'fallback')]]);
    for (const group of topology.routeGroups) {
      for (const route of group.routes)
        expectedFunction.set(`${route.method} ${route.path}`, logicalIdIn(stateless, group.name));
    }
    for (const route of Object.values(api.findResources('AWS::ApiGatewayV2::Route'))) {
      const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integrationId = target['Fn::Join'][1][1].Ref;
      expect({ route: route.Properties.RouteKey, fn: functionOf(integrationId) }).toEqual({
        route: route.Properties.RouteKey,
        fn: expectedFunction.get(route.Properties.RouteKey as string),
      });
      expect(route.Properties.AuthorizationType).toBe('NONE');
    }
  });

  it('logs every request as JSON with requestId, ip, routeKey, status and latency', () => {
    const [stage] = Object.values(api.findResources('AWS::ApiGatewayV2::Stage'));
    const settings = stage?.Properties.AccessLogSettings as {
      Format: string;
      DestinationArn: { 'Fn::GetAtt': [string] };
    };
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    const logGroup = api.toJSON().Resources[settings.DestinationArn['Fn::GetAtt'][0]] as Resource;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  it('throttles the $default stage', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
  });

  it('outputs the API URL', () => {
    const outputs = Object.entries(api.findOutputs('*'));
    expect(outputs.filter(([id]) => id.startsWith('HttpApiUrl'))).toHaveLength(1);
  });
});

function logicalIdIn(stack: ReturnType<typeof buildTestApp>['stateless'], name: string): string {
  const fn = stack.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  return stack.getLogicalId(fn.lambda.node.defaultChild as never);
}
