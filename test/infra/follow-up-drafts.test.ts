import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTRACTION_CALL_TIMEOUT_MS } from '../../functions/integrations/configured-extractor';
import { FOLLOW_UP_CALL_TIMEOUT_MS } from '../../functions/integrations/configured-follow-up-writer';
import { buildTestApp } from './app-fixture';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** API Gateway HTTP APIs end an integration after 30 s (the maximum, and the default when none is set). */
const API_GATEWAY_LIMIT_SECONDS = 30;
/** What the regenerate route does besides the model call: read meeting, extraction and annotations, store the draft. */
const BESIDES_THE_CALL_SECONDS = 4;

let built: ReturnType<typeof buildTestApp>;
let template: Template;

beforeAll(() => {
  built = buildTestApp();
  template = Template.fromStack(built.stateless);
});

function lambdaOf(name: string): { id: string; properties: Record<string, unknown> } {
  const fn = built.stateless.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  const id = built.stateless.getLogicalId(fn.lambda.node.defaultChild as never);
  return { id, properties: (template.toJSON().Resources[id] as Resource).Properties };
}

describe('the regenerate route', () => {
  it('is served by its own function, follow-up-drafts', () => {
    const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find(
      (r) => r.Properties.RouteKey === 'POST /api/v1/meetings/{meetingId}/follow-up-email/regenerate',
    );
    if (!route) throw new Error('no regenerate route');
    const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integrationId = target['Fn::Join'][1][1].Ref;
    const integration = template.toJSON().Resources[integrationId] as Resource;
    expect(integration.Properties.IntegrationUri).toEqual({
      'Fn::GetAtt': [lambdaOf('follow-up-drafts').id, 'Arn'],
    });
    const timeout = integration.Properties.TimeoutInMillis as number | undefined;
    expect(timeout ?? API_GATEWAY_LIMIT_SECONDS * 1000).toBeLessThanOrEqual(API_GATEWAY_LIMIT_SECONDS * 1000);
  });

  it('ends before API Gateway does, and its model call ends before the function: never killed mid-call', () => {
    const seconds = lambdaOf('follow-up-drafts').properties.Timeout as number;
    expect(seconds).toBeLessThan(API_GATEWAY_LIMIT_SECONDS);
    expect(FOLLOW_UP_CALL_TIMEOUT_MS / 1000 + BESIDES_THE_CALL_SECONDS).toBeLessThanOrEqual(seconds);
    // A draft takes 6–15 s: the call's timeout leaves room for a slow one.
    expect(FOLLOW_UP_CALL_TIMEOUT_MS).toBeGreaterThanOrEqual(20_000);
  });

  it('is no longer on the 10 s meetings function', () => {
    const meetings = built.stateless.functions.get('meetings');
    expect(meetings).toBeDefined();
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) =>
      String(r.Properties.RouteKey).endsWith('/regenerate'),
    );
    expect(routes).toHaveLength(1);
  });
});

describe('the extract task', () => {
  it('gives one model call less than its own timeout', () => {
    const seconds = lambdaOf('pipeline-extract').properties.Timeout as number;
    expect(EXTRACTION_CALL_TIMEOUT_MS / 1000).toBeLessThan(seconds);
  });
});
