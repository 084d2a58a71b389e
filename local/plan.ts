/** What the local province creates and wires, derived from province/wiring.ts as the CDK stack derives its resources. */
import { randomBytes } from 'node:crypto';
import type { Province } from '../province/config/index.js';
import {
  type ChannelResources,
  type FunctionName,
  functionEnvironment,
  functions,
  type ResourceNames,
  routes,
  DELAYED_DELIVERY,
  queueDelaySeconds,
  rules,
  schedules,
  streams,
  type TableDecl,
  type TableName,
  tables,
} from '../province/wiring.js';
import { createTableInput } from './dynamodb-local.js';
import { type LocalChannel, localChannelResources } from './ivs.js';
import { LOCAL_ACCOUNT } from './lambda.js';

/** The IVS stand-in's channels of a province: each with a local stream key and the resources `resourcesOf` gives it. */
export function localChannels(province: Province, resourcesOf: (channelId: string) => ChannelResources): LocalChannel[] {
  return province.counties.flatMap((county) =>
    county.channels.map((c) => ({
      channelId: c.id,
      countyId: county.id,
      name: `${province.id}-${c.id}`,
      type: c.type,
      latencyMode: c.latencyMode,
      streamKey: `sk_${province.region}_${randomBytes(18).toString('base64url')}`,
      ...resourcesOf(c.id),
    })),
  );
}

/** The local province's payment secret (served by the Secrets Manager stand-in). */
export const localPaymentSecretArn = (region: string, account: string, provinceId: string) => `arn:aws:secretsmanager:${region}:${account}:secret:county-live-${provinceId}-payment-Lc4l5e`;

/** The local names of the province's tables and bus, and its channels (with a local stream key each). */
export function localResources(province: Province, url: string) {
  const tableNames = Object.fromEntries((Object.keys(tables) as TableName[]).map((t) => [t, `county-live-${province.id}-${t}`])) as Record<TableName, string>;
  const busName = `county-live-${province.id}-bus`;
  const channels = localChannels(province, (id) => localChannelResources(province.region, LOCAL_ACCOUNT, id, url));
  const names: ResourceNames = {
    table: (t) => tableNames[t],
    bus: busName,
    channel: (id) => {
      const c = channels.find((x) => x.channelId === id)!;
      return { arn: c.arn, playbackUrl: c.playbackUrl, ingestEndpoint: c.ingestEndpoint, streamKeyArn: c.streamKeyArn };
    },
    ivsChannelArnPrefix: `arn:aws:ivs:${province.region}:${LOCAL_ACCOUNT}:channel/`,
    paymentSecretArn: localPaymentSecretArn(province.region, LOCAL_ACCOUNT, province.id),
  };
  return { tableNames, busName, channels, names };
}

/**
 * What the local province wires, derived from province/wiring.ts exactly as the stack derives its
 * resources. The parity test compares this plan with the synthesized template, both ways.
 */
export function planLocalProvince(province: Province, names: ResourceNames, tableNames: Record<TableName, string>) {
  return {
    routes: routes.map((r) => ({ routeKey: `${r.method} ${r.path}`, path: r.path, method: r.method, function: r.function, audience: r.audience })),
    rules: rules.map((r) => ({ id: r.id, bus: r.bus === 'default' ? 'default' : names.bus, pattern: r.pattern(province, names), function: r.function, ...(r.holdSeconds ? { delayMs: queueDelaySeconds(r.holdSeconds(province)) * 1000, queue: { visibilityMs: DELAYED_DELIVERY.visibilitySeconds * 1000, maxReceives: DELAYED_DELIVERY.maxReceives } } : {}) })),
    schedules: schedules.map((s) => ({ id: s.id, expression: s.schedule, function: s.function })),
    streams: streams.map((s) => ({ table: s.table, tableName: tableNames[s.table], batchSize: s.batchSize, function: s.function, tumblingWindowSeconds: s.tumblingWindowSeconds })),
    tables: (Object.entries(tables) as [TableName, TableDecl][]).map(([t, decl]) => ({ table: t, input: createTableInput(decl, tableNames[t]), ttlAttribute: decl.ttlAttribute })),
    environments: Object.fromEntries((Object.keys(functions) as FunctionName[]).map((fn) => [fn, functionEnvironment(fn, province, names)])) as Record<FunctionName, Record<string, string>>,
  };
}
export type LocalPlan = ReturnType<typeof planLocalProvince>;

