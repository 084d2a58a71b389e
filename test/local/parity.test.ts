/**
 * Parity: the synthesized province stack and the local province are wired from the same
 * declaration. Every API route, event rule (pattern and target), schedule, stream consumer, table
 * (keys and indexes) and function environment variable of the template exists in the local
 * province, and nothing more — checked both ways.
 */
import { App, NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { pascal } from '../../lib/constructs/tables.js';
import { ProvinceStack } from '../../lib/province-stack.js';
import { loadProvince } from '../../province/config/index.js';
import { type FunctionName, functions, type ResourceNames, type TableName, tables } from '../../province/wiring.js';
import { localChannelResources } from '../../local/ivs.js';
import { LOCAL_ACCOUNT } from '../../local/lambda.js';
import { type LocalPlan, localPaymentSecretArn, planLocalProvince } from '../../local/plan.js';

type Resource = { Type: string; Properties: Record<string, any> };
const province = loadProvince('hunan');
let resources: Record<string, Resource>;
let apiResources: Record<string, Resource>;
let plan: LocalPlan;

const tableNames = Object.fromEntries(Object.keys(tables).map((t) => [t, `county-live-hunan-${t}`])) as Record<TableName, string>;
const names: ResourceNames = {
  table: (t) => tableNames[t],
  bus: 'county-live-hunan-bus',
  channel: (id) => localChannelResources(province.region, LOCAL_ACCOUNT, id, 'http://127.0.0.1:3000'),
  ivsChannelArnPrefix: `arn:aws:ivs:${province.region}:${LOCAL_ACCOUNT}:channel/`,
  paymentSecretArn: localPaymentSecretArn(province.region, LOCAL_ACCOUNT, province.id),
};

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const fnByLogicalId = (id: string): FunctionName => {
  const name = (Object.keys(functions) as FunctionName[]).find((f) => new RegExp(`^${pascal(f)}Fn[0-9A-F]{8}$`).test(id));
  if (!name) throw new Error(`no declared function for ${id}`);
  return name;
};
const tableByLogicalId = (id: string): TableName => (Object.keys(tables) as TableName[]).find((t) => new RegExp(`^Tables${pascal(t)}[0-9A-F]{8}$`).test(id))!;
const channelIdOf = (logicalId: string) => {
  const name = resources[logicalId]!.Properties.Name as string;
  return name.slice(`${province.id}-`.length);
};
/** Channel ARNs (CloudFormation references or local ARNs) → `channel:<id>`. */
const normalizePattern = (pattern: any): any =>
  JSON.parse(JSON.stringify(pattern), (_k, v) => {
    if (v && typeof v === 'object' && Array.isArray(v['Fn::GetAtt'])) return `channel:${channelIdOf(v['Fn::GetAtt'][0])}`;
    // the account's channels in the province's region: arn:<partition>:ivs:<region>:<account>:channel/
    const joined = v && typeof v === 'object' && Array.isArray(v['Fn::Join']) ? (v['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : '<ref>')).join('') : undefined;
    if (joined === 'arn:<ref>:ivs:<ref>:<ref>:channel/') return 'ivs-channels-of-the-account-and-region';
    if (typeof v === 'string' && /^arn:aws:ivs:[a-z0-9-]+:\d{12}:channel\/$/.test(v)) return 'ivs-channels-of-the-account-and-region';
    if (typeof v === 'string' && /^arn:aws:ivs:.*:channel\//.test(v)) return `channel:${v.split('/').pop()}`;
    return v;
  });
const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ProvinceStack(app, 'CountyLive-hunan', { province, env: { region: province.region } });
  resources = Template.fromStack(stack).toJSON().Resources;
  apiResources = Template.fromStack(stack.node.findChild('Api') as NestedStack).toJSON().Resources;
  plan = planLocalProvince(province, names, tableNames);
});

describe('stack ↔ local province parity', () => {
  it('API routes and the function behind each', () => {
    // the API is a nested stack: its integrations name the functions through the parameters the province stack passes it
    const apiStack = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::CloudFormation::Stack' && id.startsWith('ApiNestedStack'))![1];
    const parameters = apiStack.Properties.Parameters as Record<string, { 'Fn::GetAtt': [string, string] }>;
    const apiOfType = (type: string) => Object.entries(apiResources).filter(([, r]) => r.Type === type);
    const integrations = Object.fromEntries(apiOfType('AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, fnByLogicalId(parameters[r.Properties.IntegrationUri.Ref]!['Fn::GetAtt'][0])]));
    const cloud = apiOfType('AWS::ApiGatewayV2::Route').map(([, r]) => ({
      routeKey: r.Properties.RouteKey,
      function: integrations[r.Properties.Target['Fn::Join'][1][1].Ref],
    }));
    expect(sorted(cloud)).toEqual(sorted(plan.routes.map(({ routeKey, function: f }) => ({ routeKey, function: f }))));
  });

  it('event rules: bus, pattern, target, and a delayed rule\'s delay and redelivery; schedules: expression and target', () => {
    // a delayed rule's target is a queue: its delivery delay, and the function its event source mapping feeds
    const throughQueue = (queueId: string) => {
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt']?.[0] === queueId)![1];
      const queue = resources[queueId]!.Properties;
      return { function: fnByLogicalId(mapping.Properties.FunctionName.Ref), delayMs: queue.DelaySeconds * 1000, queue: { visibilityMs: queue.VisibilityTimeout * 1000, maxReceives: queue.RedrivePolicy.maxReceiveCount } };
    };
    const cloudRules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern).map(([, r]) => {
      const targetId = r.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
      return {
        bus: r.Properties.EventBusName ? names.bus : 'default',
        pattern: normalizePattern(r.Properties.EventPattern),
        ...(resources[targetId]!.Type === 'AWS::SQS::Queue' ? throughQueue(targetId) : { function: fnByLogicalId(targetId) }),
      };
    });
    const localRules = plan.rules.map((r) => ({ bus: r.bus, pattern: normalizePattern(r.pattern), function: r.function, ...(r.delayMs ? { delayMs: r.delayMs, queue: r.queue } : {}) }));
    expect(localRules.find((r) => r.function === 'expireReservations')).toMatchObject({ delayMs: 900_000 });
    expect(sorted(cloudRules)).toEqual(sorted(localRules));
    expect(localRules.find((r) => r.function === 'onStreamEvent')!.pattern.resources).toEqual([{ prefix: 'ivs-channels-of-the-account-and-region' }]);

    const cloudSchedules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.ScheduleExpression).map(([, r]) => ({
      expression: r.Properties.ScheduleExpression,
      function: fnByLogicalId(r.Properties.Targets[0].Arn['Fn::GetAtt'][0]),
    }));
    expect(sorted(cloudSchedules)).toEqual(sorted(plan.schedules.map(({ expression, function: f }) => ({ expression, function: f }))));
  });

  it('stream consumers', () => {
    const cloud = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => tableByLogicalId(m.Properties.EventSourceArn['Fn::GetAtt'][0])).map(([, m]) => ({
      table: tableByLogicalId(m.Properties.EventSourceArn['Fn::GetAtt'][0]),
      function: fnByLogicalId(m.Properties.FunctionName.Ref),
      batchSize: m.Properties.BatchSize,
      tumblingWindowSeconds: m.Properties.TumblingWindowInSeconds,
    }));
    expect(sorted(cloud)).toEqual(sorted(plan.streams.map(({ table, function: f, batchSize, tumblingWindowSeconds }) => ({ table, function: f, batchSize, tumblingWindowSeconds }))));
  });

  it('tables: keys, attribute types, indexes, streams and TTL', () => {
    const cloud = ofType('AWS::DynamoDB::GlobalTable').map(([id, t]) => ({
      table: tableByLogicalId(id),
      keys: t.Properties.KeySchema,
      attributes: sorted(t.Properties.AttributeDefinitions),
      indexes: sorted((t.Properties.GlobalSecondaryIndexes ?? []).map((i: any) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection.ProjectionType }))),
      stream: t.Properties.StreamSpecification?.StreamViewType,
      ttl: t.Properties.TimeToLiveSpecification?.AttributeName,
    }));
    const local = plan.tables.map(({ table, input, ttlAttribute }) => ({
      table,
      keys: input.KeySchema,
      attributes: sorted(input.AttributeDefinitions!),
      indexes: sorted((input.GlobalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection!.ProjectionType }))),
      stream: input.StreamSpecification?.StreamViewType,
      ttl: ttlAttribute,
    }));
    expect(sorted(cloud)).toEqual(sorted(local));
  });

  it('every function: the same environment variable names, and the same literal values', () => {
    const cloud = Object.fromEntries(ofType('AWS::Lambda::Function').map(([id, f]) => [fnByLogicalId(id), f.Properties.Environment.Variables as Record<string, unknown>]));
    expect(Object.keys(cloud).sort()).toEqual(Object.keys(plan.environments).sort());
    for (const [fn, env] of Object.entries(plan.environments)) {
      expect(Object.keys(cloud[fn]!).sort(), fn).toEqual(Object.keys(env).sort());
      for (const [k, v] of Object.entries(cloud[fn]!)) if (typeof v === 'string') expect(env[k], `${fn} ${k}`).toBe(v);
    }
  });
});
