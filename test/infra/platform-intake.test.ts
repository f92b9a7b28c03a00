import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../functions/topology';
import {
  parsePipelineDefinition,
  readPipelineDefinitionText,
  taskStatesOf,
} from '../../lib/pipeline-definition';
import { PLATFORM_INTAKE_DEFINITION_PATH } from '../../lib/platform-intake-definition';
import { buildTestApp } from './app-fixture';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let built: ReturnType<typeof buildTestApp>;
let template: Template;

beforeAll(() => {
  built = buildTestApp();
  template = Template.fromStack(built.stateless);
});

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  built.stateless.getLogicalId(construct.node.defaultChild as never);

function statementsOfFunction(name: string): Statement[] {
  const fn = built.stateless.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  const roleId = logicalId(fn.role);
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('PlatformIntake (state-machines/platform-intake.asl.json on AWS)', () => {
  it('is a STANDARD state machine with tracing and ALL-level logs, from the same ASL file', () => {
    const intake = built.stateless.intake;
    expect(intake).toBeDefined();
    const machine = template.findResources('AWS::StepFunctions::StateMachine')[
      logicalId(intake?.stateMachine as never)
    ] as Resource;
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration).toMatchObject({
      Level: 'ALL',
      IncludeExecutionData: true,
    });
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    const states = taskStatesOf(
      parsePipelineDefinition(readPipelineDefinitionText(PLATFORM_INTAKE_DEFINITION_PATH)),
    );
    expect(Object.keys(substitutions).sort()).toEqual(states.map((s) => s.substitution).sort());
  });

  it('has one function per intake task, each timing out before its state', () => {
    const states = new Map(
      taskStatesOf(parsePipelineDefinition(readPipelineDefinitionText(PLATFORM_INTAKE_DEFINITION_PATH))).map(
        (s) => [s.name, s.timeoutSeconds],
      ),
    );
    for (const task of topology.intakeTasks ?? []) {
      expect(built.stateless.functions.has(task.name)).toBe(true);
      expect(task.timeoutSeconds).toBeLessThan(states.get(task.state) ?? 0);
    }
  });

  it('lets the Zoom webhook start intakes (and nothing else), with the ARN in its environment', () => {
    const fn = built.stateless.functions.get('zoom-webhooks');
    const resource = template.findResources('AWS::Lambda::Function')[
      logicalId(fn?.lambda as never)
    ] as Resource;
    const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.PLATFORM_INTAKE_STATE_MACHINE_ARN).toBeDefined();
    expect(variables.PIPELINE_STATE_MACHINE_ARN).toBeUndefined();
    const actions = statementsOfFunction('zoom-webhooks').flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    );
    expect(actions).toContain('states:StartExecution');
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  it('lets the fetch task write uploads but not read the archive or start anything', () => {
    const actions = statementsOfFunction('intake-fetch-platform-artifact').flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    );
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject']));
    expect(actions.some((a) => a.startsWith('states:'))).toBe(false);
  });

  it('alarms on a failed intake', () => {
    const intake = built.stateless.intake;
    const alarm = template.findResources('AWS::CloudWatch::Alarm')[
      logicalId(intake?.executionsFailedAlarm as never)
    ] as Resource;
    expect(alarm.Properties).toMatchObject({ MetricName: 'ExecutionsFailed', Threshold: 1 });
  });
});
