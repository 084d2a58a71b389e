/** The environment the benchmarks give the handlers: the wiring's, pointed at DynamoDB Local. */
import { loadProvince } from '../lib/provinces/index.js';
import { type FunctionName, functionEnvironment, functions, type TableName } from '../lib/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.js';
import { localChannelResources } from '../local/ivs.js';

export function benchEnvironment(endpoint: string, prefix: string): Record<string, string> {
  const province = loadProvince('hunan');
  const names = {
    table: (t: TableName) => `${prefix}-${t}`,
    bus: 'bench-bus',
    channel: (id: string) => localChannelResources(province.region, '000000000000', id, 'http://127.0.0.1:1'),
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
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
  );
}
