/**
 * Runs in each test worker before the test files are imported: points the real AWS SDK clients
 * at DynamoDB Local and gives handlers the environment the wiring declares for them.
 */
import { inject } from 'vitest';
import { loadProvince } from '../../province/config/index.js';
import { type FunctionName, functionEnvironment, functions, tables } from '../../province/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';

const tableEnv = inject('tableEnv');
const province = loadProvince('hunan');
/** Stand-in channel resources: what CloudFormation would give the stack for each county channel. */
export const testChannel = (channelId: string) => ({
  arn: `arn:aws:ivs:ap-northeast-1:123456789012:channel/${channelId}`,
  playbackUrl: `https://playback.example.live-video.net/api/video/v1/${channelId}.m3u8`,
  ingestEndpoint: `${channelId}.global-contribute.live-video.net`,
  streamKeyArn: `arn:aws:ivs:ap-northeast-1:123456789012:stream-key/${channelId}`,
});
const names = { table: (t: keyof typeof tables) => tableEnv[tables[t].env]!, bus: 'test-province-bus', channel: testChannel };

Object.assign(
  process.env,
  ...(Object.keys(functions) as FunctionName[]).map((fn) => functionEnvironment(fn, province, names)),
  {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    // IVS has no local form here: tests mock it; anything unmocked fails fast instead of going out
    AWS_ENDPOINT_URL_IVS: 'http://127.0.0.1:9',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_TRACE_ENABLED: 'false',
  },
);
