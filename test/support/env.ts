/**
 * Runs in each test worker before the test files are imported: points the real AWS SDK clients
 * at DynamoDB Local and at this worker's IVS stand-in, and gives handlers the environment the
 * wiring declares for them, for a test province: Hunan, plus channels of this worker's own,
 * registered in the province's channel registry as the stack registers them at deploy.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, inject, vi } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { localChannels } from '../../local/plan.js';
import { parseProvince, provinceInputs } from '../../province/config/index.js';
import { type FunctionName, functionEnvironment, functions, rules, type TableName, tables } from '../../province/wiring.js';
import { lambdaContext } from './http.js';
import { isolateEnvironments } from '../../local/iam.js';
import { enforceIamInTests, runHandlersAsTheirFunctions, TEST_PAYMENT_SECRET_ARN } from './iam.js';
import { startTestIvs } from './ivs.js';
import { startTestWechatPay } from './wechatpay.js';

const ACCOUNT = '123456789012';
const tableEnv = inject('tableEnv');

/** Stand-in channel resources: what CloudFormation would give the stack for each county channel. */
export const testChannel = (channelId: string) => ({
  arn: `arn:aws:ivs:ap-northeast-1:${ACCOUNT}:channel/${channelId}`, // testChannelArnPrefix + channelId
  playbackUrl: `https://playback.example.live-video.net/api/video/v1/${channelId}.m3u8`,
  ingestEndpoint: `${channelId}.global-contribute.live-video.net`,
  streamKeyArn: `arn:aws:ivs:ap-northeast-1:${ACCOUNT}:stream-key/${channelId}`,
});

/**
 * IVS runs one stream per channel, and the lifecycle rightly attaches a new stream on a channel
 * to the LIVE show already on it. Test files share tables and run at once, so every show a
 * fixture creates gets a channel of its own (fixtures.ts, scheduledShow): a pool of channels in
 * county Chengbu whose ids are unique to this worker process (its pid, and a random tag in case
 * a pid comes round again). 'chengbu-main' stays for the tests that name it.
 * The most shows the fixtures create in one file is 11 (sale-gate.test.ts).
 */
const POOL_SIZE = 12;
const workerTag = `p${process.pid}-${randomBytes(2).toString('hex')}`;
export const channelPool: readonly string[] = Array.from({ length: POOL_SIZE }, (_, i) => `chengbu-${workerTag}-${i + 1}`);

const hunan = provinceInputs.hunan!;
/** Hunan, with this worker's channel pool in Chengbu. */
export const testProvince = parseProvince({
  ...hunan,
  counties: hunan.counties.map((county) =>
    county.id === 'chengbu'
      ? { ...county, channels: [...county.channels, ...channelPool.map((id, i) => ({ id, name: `Chengbu test room ${i + 1} (${workerTag})` }))] }
      : county,
  ),
});

/** Every channel ARN of the test account and region begins so. */
export const testChannelArnPrefix = `arn:aws:ivs:ap-northeast-1:${ACCOUNT}:channel/`;

const names = {
  table: (t: TableName) => tableEnv[tables[t].env]!,
  bus: 'test-province-bus',
  channel: testChannel,
  ivsChannelArnPrefix: testChannelArnPrefix,
  paymentSecretArn: TEST_PAYMENT_SECRET_ARN,
};

/** The stand-in's channels: the test province's, with the same resources (ARNs) the functions know. */
const channels = localChannels(testProvince, names.channel);

const streamEventRule = rules.find((r) => r.function === 'onStreamEvent')!;
const ivs = await startTestIvs({ channels, rulePattern: streamEventRule.pattern(testProvince, names), region: testProvince.region, account: ACCOUNT });

/** The province's WeChat Pay merchant account (the stand-in), and its keys in the payment secret. */
export const testWechatPay = await startTestWechatPay({ ...testProvince.wechatPay, secretArn: TEST_PAYMENT_SECRET_ARN });

Object.assign(
  process.env,
  ...(Object.keys(functions) as FunctionName[]).map((fn) => functionEnvironment(fn, testProvince, names)),
  {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    // handlers create their IVS client when imported: this is set before any handler is
    AWS_ENDPOINT_URL_IVS: ivs.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: testWechatPay.secretsUrl,
    WECHATPAY_API_URL: testWechatPay.apiUrl,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  },
);

/**
 * The province's channel registry (the channels table of the current tables) holds the test
 * province's channels, written as at deploy: the registerChannels custom resource, Create.
 * Run here for the shared tables, and by useOwnTables for a file's own.
 */
export async function registerTestChannels(): Promise<void> {
  const { handler } = await import('../../functions/registry/register-channels.js');
  const Channels = channels.map(({ channelId, countyId, arn, playbackUrl, ingestEndpoint, streamKeyArn }) => ({ channelId, countyId, arn, playbackUrl, ingestEndpoint, streamKeyArn }));
  const result = await handler(
    {
      RequestType: 'Create', ServiceToken: 'test', ResponseURL: '', StackId: 'test-province', RequestId: randomUUID(),
      LogicalResourceId: 'TestChannelRegistry', ResourceType: 'Custom::ChannelRegistration',
      ResourceProperties: { ServiceToken: 'test', Registration: `test-${workerTag}`, Channels },
    },
    lambdaContext('register-channels'),
  );
  if (result.written !== Channels.length) throw new Error(`the channel registry took ${result.written} of ${Channels.length} channels`);
}
await registerTestChannels();

// from here on, every AWS call a function makes in a test is checked against its IAM policies, and
// a function running in a test sees only the environment variables the wiring declares for it
enforceIamInTests();
runHandlersAsTheirFunctions((path, factory) => vi.doMock(path, factory));
const declaredEnvironments = Object.fromEntries((Object.keys(functions) as FunctionName[]).map((fn) => [fn, functionEnvironment(fn, testProvince, names)])) as Record<FunctionName, Record<string, string>>;
isolateEnvironments(() => declaredEnvironments);

// every IVS event a test caused has been handled before the next test starts
afterEach(() => ivs.settled());
afterEach(() => testWechatPay.settled());
afterAll(() => ivs.stop());
afterAll(() => testWechatPay.stop());
