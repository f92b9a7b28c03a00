import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_KEY_VARIABLES, VendorKeysDocumentSchema } from '../../functions/adapters/secrets/vendor-keys';
import { parseConfig } from '../../functions/platform/config/config';
import { topology } from '../../functions/topology';
import { buildTestApp } from './app-fixture';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** The functions that call Anthropic, AssemblyAI or Deepgram, or check a transcription callback. */
const VENDOR_CALLERS = [
  'meetings',
  'follow-up-drafts',
  'transcription-webhooks',
  'pipeline-transcribe',
  'pipeline-poll-transcription',
  'pipeline-extract',
];

let built: ReturnType<typeof buildTestApp>;
let stateful: Template;
let stateless: Template;

beforeAll(() => {
  built = buildTestApp();
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
});

function vendorSecret(): [string, Resource] {
  const found = Object.entries(
    stateful.findResources('AWS::SecretsManager::Secret', {
      Properties: { Description: Match.stringLikeRegexp('vendor API keys') },
    }),
  ) as [string, Resource][];
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
}

function statementsOf(name: string): Statement[] {
  const fn = built.stateless.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  const roleId = built.stateless.getLogicalId(fn.role.node.defaultChild as never);
  return (Object.values(stateless.findResources('AWS::IAM::Policy')) as Resource[])
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function variablesOf(name: string): Record<string, unknown> {
  const fn = built.stateless.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  const id = built.stateless.getLogicalId(fn.lambda.node.defaultChild as never);
  const resource = stateless.toJSON().Resources[id] as Resource;
  return (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('the vendor keys secret', () => {
  it('exists once, encrypted with the secrets key and retained', () => {
    const [id] = vendorSecret();
    const resource = stateful.toJSON().Resources[id];
    const keyId = built.stateful.getLogicalId(
      built.stateful.node.findChild('Secrets').node.findChild('Key').node.defaultChild as never,
    );
    expect(resource.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(resource.DeletionPolicy).toBe('Retain');
  });

  it('carries no value in the template: only the webhook secret is generated, the operator adds the keys', () => {
    const [, secret] = vendorSecret();
    expect(secret.Properties.SecretString).toBeUndefined();
    const spec = secret.Properties.GenerateSecretString as Record<string, unknown>;
    expect(spec).toEqual({
      SecretStringTemplate: '{}',
      GenerateStringKey: 'transcription_webhook_secret',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    // What Secrets Manager generates is a document the functions accept (keys still to be added).
    const generated = { transcription_webhook_secret: 'x'.repeat(64) };
    expect(VendorKeysDocumentSchema.parse(generated)).toEqual(generated);
  });
});

describe('functions', () => {
  it('the vendor callers are exactly the functions that declare vendorKeys', () => {
    const declared = [
      ...topology.routeGroups,
      ...topology.pipelineTasks,
      ...(topology.intakeTasks ?? []),
      ...topology.eventSources,
      ...topology.schedules,
    ]
      .filter((spec) => spec.grants.vendorKeys)
      .map((spec) => spec.name);
    expect(declared.sort()).toEqual([...VENDOR_CALLERS].sort());
  });

  it('grants GetSecretValue on it only to the vendor callers, with the id in VENDOR_KEYS_SECRET_ID', () => {
    const arn = built.stateless.resolve(built.stateful.resources.vendorKeysSecret.secretArn);
    for (const name of built.stateless.functions.keys()) {
      const actions = statementsOf(name)
        .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource).includes(JSON.stringify(arn)))
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      const caller = VENDOR_CALLERS.includes(name);
      expect({ name, actions }).toEqual({ name, actions: caller ? ['secretsmanager:GetSecretValue'] : [] });
      expect({ name, id: variablesOf(name).VENDOR_KEYS_SECRET_ID }).toEqual({
        name,
        id: caller ? arn : undefined,
      });
    }
  });

  it('gives a vendor caller an environment config.ts reads as the secret, with no key of its own', () => {
    for (const name of VENDOR_CALLERS) {
      const env = Object.fromEntries(
        Object.entries(variablesOf(name)).map(([key, value]) => [
          key,
          typeof value === 'string'
            ? value
            : key.endsWith('_STATE_MACHINE_ARN')
              ? 'arn:aws:states:us-east-1:123456789012:stateMachine:resolved-at-deploy'
              : 'resolved-at-deploy',
        ]),
      );
      const config = parseConfig({ ...env, AWS_REGION: 'us-east-1' });
      expect({ name, vendorKeys: config.vendorKeys }).toEqual({
        name,
        vendorKeys: { kind: 'secrets-manager', secretId: 'resolved-at-deploy' },
      });
    }
  });

  it('puts no API key or webhook secret in any function environment', () => {
    const variables = Object.values(VENDOR_KEY_VARIABLES);
    for (const name of built.stateless.functions.keys()) {
      const present = Object.keys(variablesOf(name)).filter((key) =>
        (variables as readonly string[]).includes(key),
      );
      expect({ name, present }).toEqual({ name, present: [] });
    }
  });
});

it('has no API key anywhere in either template', () => {
  const text = JSON.stringify([stateful.toJSON(), stateless.toJSON()]);
  for (const variable of Object.values(VENDOR_KEY_VARIABLES)) expect(text).not.toContain(variable);
  // Key shapes: Anthropic's sk-ant-…; a Deepgram/AssemblyAI key is 32–40 hex characters.
  expect(text).not.toMatch(/sk-ant-/);
  expect(text).not.toMatch(/"[0-9a-f]{32,40}"/);
  expect(text).not.toMatch(/anthropic_api_key|assemblyai_api_key|deepgram_api_key/);
});
