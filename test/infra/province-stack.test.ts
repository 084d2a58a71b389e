import { App, NestedStack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWithNag } from '../../lib/nag.js';
import { ProvinceStack } from '../../lib/province-stack.js';
import { loadProvince, parseProvince, provinceInputs } from '../../province/config/index.js';
import { channelStackOf } from '../../lib/constructs/channels.js';
import { functions, routes, schedules, tables } from '../../province/wiring.js';

/** Synthesizes a province without bundling (bundling is exercised by `cdk synth`). */
function synth(provinceId = 'hunan', extra?: (stack: ProvinceStack) => void) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ProvinceStack(app, `CountyLive-${provinceId}`, { province: loadProvince(provinceId), env: { region: loadProvince(provinceId).region } });
  extra?.(stack);
  checkWithNag(app);
  return { app, stack };
}

type Resource = { Type: string; Properties: Record<string, any> };
let template: Template;
let resources: Record<string, Resource>;
/** The HTTP API's nested stack. */
let apiTemplate: Template;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The county console's stack (nested in the API's). */
const consoleStackTemplate = () => Template.fromStack(apiTemplateStack.node.findChild('Console') as NestedStack);
let apiTemplateStack: NestedStack;
const apiOfType = (type: string) => Object.entries(apiTemplate.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);

beforeAll(() => {
  const { stack } = synth();
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  apiTemplateStack = stack.node.findChild('Api') as NestedStack;
  apiTemplate = Template.fromStack(apiTemplateStack);
});

describe('province stack', () => {
  it('passes cdk-nag AwsSolutions with every acknowledgment carrying a reason', () => {
    const { app } = synth();
    expect(() => app.synth()).not.toThrow();
  });

  it('cdk-nag is really on: an unencrypted, non-SSL topic fails synth', () => {
    const { app } = synth('hunan', (stack) => new Topic(stack, 'Careless'));
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  });

  it('every declared table: on demand, PITR, deletion protection, retained on update or delete, KMS encrypted, no physical name', () => {
    const dynamoTables = ofType('AWS::DynamoDB::GlobalTable');
    expect(dynamoTables).toHaveLength(Object.keys(tables).length);
    for (const [, t] of dynamoTables) {
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.TableName).toBeUndefined();
      expect(t.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      expect(t.Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
    // kept on update and delete; a failed first deploy removes what it created, so it can be run again
    template.allResources('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    template.allResources('AWS::Cognito::UserPool', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    // the orders table: the paid index settlement reads, and no index written per reservation (expiry comes through a delay queue)
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'paidByShow' })],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('every function: Node.js 22 on arm64, traced, logging to its own log group with retention', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns).toHaveLength(Object.keys(functions).length);
    for (const [, fn] of fns) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(resources[logGroupId]!.Properties.RetentionInDays).toBe(90);
    }
  });

  it('least privilege: no Scan, no wildcard actions, deletes only on the channel registry, (resharding flash-sale stock) the catalog and listed payment items, Query only where an index is queried', () => {
    const tableLogicalId = (name: string) => Object.keys(resources).find((k) => k.startsWith(`Tables${name[0]!.toUpperCase()}${name.slice(1)}`))!;
    for (const [id, policy] of ofType('AWS::IAM::Policy')) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        const actions: string[] = [st.Action].flat();
        expect(actions, id).not.toContain('dynamodb:Scan');
        expect(actions.some((a) => a.endsWith('*')), id).toBe(false);
        if (actions.includes('dynamodb:DeleteItem')) {
          const resource = JSON.stringify(st.Resource);
          const allowed =
            (id.startsWith('RegisterChannelsFn') && resource.includes(tableLogicalId('channels'))) ||
            ((id.startsWith('CreateShowFn') || id.startsWith('PutLineupFn')) && resource.includes(tableLogicalId('catalog'))) || // stock shards gathered back
            (/^(DecideRefund|WechatPayNotify|StartPayouts|SweepPayouts|PayoutResult|BankReturns|RetryPayout)Fn/.test(id) && resource.includes(tableLogicalId('payments'))); // a decided refund leaves the county's waiting list; a final payout leaves the in-flight list
          expect(allowed, id).toBe(true);
          expect(resource).not.toContain(tableLogicalId('orders'));
        }
      }
    }
    // payee details in full: written where sellers are registered or corrected, read by no one else
    const onPayees = ofType('AWS::IAM::Policy')
      .flatMap(([id, p]) => (p.Properties.PolicyDocument.Statement as any[]).filter((st) => JSON.stringify(st.Resource).includes(tableLogicalId('payees'))).map((st) => `${id.replace(/Fn.*$/, '')} ${[st.Action].flat().join(',')}`))
      .sort();
    // payee details in full are read only by the functions that pay (and the bank batch for the finance office)
    expect(onPayees).toEqual(['BankBatch dynamodb:GetItem', 'CreateSeller dynamodb:PutItem', 'RetryPayout dynamodb:GetItem', 'SetPayee dynamodb:PutItem', 'StartPayouts dynamodb:GetItem', 'SweepPayouts dynamodb:GetItem']);
    const policyOf = (fnName: string) => ofType('AWS::IAM::Policy').find(([id]) => id.startsWith(`${fnName}Fn`))![1].Properties.PolicyDocument.Statement as any[];
    const getProduct = policyOf('GetProduct').filter((s) => JSON.stringify(s.Action).includes('dynamodb'));
    expect(getProduct).toHaveLength(2); // the catalog, and its storefront's request counter
    const catalog = getProduct.find((s) => JSON.stringify(s.Resource).includes(tableLogicalId('catalog')))!;
    expect([catalog.Action].flat().sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']); // exactly what reading a product does
    const counter = getProduct.find((s) => JSON.stringify(s.Resource).includes(tableLogicalId('rates')))!;
    expect(counter.Action).toBe('dynamodb:UpdateItem');
    expect(JSON.stringify(policyOf('GetOrder'))).not.toContain(tableLogicalId('catalog'));
    expect(JSON.stringify(policyOf('PublishDomainEvents'))).toContain('events:PutEvents');
    expect(JSON.stringify(policyOf('ReserveOrder'))).not.toContain('events:PutEvents');
  });

  it('the HTTP API serves exactly the declared routes, with access logs and throttling', () => {
    // the API lives in a nested stack of its own (its routes grow with the API; the province stack keeps room)
    expect(ofType('AWS::ApiGatewayV2::Route')).toHaveLength(0);
    const keys = apiOfType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey).sort();
    expect(keys).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('the schedule and its function have a DLQ, retries and an alarm; the stream relay has bisect, partial-batch retry and a DLQ', () => {
    const rule = ofType('AWS::Events::Rule').find(([, r]) => r.Properties.ScheduleExpression === schedules[0]!.schedule)![1];
    const target = rule.Properties.Targets[0];
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(new RegExp(`^${schedules[0]!.id}DeadLetters`));
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${schedules[0]!.id}DeadLetters`), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      // a batch the relay keeps failing is kept whole (records included) in a bucket, for npm run replay
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FailedStreamBatches'), 'Arn'] } } },
    });
    expect(ofType('AWS::Lambda::EventSourceMapping')).toHaveLength(5); // orders, shows and settlements streams to the relay; orders to the live figures; the expiry delay queue
    // the live figures keep a sequence number per shard: their tumbling window makes Lambda name each batch's shard
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^MaintainLiveFiguresFn') },
      TumblingWindowInSeconds: 60,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const [bucketId, bucket] = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('FailedStreamBatches'))!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, RestrictPublicBuckets: true });
    // the relay may only put failed batches there
    const relay = ofType('AWS::IAM::Policy').find(([id]) => id.startsWith('PublishDomainEventsFn'))![1].Properties.PolicyDocument.Statement as any[];
    const onBucket = relay.filter((st) => JSON.stringify(st.Resource).includes(bucketId));
    expect(onBucket.map((st) => st.Action)).toEqual(['s3:PutObject']);
    const queues = ofType('AWS::SQS::Queue').map(([id]) => id);
    for (const q of queues) {
      const alarm = ofType('AWS::CloudWatch::Alarm').find(([, a]) => JSON.stringify(a.Properties.Dimensions).includes(q));
      expect(alarm, `alarm on ${q}`).toBeDefined();
      expect(alarm![1].Properties.AlarmActions).toHaveLength(1);
    }
  });

  it('publishes on its own province bus and outputs no secrets', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    const outputs = Object.keys(template.toJSON().Outputs).sort();
    expect(outputs).toEqual(['AlarmTopicArn', 'ApiUrl', 'ConsoleLoginDomain', 'ConsoleUrl', 'DashboardName', 'EventBusName', 'FailedStreamBatchesBucket', 'OperatorClientId', 'OperatorUserPoolId', 'PaymentSecretArn']);
    // the payment secret: the stack creates it with a generated placeholder; its ARN is an output, its value nowhere
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: {} });
    expect(JSON.stringify(template.toJSON().Outputs.PaymentSecretArn.Value)).toMatch(/^\{"Ref":"PaymentSecret[0-9A-F]+"\}$/);
    // only the functions that talk to WeChat Pay may read it, and nothing else in the stack is granted a secret
    const readers = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('secretsmanager:')).map(([id]) => id.replace(/Fn.*$/, '')).sort();
    expect(readers).toEqual(['DecideRefund', 'ExpireReservations', 'ReconcileBills', 'Reconciliation', 'RefundOrder', 'RetryPayout', 'StartPayment', 'StartPayouts', 'SweepPayouts', 'WechatPayNotify']);
  });

  it('no statement grants a wildcard action, or a wildcard resource on tables, buses or channels', () => {
    for (const [id, policy] of ofType('AWS::IAM::Policy')) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        const actions: string[] = [st.Action].flat();
        expect(actions.some((a) => a === '*' || a.endsWith(':*')), id).toBe(false);
        // dynamodb:ListStreams and ivs:ListStreams are list actions: IAM has no resource to scope them to
        if (actions.some((a) => /^(dynamodb|events|ivs|sqs|sns):/.test(a) && a !== 'dynamodb:ListStreams' && a !== 'ivs:ListStreams')) {
          expect([st.Resource].flat(), `${id} ${actions}`).not.toContain('*');
        }
      }
    }
    const relay = ofType('AWS::IAM::Policy').find(([id]) => id.startsWith('PublishDomainEventsFn'))![1];
    const put = relay.Properties.PolicyDocument.Statement.find((s: any) => [s.Action].flat().includes('events:PutEvents'));
    expect(put.Resource['Fn::GetAtt'][0]).toMatch(/^ProvinceBus/);
  });

  it('alarms can notify: the topic has a key of its own that CloudWatch (of this account) may use, and a policy that lets CloudWatch publish', () => {
    const [, topic] = ofType('AWS::SNS::Topic')[0]!;
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(resources[keyId]!.Type).toBe('AWS::KMS::Key');
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    expect(resources[keyId]!.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    }));
    const [, topicPolicy] = ofType('AWS::SNS::TopicPolicy')[0]!;
    expect(topicPolicy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
      Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    }));
  });

  it('observability: a dashboard, an alarm per function, an alarm on API 5xx, all paging the alarm topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const alarms = ofType('AWS::CloudWatch::Alarm');
    for (const [fnId] of ofType('AWS::Lambda::Function')) {
      expect(alarms.some(([, a]) => a.Properties.MetricName === 'Errors' && JSON.stringify(a.Properties.Dimensions).includes(fnId)), fnId).toBe(true);
    }
    expect(alarms.some(([, a]) => a.Properties.MetricName === '5xx')).toBe(true);
    for (const [id, a] of alarms) expect(a.Properties.AlarmActions, id).toHaveLength(1);
    const body = JSON.stringify(template.toJSON().Resources[ofType('AWS::CloudWatch::Dashboard')[0]![0]].Properties.DashboardBody);
    for (const metric of ['OrdersReserved', 'OrdersPaid', 'GmvFen', 'OutOfStockRefusals', 'SettlementDuration', 'SettledGrossFen']) expect(body).toContain(metric);
  });

  it('every route but the public contract and the payment notifications is authorized: operators by the Cognito JWT authorizer, storefronts by the cached API-key authorizer', () => {
    const authorizers = Object.fromEntries(apiOfType('AWS::ApiGatewayV2::Authorizer').map(([id, a]) => [id, a.Properties]));
    const byType = (type: string) => Object.entries(authorizers).find(([, a]) => a.AuthorizerType === type)!;
    const [jwtId, jwt] = byType('JWT');
    expect(jwt.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(JSON.stringify(jwt.JwtConfiguration.Issuer)).toContain('cognito-idp');
    const [lambdaId, lambda] = byType('REQUEST');
    expect(lambda).toMatchObject({ IdentitySource: ['$request.header.x-api-key'], EnableSimpleResponses: true, AuthorizerResultTtlInSeconds: 60, AuthorizerPayloadFormatVersion: '2.0' });
    for (const [, route] of apiOfType('AWS::ApiGatewayV2::Route')) {
      const declared = routes.find((r) => `${r.method} ${r.path}` === route.Properties.RouteKey)!;
      if (declared.audience === 'public') {
        expect(route.Properties.RouteKey).toBe('GET /openapi.json');
        expect(route.Properties.AuthorizerId).toBeUndefined();
        continue;
      }
      if (declared.audience === 'provider') {
        // WeChat Pay sends no API credentials: the function checks the platform signature (test/integration/payments.test.ts)
        expect(route.Properties.RouteKey).toBe('POST /payments/wechatpay/notify');
        expect(route.Properties.AuthorizerId).toBeUndefined();
        continue;
      }
      expect(route.Properties.AuthorizerId.Ref, route.Properties.RouteKey).toBe(declared.audience === 'operator' ? jwtId : lambdaId);
      expect(route.Properties.AuthorizationType).toBe(declared.audience === 'operator' ? 'JWT' : 'CUSTOM');
    }
  });

  it('operator accounts: no self sign-up, MFA required, and an operator cannot change their own county', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: [Match.objectLike({ Name: 'county', Mutable: true })],
    });
    // the app client lives in the console's stack (nested in the API's): test/infra/console-distribution.test.ts
    const [, client] = Object.entries<Resource>(consoleStackTemplate().toJSON().Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient')!;
    expect(client.Properties.ReadAttributes).toContain('custom:county');
    expect(client.Properties.WriteAttributes).not.toContain('custom:county');
    expect(client.Properties.GenerateSecret).toBe(false);
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'province-admin' });
  });

  it('each province has its own stack; a second province synthesizes with its own settings', () => {
    const { stack } = synth('guizhou');
    expect(stack.stackName).toBe('CountyLive-guizhou');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ RESERVATION_TIMEOUT_MINUTES: '10' }) },
    });
  });
});

describe('IVS channels and the show lifecycle', () => {
  const province = loadProvince('hunan');
  const channelIds = province.counties.flatMap((c) => c.channels.map((ch) => ch.id));
  const nested = () => synth().stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack).map((n) => Template.fromStack(n).toJSON().Resources as Record<string, Resource>);
  const ivsArn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]] });

  it('channels live in nested stacks (none in the province stack): a channel and a stream key per county channel, typed and with the latency mode from the config', () => {
    expect(ofType('AWS::IVS::Channel')).toHaveLength(0);
    const all = nested().flatMap((r) => Object.entries(r));
    const channels = all.filter(([, r]) => r.Type === 'AWS::IVS::Channel');
    expect(channels.map(([, r]) => r.Properties.Name).sort()).toEqual(channelIds.map((id) => `hunan-${id}`).sort());
    expect(all.filter(([, r]) => r.Type === 'AWS::IVS::StreamKey')).toHaveLength(channelIds.length);
    expect(channels.find(([, r]) => r.Properties.Name === 'hunan-chengbu-main')![1].Properties).toMatchObject({ Type: 'STANDARD', LatencyMode: 'LOW', Authorized: false });
    template.resourceCountIs('AWS::CloudFormation::Stack', new Set(province.counties.map((c) => channelStackOf(c.id, province.channelStacks))).size + 1); // and the API's
  });

  it("each channel stack writes its channels into the registry through the registrar function: resources, never a key's value", () => {
    const registrations = nested().flatMap((r) => Object.values(r)).filter((r) => r.Type === 'Custom::ChannelRegistry');
    expect(registrations.length).toBeGreaterThan(0);
    const registered = registrations.flatMap((r) => r.Properties.Channels as any[]);
    expect(registered.map((c) => c.channelId).sort()).toEqual([...channelIds].sort());
    for (const c of registered) {
      expect(Object.keys(c).sort()).toEqual(['arn', 'channelId', 'countyId', 'ingestEndpoint', 'playbackUrl', 'streamKeyArn']);
      expect(JSON.stringify(c)).not.toContain('"Value"');
    }
    // the service token is the registrar, handed down from the province stack
    const stacks = ofType('AWS::CloudFormation::Stack');
    expect(JSON.stringify(stacks.map(([, s]) => s.Properties.Parameters))).toMatch(/RegisterChannelsFn[^"]*","Arn"/);
  });

  it('no stream key value anywhere: not in outputs, environment, or any property', () => {
    const texts = [JSON.stringify(template.toJSON()), ...nested().map((r) => JSON.stringify(r))];
    for (const text of texts) expect(text).not.toMatch(/StreamKey[^"]*","Value"/);
  });

  it("the IVS rule is on the default bus and matches the account's channels in the region by prefix (its size does not grow with the province), with DLQ, retries and alarm", () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([id]) => id.startsWith('IvsStreamStateChangeRule'))!;
    expect(rule.Properties.EventBusName).toBeUndefined();
    const pattern = rule.Properties.EventPattern;
    expect(pattern.source).toEqual(['aws.ivs']);
    expect(pattern['detail-type']).toEqual(['IVS Stream State Change']);
    expect(pattern.resources).toEqual([{ prefix: ivsArn('channel/') }]);
    const target = rule.Properties.Targets[0];
    expect(target.Arn['Fn::GetAtt'][0]).toMatch(/^OnStreamEventFn/);
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/IvsStreamStateChangeDeadLetters/);
    expect(target.RetryPolicy.MaximumRetryAttempts).toBe(2);
  });

  it('IVS permissions are per action, on the channels (or stream keys) of the account and region, not growing with the province', () => {
    for (const [id, policy] of ofType('AWS::IAM::Policy')) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        const actions: string[] = [st.Action].flat();
        if (!actions.some((a) => a.startsWith('ivs:'))) continue;
        if (actions.includes('ivs:GetStreamKey')) {
          expect(actions, id).toEqual(['ivs:GetStreamKey']);
          expect(id).toMatch(/^GetIngest/);
          expect(st.Resource).toEqual(ivsArn('stream-key/*'));
        } else if (actions.includes('ivs:ListStreams')) {
          expect(actions, id).toEqual(['ivs:ListStreams']);
          expect(st.Resource).toBe('*');
        } else {
          expect(st.Resource, id).toEqual(ivsArn('channel/*'));
        }
      }
    }
    const actionsOf = (fn: string) =>
      ofType('AWS::IAM::Policy').filter(([id]) => id.startsWith(fn)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    expect(actionsOf('SpotlightFn')).toContain('ivs:PutMetadata');
    expect(actionsOf('SweepShowsFn')).toContain('ivs:ListStreams');
    expect(actionsOf('SweepShowsFn')).not.toContain('ivs:GetStream');
    expect(actionsOf('EndShowFn')).toContain('ivs:StopStream');
    expect(actionsOf('ListShowsFn').some((a: string) => a.startsWith('ivs:'))).toBe(false);
  });

  it('functions find channels in the registry table, not in their environment; the sweep gets the grace period', () => {
    const fns = ofType('AWS::Lambda::Function');
    for (const [id, fn] of fns) expect(Object.keys(fn.Properties.Environment?.Variables ?? {}), id).not.toContain('CHANNELS');
    const sweep = fns.find(([id]) => id.startsWith('SweepShowsFn'))![1].Properties.Environment.Variables;
    expect(sweep.POST_SHOW_GRACE_MINUTES).toBe('5');
    const onStream = fns.find(([id]) => id.startsWith('OnStreamEventFn'))![1].Properties.Environment.Variables;
    expect(onStream.CHANNELS_TABLE.Ref).toMatch(/^TablesChannels/);
  });

  it("the operator app client: SRP and the code flow only, always with a login domain (the console is always deployed); the province's console adds its addresses and its domain prefix", () => {
    const plain = consoleStackTemplate();
    plain.hasResourceProperties('AWS::Cognito::UserPoolClient', { ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']), AllowedOAuthFlows: ['code'] });
    expect(ofType('AWS::Cognito::UserPoolDomain')).toHaveLength(1);
    expect(template.toJSON().Outputs.ConsoleLoginDomain).toBeDefined();

    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const operatorConsole = { callbackUrls: ['https://console.hunan.example/callback'], logoutUrls: ['https://console.hunan.example/'], domainPrefix: 'county-live-hunan' };
    const withConsole = parseProvince({ ...provinceInputs.hunan!, operatorConsole });
    const stack = new ProvinceStack(app, 'CountyLive-hunan', { province: withConsole, env: { region: withConsole.region } });
    checkWithNag(app);
    expect(() => app.synth()).not.toThrow(); // cdk-nag stays clean with the domain and the style
    const consoleTemplate = Template.fromStack(stack);
    const clientTemplate = Template.fromStack(stack.node.findChild('Api').node.findChild('Console') as NestedStack);
    clientTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayEquals(['openid', 'email']),
      CallbackURLs: Match.arrayWith(['https://console.hunan.example/callback']),
      LogoutURLs: Match.arrayWith(['https://console.hunan.example/']),
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
    });
    const [clientId, consoleClient] = Object.entries(clientTemplate.findResources('AWS::Cognito::UserPoolClient'))[0]!;
    expect(consoleClient.Properties.AllowedOAuthFlows).not.toContain('implicit');
    // MFA stays required (TOTP only): managed login walks a new operator through the password change and TOTP set-up
    consoleTemplate.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'], UserPoolTier: 'ESSENTIALS' });
    consoleTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'county-live-hunan', ManagedLoginVersion: 2, CustomDomainConfig: Match.absent() });
    clientTemplate.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { ClientId: { Ref: clientId }, UseCognitoProvidedValues: true });
    const output = consoleTemplate.toJSON().Outputs.ConsoleLoginDomain;
    expect(JSON.stringify(output.Value)).toContain('.auth.');
    expect(JSON.stringify(output.Value)).toContain('amazoncognito.com');

    expect(() => parseProvince({ ...provinceInputs.hunan!, operatorConsole: { ...operatorConsole, callbackUrls: ['http://console.hunan.example/cb'] } })).toThrow(/operatorConsole\.callbackUrls\[0\]: must be an https:\/\/ URL/);
    for (const domainPrefix of ['Hunan', 'hu', '-hunan', 'hunan-', 'hunan_live', 'a'.repeat(64), 'hunan-aws-login', 'mycognito']) {
      expect(() => parseProvince({ ...provinceInputs.hunan!, operatorConsole: { ...operatorConsole, domainPrefix } }), domainPrefix).toThrow(/operatorConsole\.domainPrefix: must/);
    }
    expect(() => parseProvince({ ...provinceInputs.hunan!, operatorConsole: { callbackUrls: operatorConsole.callbackUrls } })).toThrow(/operatorConsole\.domainPrefix/);
  });

  it('operator email goes through SES when the province names a sender', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const withSes = parseProvince({ ...provinceInputs.hunan!, operatorEmail: { from: 'no-reply@hunan.example' } });
    const stack = new ProvinceStack(app, 'CountyLive-hunan', { province: withSes, env: { region: withSes.region } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: 'no-reply@hunan.example' }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', { EmailConfiguration: Match.absent() });
  });
});

describe('settlement', () => {
  const ledgerId = () => Object.keys(resources).find((k) => k.startsWith('TablesLedger'))!;

  it('a rule on the province bus sends every Show Ended to the settlement handler, with DLQ, retries and alarm', () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([id]) => id.startsWith('ShowEndedSettlementRule'))!;
    expect(rule.Properties.EventBusName.Ref).toMatch(/^ProvinceBus/);
    expect(rule.Properties.EventPattern).toEqual({ source: ['county-live.shows'], 'detail-type': ['Show Ended'] });
    const target = rule.Properties.Targets[0];
    expect(target.Arn['Fn::GetAtt'][0]).toMatch(/^ScheduleSettlementFn/);
    const dlq = target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    expect(ofType('AWS::CloudWatch::Alarm').some(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []).includes(dlq))).toBe(true);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ScheduleSettlementFn') },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'SettlementsFailed', Namespace: 'CountyLive/hunan' });
  });

  it("reservations expire through a delay queue: each Order Reserved is held the reservation's time (at most SQS's 15 minutes), then handed to expireReservations in batches with partial failures, and kept in an alarmed DLQ after its retries", () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([id]) => id.startsWith('ReservationExpiryRule'))!;
    expect(rule.Properties.EventBusName.Ref).toMatch(/^ProvinceBus/);
    expect(rule.Properties.EventPattern).toEqual({ source: ['county-live.orders'], 'detail-type': ['Order Reserved'] });
    const target = rule.Properties.Targets[0];
    const [queueId, queue] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('ReservationExpiryDelay'))!;
    expect(target.Arn['Fn::GetAtt'][0]).toBe(queueId);
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    // hunan reserves for 15 minutes: exactly the queue's delay
    expect(queue.Properties.DelaySeconds).toBe(900);
    // redelivered after six times the function's timeout (as Lambda advises), 30 times: a 2-hour reservation is covered
    const [, expiryFn] = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('ExpireReservationsFn'))!;
    expect(queue.Properties.VisibilityTimeout).toBe(6 * expiryFn.Properties.Timeout);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(30);
    expect(900 + (30 - 1) * queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(120 * 60);
    const dlq = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
    expect(dlq).toMatch(/^ReservationExpiryDeadLetters/);
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toBe(dlq);
    expect(ofType('AWS::CloudWatch::Alarm').some(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []).includes(dlq))).toBe(true);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ExpireReservationsFn') },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
    });
    // the EventBridge rule may send to the queue (the queue policy), and nothing is scheduled for expiry any more
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Principal: { Service: 'events.amazonaws.com' } })]) },
    });
    expect(schedules.map((s) => s.function)).not.toContain('expireReservations');
  });

  it("the ledger's policy: only the settlement and refund roles may add entries; nobody may change its policy, TTL or settings but deploys; DynamoDB's replication role is exempt", () => {
    const statements: any[] = resources[ledgerId()]!.Properties.Replicas[0].ResourcePolicy.PolicyDocument.Statement;
    const bySid = (sid: string) => statements.find((st) => st.Sid === sid)!;
    const puts = bySid('OnlyLedgerWritersAppend');
    expect(puts).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'dynamodb:PutItem' });
    const allowed = JSON.stringify(puts.Condition.ArnNotLike['aws:PrincipalArn']);
    const roleOf = (fn: string) => Object.keys(resources).find((k) => k.startsWith(`${fn}FnServiceRole`))!;
    expect(allowed).toContain(roleOf('SettleShows'));
    expect(allowed).toContain(roleOf('RefundOrder'));
    expect(allowed).not.toContain(roleOf('PayOrder'));
    expect(allowed).toContain('AWSServiceRoleForDynamoDBReplication');
    expect(bySid('LedgerTableUnchangeable')).toMatchObject({
      Effect: 'Deny',
      Action: expect.arrayContaining(['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 'dynamodb:UpdateTimeToLive', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable']),
      Condition: { ArnNotLike: { 'aws:PrincipalArn': expect.arrayContaining([expect.stringContaining('cfn-exec-role'), expect.stringContaining('AWSServiceRoleForDynamoDBReplication')]) } },
    });
    expect(JSON.stringify(bySid('AppendOnlyLedger').Condition)).toContain('AWSServiceRoleForDynamoDBReplication');
  });

  it('the ledger is append-only: its resource policy denies updates and deletes to everyone, and no role may change it', () => {
    const ledger = resources[ledgerId()]!;
    const statements = ledger.Properties.Replicas[0].ResourcePolicy.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
      }),
    );
    for (const [id, policy] of ofType('AWS::IAM::Policy')) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        if (!JSON.stringify(st.Resource).includes(ledgerId())) continue;
        expect([st.Action].flat().sort(), id).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
      }
    }
  });
});

describe('bin/app.ts', () => {
  const runApp = (context: Record<string, unknown>) =>
    execFileSync(join('node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ ...context, 'aws:cdk:bundling-stacks': [] }), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-')) },
      encoding: 'utf8',
      stdio: 'pipe',
    });

  it('refuses an unknown province with the list of known ones', () => {
    expect(() => runApp({ province: 'atlantis' })).toThrow(/Unknown province "atlantis". Known provinces: hunan, guizhou/);
  });

  it('synthesizes one province on request', () => {
    expect(() => runApp({ province: 'guizhou' })).not.toThrow();
  });
});
