/**
 * Runs in each test worker before the test files are imported: points the real AWS SDK clients
 * at DynamoDB Local and gives handlers the environment the wiring declares for them.
 */
import { inject } from 'vitest';
import { loadProvince } from '../../lib/provinces/index.js';
import { type FunctionName, functionEnvironment, functions, tables } from '../../lib/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';

const tableEnv = inject('tableEnv');
const province = loadProvince('hunan');
const names = { table: (t: keyof typeof tables) => tableEnv[tables[t].env]!, bus: 'test-province-bus' };

Object.assign(
  process.env,
  ...(Object.keys(functions) as FunctionName[]).map((fn) => functionEnvironment(fn, province, names)),
  {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_TRACE_ENABLED: 'false',
  },
);
