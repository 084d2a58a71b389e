import { Duration, NestedStack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Province } from '../../province/config/index.js';
import { authorizers, type FunctionName, routes } from '../../province/wiring.js';
import type { OperatorAccounts } from './operators.js';
import { ProvinceConsole } from './province-console.js';
import { pascal } from './tables.js';

/**
 * The province's HTTP API in a nested stack of its own (its routes, integrations and invoke
 * permissions grow with every route; the province stack keeps room for functions and tables):
 * access logs, throttling, the operators' Cognito authorizer and the storefronts' API-key
 * authorizer, one Lambda integration per function and one route per declared route.
 *
 * The county console's nested stack sits inside this one: its distribution fronts this API, and it
 * holds the operators' app client (its callback URLs are the distribution's), which the operators'
 * authorizer below names — nested here, the three depend on each other without a cycle.
 */
export class ProvinceApi extends NestedStack {
  readonly api: HttpApi;
  readonly console: ProvinceConsole;

  constructor(scope: Construct, id: string, props: { province: Province; functions: Record<FunctionName, IFunction>; operators: OperatorAccounts; logRetention: RetentionDays; consoleDist?: string }) {
    super(scope, id, { description: `HTTP API of province ${props.province.id}` });
    const { province, functions, operators } = props;
    const api = (this.api = new HttpApi(this, 'Api', {
      description: `County live commerce API, province ${province.id}`,
      createDefaultStage: false,
    }));
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: props.logRetention });
    new HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: province.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            sourceIp: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
          }),
        ),
      },
    });
    this.console = new ProvinceConsole(this, 'Console', { province, api, operators, ...(props.consoleDist ? { dist: props.consoleDist } : {}) });
    // Who may call: operators with a Cognito ID token, storefronts with an API key.
    const routeAuthorizers = {
      operator: new HttpUserPoolAuthorizer('OperatorAuthorizer', operators.userPool, {
        userPoolClients: [operators.client],
        identitySource: ['$request.header.Authorization'],
      }),
      storefront: new HttpLambdaAuthorizer('StorefrontAuthorizer', functions[authorizers.storefront.function], {
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: [`$request.header.${authorizers.storefront.header}`],
        resultsCacheTtl: Duration.seconds(authorizers.storefront.cacheSeconds),
      }),
    };
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, functions[route.function]);
        integrations.set(route.function, integration);
      }
      const authorizer = route.audience === 'public' || route.audience === 'provider' ? undefined : routeAuthorizers[route.audience];
      const created = api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, ...(authorizer ? { authorizer } : {}) });
      if (!authorizer) {
        for (const r of created) {
          Validations.of(r).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: route.audience === 'provider'
              ? `${route.method} ${route.path} takes WeChat Pay's notifications, which carry no API credentials: the function verifies the platform signature (SHA256withRSA, serial, timestamp within 5 minutes) and decrypts the resource before anything changes.`
              : `${route.method} ${route.path} is the public contract for integrators; it carries no data.`,
          });
        }
      }
    }
  }
}
