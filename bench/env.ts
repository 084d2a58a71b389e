/** The environment the benchmarks give the handlers: the wiring's, pointed at DynamoDB Local. */
import { parseProvince, provinceInputs } from '../province/config/index.js';
import { type FunctionName, functionEnvironment, functions, type TableName } from '../province/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.js';
import { localChannelResources } from '../local/ivs.js';

/** Hunan, with a channel in Chengbu for each show a benchmark runs (one live show per channel, as in IVS). */
export const BENCH_CHANNELS = Array.from({ length: 8 }, (_, i) => `chengbu-bench-${i}`);
export const benchProvince = () => {
  const hunan = provinceInputs.hunan!;
  return parseProvince({
    ...hunan,
    counties: hunan.counties.map((c) => (c.id === 'chengbu' ? { ...c, channels: [...c.channels, ...BENCH_CHANNELS.map((id) => ({ id, name: id }))] } : c)),
  });
};

export function benchEnvironment(endpoint: string, prefix: string): Record<string, string> {
  const province = benchProvince();
  const names = {
    table: (t: TableName) => `${prefix}-${t}`,
    bus: 'bench-bus',
    channel: (id: string) => localChannelResources(province.region, '000000000000', id, 'http://127.0.0.1:1'),
    ivsChannelArnPrefix: `arn:aws:ivs:${province.region}:000000000000:channel/`,
    paymentSecretArn: `arn:aws:secretsmanager:${province.region}:000000000000:secret:bench-payment`,
  };
  return Object.assign(
    {},
    ...(Object.keys(functions) as FunctionName[]).map((fn) => functionEnvironment(fn, province, names)),
    {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  );
}
