import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { OperatorAccounts } from './constructs/operators.js';
import { ProvinceApi } from './constructs/province-api.js';
import { EventSchemas } from './constructs/event-schemas.js';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ArnPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, type IEventSourceDlq, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ProvinceChannels } from './constructs/channels.js';
import { DeadLetters } from './constructs/dead-letters.js';
import { OperationsDashboard } from './constructs/operations-dashboard.js';
import { acknowledgeStackFindings } from './nag.js';
import { ProvinceFunction } from './constructs/province-function.js';
import { denyPutsBut, pascal, ProvinceTables } from './constructs/tables.js';
import type { Province } from '../province/config/index.js';
import { authorizers, DELAYED_DELIVERY, queueDelaySeconds, type FunctionDecl, type FunctionName, functionEnvironment, functions, type ResourceNames, routes, rules, schedules, streams, type TableDecl, type TableName, tables as tableDecls } from '../province/wiring.js';

export interface ProvinceStackProps extends StackProps {
  province: Province;
  /** The built county console to deploy (default console/dist; without a build, a placeholder page). */
  consoleDist?: string;
}

/** Retries of an asynchronous invocation or rule delivery before the event goes to its DLQ. */
const ASYNC_RETRIES = 2;
const DELAYED_VISIBILITY = Duration.seconds(DELAYED_DELIVERY.visibilitySeconds);
const DELAYED_RECEIVES = DELAYED_DELIVERY.maxReceives;

/**
 * One province: tables, bus, functions, HTTP API, schedules and stream consumers, all built from
 * province/wiring.ts.
 */
export class ProvinceStack extends Stack {
  readonly functions: Record<FunctionName, ProvinceFunction>;

  constructor(scope: Construct, id: string, props: ProvinceStackProps) {
    super(scope, id, props);
    const { province } = props;
    const logRetention = province.logRetentionDays as RetentionDays;
    acknowledgeStackFindings(this);

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: the topic has a key of its own
    // whose policy lets CloudWatch (for this account only) use it, and a topic policy that lets it publish.
    const alarmKey = new Key(this, 'AlarmKey', { description: `Alarm topic of province ${province.id}`, enableKeyRotation: true });
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsUseTheKey',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const alarmTopic = new Topic(this, 'OperationsAlarms', {
      displayName: `County live commerce ${province.id}: alarms`,
      enforceSSL: true,
      masterKey: alarmKey,
    });
    alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );

    const tables = new ProvinceTables(this, 'Tables', { deletionProtection: province.deletionProtection }).byName;
    const bus = new EventBus(this, 'ProvinceBus', { description: `Domain events of province ${province.id}` });
    new EventSchemas(this, 'EventSchemas', { description: `Domain events of province ${province.id} (county live commerce)` });
    // created once the registry's writer exists (below); only the registry refers to them
    let channels: ProvinceChannels | undefined;
    // the WeChat Pay keys: created empty here (a random placeholder), filled by the province's IT
    // (README: Payments); only the functions that talk to WeChat Pay may read it
    const paymentSecret = new Secret(this, 'PaymentSecret', {
      description: `WeChat Pay API v3 keys of province ${province.id}: {"merchantSerialNo","merchantPrivateKey","apiV3Key","platformKeys":[{"serial","publicKey"}]}`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(paymentSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The WeChat Pay merchant key and APIv3 key are issued and rotated in the WeChat Pay merchant platform, not by Secrets Manager: the province IT puts the new keys in the secret (platform keys: two serials at once during a rotation).',
    });
    const names: ResourceNames = {
      table: (t) => tables[t].tableName,
      bus: bus.eventBusName,
      channel: (channelId) => channels!.byId[channelId]!,
      ivsChannelArnPrefix: ivsArn('channel/'),
      paymentSecretArn: paymentSecret.secretArn,
    };

    this.functions = Object.fromEntries(
      (Object.keys(functions) as FunctionName[]).map((name) => {
        const decl: FunctionDecl = functions[name];
        const environment = functionEnvironment(name, province, names);
        const fn = new ProvinceFunction(this, pascal(name), { decl, environment, tables, logRetention });
        if (decl.publishes) bus.grantPutEventsTo(fn.fn);
        if (decl.paymentSecret) fn.fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [paymentSecret.secretArn] }));
        // IVS grants that do not grow with the province: its account's channels (and stream keys) in its
        // region; the functions act only on channels in the province's registry
        const channelActions = (decl.ivs ?? []).filter((a) => a !== 'GetStreamKey' && a !== 'ListStreams').map((a) => `ivs:${a}`);
        if (channelActions.length) {
          fn.fn.addToRolePolicy(new PolicyStatement({ actions: channelActions, resources: [ivsArn('channel/*')] }));
          Validations.of(fn.fn).acknowledge({
            id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ivs:<AWS::Region>:<AWS::AccountId>:channel/*]',
            reason: `${channelActions.join(', ')} on the IVS channels of this account and region: listing each channel ARN outgrows IAM's policy size at about 90 channels; the function acts only on channels in the province's registry.`,
          });
        }
        if (decl.ivs?.includes('GetStreamKey')) {
          fn.fn.addToRolePolicy(new PolicyStatement({ actions: ['ivs:GetStreamKey'], resources: [ivsArn('stream-key/*')] }));
          Validations.of(fn.fn).acknowledge({
            id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ivs:<AWS::Region>:<AWS::AccountId>:stream-key/*]',
            reason: "ivs:GetStreamKey on the stream keys of this account and region (not each key's ARN, which outgrows IAM's policy size); only keys of channels in the province's registry are asked for, by an operator of the channel's county.",
          });
        }
        // ListStreams is a list action: IAM offers no resource to scope it to
        if (decl.ivs?.includes('ListStreams')) fn.fn.addToRolePolicy(new PolicyStatement({ actions: ['ivs:ListStreams'], resources: ['*'] }));
        return [name, fn];
      }),
    ) as Record<FunctionName, ProvinceFunction>;
    channels = new ProvinceChannels(this, 'Channels', { province, registrar: this.functions.registerChannels.fn });

    // the append-only tables: only the functions declared to append may add items
    for (const [tableName, decl] of Object.entries(tableDecls) as [TableName, TableDecl][]) {
      if (!decl.appendOnly) continue;
      const writers = (Object.keys(functions) as FunctionName[]).filter((f) => (functions[f] as FunctionDecl).tables[tableName] === 'append');
      denyPutsBut(tables[tableName], writers.map((f) => this.functions[f].fn.role!.roleArn));
    }

    // the HTTP API, in a nested stack of its own
    const operators = new OperatorAccounts(this, 'Operators', { province });
    const provinceApi = new ProvinceApi(this, 'Api', {
      province,
      functions: Object.fromEntries(Object.entries(this.functions).map(([name, f]) => [name, f.fn])) as Record<FunctionName, ProvinceFunction['fn']>,
      operators,
      logRetention,
      ...(props.consoleDist ? { consoleDist: props.consoleDist } : {}),
    });
    const api = provinceApi.api;

    const deadLetterQueues: IQueue[] = [];
    // Asynchronous consumers (schedules and event rules): rule DLQ + function DLQ, retries, alarms.
    const asyncTargets = [
      ...schedules.map((s) => ({ id: s.id, function: s.function, schedule: Schedule.expression(s.schedule), bus: undefined, pattern: undefined, description: s.description, holdSeconds: undefined })),
      ...rules.map((r) => ({ id: r.id, function: r.function, schedule: undefined, bus: r.bus, pattern: cdkPattern(r.pattern(province, names)), description: r.description, holdSeconds: r.holdSeconds?.(province) })),
    ];
    for (const target of asyncTargets) {
      const fn = this.functions[target.function].fn;
      const dlq = new DeadLetters(this, `${target.id}DeadLetters`, { purpose: target.description, alarmTopic });
      deadLetterQueues.push(dlq.queue);
      let ruleTarget;
      if (target.holdSeconds === undefined) {
        fn.configureAsyncInvoke({ retryAttempts: ASYNC_RETRIES, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(dlq.queue) });
        ruleTarget = new LambdaFunction(fn, { deadLetterQueue: dlq.queue, retryAttempts: ASYNC_RETRIES, maxEventAge: Duration.hours(6) });
      } else {
        // held back by the queue's delivery delay; a record the function answers as not finished
        // comes back after the visibility timeout, and after DELAYED_RECEIVES tries goes to the DLQ
        const delayed = new Queue(this, `${target.id}Delay`, {
          deliveryDelay: Duration.seconds(queueDelaySeconds(target.holdSeconds)),
          visibilityTimeout: DELAYED_VISIBILITY,
          retentionPeriod: Duration.days(4),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          deadLetterQueue: { queue: dlq.queue, maxReceiveCount: DELAYED_RECEIVES },
        });
        fn.addEventSource(new SqsEventSource(delayed, { batchSize: 10, maxBatchingWindow: Duration.seconds(5), reportBatchItemFailures: true }));
        // a message older than its hold and two visibility timeouts: the function is falling behind
        // (SQS leaves messages received three times or more out of this age; the DLQ alarm covers those)
        new Alarm(this, `${target.id}DelayAge`, {
          alarmDescription: `${target.id}: messages wait well past their delay; ${target.function} is falling behind (${target.description}).`,
          metric: delayed.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
          threshold: target.holdSeconds + 2 * DELAYED_VISIBILITY.toSeconds(),
          evaluationPeriods: 5,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }).addAlarmAction(new SnsAction(alarmTopic));
        ruleTarget = new SqsQueue(delayed, { deadLetterQueue: dlq.queue, retryAttempts: ASYNC_RETRIES, maxEventAge: Duration.hours(6) });
      }
      new Rule(this, `${target.id}Rule`, {
        description: target.description,
        schedule: target.schedule,
        eventPattern: target.pattern,
        eventBus: target.bus === 'province' ? bus : undefined,
        targets: [ruleTarget],
      });
    }

    // Stream consumers: the table streams are the outbox. A batch the relay keeps failing is kept
    // whole, records included, in a bucket (an SQS destination would keep only metadata, and the
    // stream only 24 h): `npm run replay -- --province <id>` hands it to the relay again.
    const failedBatches = new Bucket(this, 'FailedStreamBatches', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(failedBatches).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Only the stream consumers write here (the batches they kept failing) and only the replay command reads; access logs would need a bucket of their own for little.',
    });
    new CfnOutput(this, 'FailedStreamBatchesBucket', { value: failedBatches.bucketName, description: 'Stream batches the outbox relay kept failing: npm run replay -- --province <id>' });
    for (const s of streams) {
      const consumer = this.functions[s.function].fn;
      consumer.addEventSource(
        new DynamoEventSource(tables[s.table], {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: s.batchSize,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          retryAttempts: 50,
          maxRecordAge: Duration.hours(24),
          onFailure: putOnlyS3Destination(failedBatches),
          filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') }), FilterCriteria.filter({ eventName: FilterRule.isEqual('MODIFY') })],
          // with a window, Lambda names each batch's shard (consumers keeping a sequence number per shard)
          ...(s.tumblingWindowSeconds !== undefined ? { tumblingWindow: Duration.seconds(s.tumblingWindowSeconds) } : {}),
        }),
      );
    }
    for (const name of new Set(streams.map((s) => s.function))) {
      new Alarm(this, `${pascal(name)}IteratorAge`, {
        alarmDescription: `${name} is falling behind its table streams: ${name === 'publishDomainEvents' ? 'domain events are delayed' : "the control room's live figures lag"}.`,
        metric: this.functions[name].fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: 60_000,
        evaluationPeriods: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(alarmTopic));
    }

    // Settlement attempts that failed (each is retried, then marked FAILED for an operator to re-run).
    new Alarm(this, 'SettlementFailures', {
      alarmDescription: 'A settlement attempt failed: farmers are not being paid until it succeeds (see the settle-shows logs).',
      metric: new Metric({
        namespace: `CountyLive/${province.id}`,
        metricName: 'SettlementsFailed',
        dimensionsMap: { service: 'county-live' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(alarmTopic));

    // money that must go back to a buyer and did not (a late payment's refund), or a payment
    // notification that did not match its order: both need a person
    for (const [id, metricName, description] of [
      ['LatePaymentRefundFailures', 'LatePaymentRefundsFailed', "A payment arrived for an expired or cancelled order and its refund could not be made yet (WeChat Pay retries the notification; see the wechatPayNotify logs)."],
      ['PaymentMismatches', 'PaymentNotificationsMismatched', 'A verified WeChat Pay notification did not match its order (amount, merchant or unknown order): nothing was marked paid; see the wechatPayNotify logs.'],
      ['RefundFailures', 'RefundsNotSuccessful', "WeChat Pay could not send a refund back (ABNORMAL or CLOSED): the buyer's money needs a person (see the wechatPayNotify logs and the merchant platform)."],
      ['PayoutsOverdue', 'PayoutsOverdue', 'A payout is still not final 24 h after it was made (a bank batch line not answered, a transfer the farmer has not confirmed): GET /shows/{showId}/payouts.'],
      ['PayoutFailures', 'PayoutsFailed', "A seller's payout failed (payee details, real name, or the bank refused): correct the payee and retry it (POST /payouts/{payoutId}/retry)."],
      ['ReconciliationMismatches', 'ReconciliationMismatches', "A day's reconciliation found WeChat Pay's bills and the books apart (money taken or sent that the books do not show, or amounts that differ): GET /reconciliation/{date}."],
    ] as const) {
      new Alarm(this, id, {
        alarmDescription: description,
        metric: new Metric({ namespace: `CountyLive/${province.id}`, metricName, dimensionsMap: { service: 'county-live' }, statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(alarmTopic));
    }
    new CfnOutput(this, 'PaymentSecretArn', { value: paymentSecret.secretArn, description: 'Secrets Manager secret to fill with the WeChat Pay keys (README: Payments)' });

    const dashboard = new OperationsDashboard(this, 'Operations', {
      provinceId: province.id,
      api,
      functions: Object.fromEntries(Object.entries(this.functions).map(([name, f]) => [name, f.fn])),
      deadLetterQueues,
      alarmTopic,
    });

    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboard.dashboardName, description: 'CloudWatch dashboard of the province' });
    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint, description: 'Base URL of the province API' });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName, description: 'Province bus carrying the domain events' });
    new CfnOutput(this, 'ConsoleUrl', { value: provinceApi.console.url, description: 'The county console (CloudFront; it also serves the API on its own origin)' });
    new CfnOutput(this, 'OperatorUserPoolId', { value: operators.userPool.userPoolId, description: 'Cognito user pool of county operators' });
    new CfnOutput(this, 'OperatorClientId', { value: operators.client.userPoolClientId, description: 'App client operators sign in with (no secret)' });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn, description: 'Subscribe the on-call address here' });
  }
}

/**
 * Lambda's S3 on-failure destination for a stream source, granting the function only what
 * writing a failed batch takes (s3:PutObject on the bucket's objects), not read-write.
 */
function putOnlyS3Destination(bucket: Bucket): IEventSourceDlq {
  return {
    bind: (_mapping, handler) => {
      handler.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')] }));
      Validations.of(handler).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
        reason: 'Lambda names each failed batch object itself: the relay may put objects, and only put, anywhere in its failed-batches bucket.',
      });
      return { destination: bucket.bucketArn };
    },
  };
}

/** An IVS ARN in the stack's account and region: `arn:<partition>:ivs:<region>:<account>:<resource>`. */
function ivsArn(resource: string): string {
  return `arn:${Aws.PARTITION}:ivs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}

/** EventBridge pattern keys (as in the wiring and the docs) → the CDK's EventPattern keys. */
function cdkPattern(pattern: Record<string, unknown>): EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType ? { detailType } : {}) } as EventPattern;
}
