import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ARCHIVE_FAILURE_METRIC,
  functionArnSubstitution,
  PIPELINE_TASK_STATES,
} from '../../functions/contracts/pipeline-tasks';
import type { PipelineTask } from '../../functions/topology';
import { topology as realTopology } from '../../functions/topology';
import { MeetingPipeline, type MeetingPipelineTask } from '../../lib/meeting-pipeline';
import {
  PIPELINE_DEFINITION_PATH,
  parsePipelineDefinition,
  placeholdersIn,
  readPipelineDefinitionText,
  substitute,
  taskStatesOf,
} from '../../lib/pipeline-definition';
import { buildTestApp } from './app-fixture';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const definitionText = readPipelineDefinitionText();
const timeoutOf = new Map(
  taskStatesOf(parsePipelineDefinition(definitionText)).map((task) => [task.name, task.timeoutSeconds]),
);

/** A stack with the pipeline over one imported (dummy) function per Task state: only its own resources. */
function buildPipelineStack(tasksFor: (stack: Stack) => MeetingPipelineTask[] = dummyTasks) {
  const app = new App();
  const stack = new Stack(app, 'PipelineTest');
  const pipeline = new MeetingPipeline(stack, 'MeetingPipeline', { tasks: tasksFor(stack) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, pipeline };
}

const functionArnOf = (state: string) => `arn:aws:lambda:us-east-1:123456789012:function:smartad-${state}`;

function dummyTasks(stack: Stack): MeetingPipelineTask[] {
  return PIPELINE_TASK_STATES.map((state) => ({
    state,
    fn: LambdaFunction.fromFunctionArn(stack, `${state}Fn`, functionArnOf(state)),
    timeoutSeconds: 3,
  }));
}

describe('MeetingPipeline', () => {
  let built: ReturnType<typeof buildPipelineStack>;
  let template: Template;
  let machine: Resource;

  beforeAll(() => {
    built = buildPipelineStack();
    template = Template.fromStack(built.stack);
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Resource[];
    expect(machines).toHaveLength(1);
    machine = machines[0] as Resource;
  });

  it('deploys the ASL file itself as a STANDARD workflow', () => {
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.DefinitionS3Location).toBeDefined();
    expect(machine.Properties.DefinitionString).toBeUndefined();
    // The definition is a file asset: the staged copy is the repository file, byte for byte.
    const { Key } = machine.Properties.DefinitionS3Location as { Key: string };
    const staged = readFileSync(join(built.app.synth().directory, `asset.${Key}`), 'utf8');
    expect(staged).toBe(readFileSync(PIPELINE_DEFINITION_PATH, 'utf8'));
  });

  it("substitutes every placeholder with its Task state's function ARN, leaving no ${ behind", () => {
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(placeholdersIn(definitionText).sort());
    for (const state of PIPELINE_TASK_STATES) {
      expect(substitutions[functionArnSubstitution(state)]).toBe(functionArnOf(state));
    }
    const filled = substitute(
      definitionText,
      Object.fromEntries(
        Object.keys(substitutions).map((key) => [key, 'arn:aws:lambda:us-east-1:1:function:f']),
      ),
    );
    expect(filled).not.toContain('${');
  });

  it('logs ALL events with execution data to its own log group, and traces with X-Ray', () => {
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    const logging = machine.Properties.LoggingConfiguration as {
      Level: string;
      IncludeExecutionData: boolean;
      Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }[];
    };
    expect(logging.Level).toBe('ALL');
    expect(logging.IncludeExecutionData).toBe(true);
    const groupId = logging.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0] ?? '';
    const group = template.toJSON().Resources[groupId] as Resource;
    expect(group.Properties).toMatchObject({
      LogGroupName: '/aws/vendedlogs/states/PipelineTest-meeting-pipeline',
      RetentionInDays: 30,
    });
  });

  it('may invoke exactly the task functions, and use * only for log delivery and X-Ray', () => {
    const roleId = built.stack.getLogicalId(built.pipeline.role.node.defaultChild as never);
    expect(machine.Properties.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'states.amazonaws.com' } })],
      }),
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    const invoke = statements.filter((s) => actions(s).some((a) => a.startsWith('lambda:')));
    const [only, ...others] = invoke;
    expect(others).toEqual([]);
    expect(only && actions(only)).toEqual(['lambda:InvokeFunction']);
    expect([...((only?.Resource ?? []) as string[])].sort()).toEqual(
      PIPELINE_TASK_STATES.map(functionArnOf).sort(),
    );
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      for (const action of actions(statement)) expect(action).toMatch(/^(logs|xray):/);
    }
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('alarms on any archive failure and any failed execution', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: ARCHIVE_FAILURE_METRIC.namespace,
      MetricName: ARCHIVE_FAILURE_METRIC.metricName,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('^COMPLIANCE ACTION REQUIRED'),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Match.anyValue() } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('passes cdk-nag AwsSolutions with specific acknowledgements only', () => {
    const report = new AwsSolutionsChecks().validateScope(built.app);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });

  it('refuses to synthesise when a Task state has no function', () => {
    expect(() =>
      buildPipelineStack((stack) => dummyTasks(stack).filter((task) => task.state !== 'SyncCrm')),
    ).toThrow(/no pipeline task for "SyncCrm"/);
  });

  it('refuses a function that may outlive its state', () => {
    const tooSlow = (stack: Stack) =>
      dummyTasks(stack).map((task) =>
        task.state === 'Extract' ? { ...task, timeoutSeconds: timeoutOf.get('Extract') ?? 0 } : task,
      );
    expect(() => buildPipelineStack(tooSlow)).toThrow(/"Extract" times out after 960 s/);
  });
});

describe('the stateless stack', () => {
  it('deploys the real topology’s pipeline and lets only the starters start it and the webhook answer tasks', () => {
    const { stateless } = buildTestApp();
    expect(realTopology.pipelineTasks).toHaveLength(PIPELINE_TASK_STATES.length);
    const template = Template.fromStack(stateless);
    // The meeting pipeline and the platform intake (webhook meetings' files).
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).map(([id, p]) => ({
      id,
      json: JSON.stringify(p),
    }));
    const granting = (action: string) =>
      policies.filter((p) => p.json.includes(`"${action}"`)).map((p) => p.id.replace(/Role.*$/, ''));
    // The meeting pipeline's starters, and the webhooks that start the platform intake.
    expect(granting('states:StartExecution').sort()).toEqual([
      'MeetWebhooks',
      'Meetings',
      'TeamsWebhooks',
      'UploadReceived',
      'ZoomWebhooks',
    ]);
    expect(granting('states:SendTaskSuccess')).toEqual(['TranscriptionWebhooks']);
    for (const name of ['Meetings', 'UploadReceived']) {
      const fn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
        id.startsWith(`${name}Function`),
      );
      expect(JSON.stringify(fn?.[1]), name).toContain('PIPELINE_STATE_MACHINE_ARN');
    }
  });

  it('wires one project function per Task state into the pipeline once they are declared, cdk-nag clean', () => {
    // Any existing module stands in for the handlers: bundling is skipped in tests.
    const pipelineTasks: PipelineTask[] = PIPELINE_TASK_STATES.map((state) => ({
      state,
      name: `pipeline-${state.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `-${c}`)).toLowerCase()}`,
      handler: 'functions/http/system.ts' as PipelineTask['handler'],
      description: `Pipeline task ${state}`,
      memoryMb: 512,
      timeoutSeconds: Math.min(900, (timeoutOf.get(state) ?? 60) - 30),
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    }));
    const { app, stateless } = buildTestApp({ topology: { ...realTopology, pipelineTasks } });
    expect(stateless.pipeline).toBeDefined();
    const template = Template.fromStack(stateless);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    const substitutions = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(
      ([id]) => id.startsWith('MeetingPipeline'),
    )?.[1]?.Properties.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
    for (const task of pipelineTasks) {
      const fn = stateless.functions.get(task.name);
      expect(substitutions[functionArnSubstitution(task.state)]?.['Fn::GetAtt'][0]).toBe(
        stateless.getLogicalId(fn?.lambda.node.defaultChild as never),
      );
    }
    app.synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });
});
