import { CfnOutput, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../functions/platform/http/route';

export interface HttpRouteGroup {
  /** Lower-kebab group name from the topology; names the integration. */
  readonly name: string;
  readonly routes: readonly Pick<RouteDefinition, 'method' | 'path'>[];
  readonly handler: IFunction;
}

export interface AdvisorHttpApiProps {
  readonly routeGroups: readonly HttpRouteGroup[];
  /** Serves `$default`: every request no route matches (404/405 in the API's error shape, CORS preflight). */
  readonly fallback: IFunction;
  /** Stage-wide ceiling; per-user and per-IP limits are applied inside the functions. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

// Stops a runaway client long before it costs real money; far above what one firm's advisers generate.
const DEFAULT_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
  userAgent: '$context.identity.userAgent',
} as const;

/**
 * The public HTTP API (API Gateway v2): one Lambda integration per route group, one API route per
 * `RouteDefinition`, and `$default` to the fallback function. Callers are authenticated inside the functions
 * with the project's own JWTs, not by API Gateway authorizers.
 */
export class AdvisorHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: AdvisorHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Smart Advisor OS HTTP API',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', props.fallback),
    });
    for (const group of props.routeGroups) {
      const integration = new HttpLambdaIntegration(`${group.name}-integration`, group.handler);
      for (const route of group.routes) {
        this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
      }
    }
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Routes are authorised inside each function with the project’s own JWT access tokens (identity issue) against the route’s declared auth; public routes (health, login) must stay reachable without a token.',
    });
    new CfnOutput(this, 'Url', { value: this.stage.url, description: 'Base URL of the HTTP API' });
  }
}
