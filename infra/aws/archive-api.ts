import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, type HttpStage, type IHttpRouteAuthorizer, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteContract, RouteGroup } from '../../shared/http/contract.ts';
import type { PlatformLogs } from './logs.ts';

/**
 * One access-log line per request (JSON): who (the token's subject, the source address), what
 * (route, status), how long, and why it failed (authorizer or integration error). The source
 * address and the opaque user id are what a security investigation needs (网络安全法 art. 21);
 * no bodies, no query strings, no names.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  sub: '$context.authorizer.claims.sub',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
} as const;

export interface ArchiveApiProps {
  routes: readonly RouteContract[];
  handlers: ReadonlyMap<RouteGroup, IFunction>;
  authorizer: IHttpRouteAuthorizer;
  logs: PlatformLogs;
  rateLimit: number;
  burstLimit: number;
  allowedOrigins: string[];
}

/**
 * The HTTP API: one route per entry of shared/api/routes.ts, integrated with its group's function;
 * the JWT authorizer on every route whose contract says auth, none on the others. The $default
 * stage is throttled and writes access logs.
 */
export class ArchiveApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ArchiveApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Enforcement archive HTTP API',
      createDefaultStage: false,
      corsPreflight: props.allowedOrigins.length
        ? {
            allowOrigins: props.allowedOrigins,
            allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.OPTIONS],
            allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
            exposeHeaders: ['etag'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });
    this.accessLogs = props.logs.group(this, 'AccessLogs');
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integrations = new Map<RouteGroup, HttpLambdaIntegration>();
    const integrationOf = (group: RouteGroup) => {
      const handler = props.handlers.get(group);
      if (!handler) throw new Error(`no function for route group "${group}" (functions/http/${group}.ts)`);
      let integration = integrations.get(group);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${group}-integration`, handler);
        integrations.set(group, integration);
      }
      return integration;
    };

    for (const route of props.routes) {
      const r = new HttpRoute(this, `Route-${route.operationId}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrationOf(route.group),
        authorizer: route.auth ? props.authorizer : new HttpNoneAuthorizer(),
      });
      if (!route.auth) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (docs/security.md §1: health, OpenAPI and signed webhooks carry no JWT; a webhook verifies its own signature).`,
        });
      }
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }
}
