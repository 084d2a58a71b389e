/**
 * The offline province: the whole system on one machine, from the same wiring declaration as
 * the CDK stack. DynamoDB Local (the real one), the HTTP API served by the real handlers with
 * API Gateway v2 events, a local EventBridge (rules, schedules, PutEvents endpoint), an IVS
 * stand-in, and the table streams feeding the outbox relay.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { loadProvince, type Province } from '../province/config/index.js';
import type { FunctionName, TableName } from '../province/wiring.js';
import { apiGateway, apiRequest, jsonReply, MAX_BODY_BYTES, readBody } from './api-gateway.js';
import { LocalIdentityProvider } from './auth.js';
import { installClock } from './clock.js';
import { localControls } from './control.js';
import { LocalOidc } from './oidc.js';
import { consoleConfig, serveConsole } from './console.js';
import { issueLocalCredentials, type LocalCredentials } from './credentials.js';
import { ensureTables, LOCAL_CREDENTIALS, startDynamoDbLocal } from './dynamodb-local.js';
import { type BusEnvelope, LocalEventBus } from './event-bus.js';
import { IvsStandIn, type LocalChannel } from './ivs.js';
import { LOCAL_ACCOUNT, loadFunctions, ROOT } from './lambda.js';
import { enforceIam, IAM_POLICIES, type IamPolicies, iamModel, isolateEnvironments } from './iam.js';
import { localResources, planLocalProvince } from './plan.js';
import { closeServer, listen } from './servers.js';
import { replayFailedBatches } from './replay.js';
import { pollStream, type StreamPoller } from './streams.js';
import { CLOCK_SAVE_MS, ProvinceJournal } from './journal.js';
import { SecretsManagerStandIn } from './secrets-manager.js';
import { WechatPayStandIn } from './wechatpay.js';

/** How many times the outbox relay may fail a stream batch locally before the batch is kept aside (Lambda: retryAttempts). */
const FAILED_BATCH_ATTEMPTS = 5;

export type { LocalCredentials } from './credentials.js';
export { LocalProvinceError } from './servers.js';


export interface LocalProvinceOptions {
  provinceId?: string;
  /** A province given whole (e.g. generatedProvince(122)) instead of one of province/config by id. */
  province?: Province;
  port?: number;
  host?: string;
  /**
   * Persist DynamoDB Local here, with what the province needs to resume (stream positions, the
   * bus log and owed deliveries, the clock); in memory when absent.
   */
  dataPath?: string;
  clockSpeed?: number;
  /** Where province.json and the dead-letter log go. */
  stateDir?: string;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface LocalProvince {
  url: string;
  credentials: LocalCredentials;
  province: Province;
  bus: LocalEventBus;
  /** AWS calls IAM refused (what the template does not grant). */
  iamRefused: { function: string; action: string; resource: string }[];
  ivs: IvsStandIn;
  /** The WeChat Pay stand-in: the province's merchant account offline. */
  wechatPay: WechatPayStandIn;
  channels: LocalChannel[];
  dynamoEndpoint: string;
  tableNames: Record<TableName, string>;
  busName: string;
  environment: Record<string, string>;
  stop(): Promise<void>;
}

export async function startLocalProvince(options: LocalProvinceOptions = {}): Promise<LocalProvince> {
  const province = options.province ?? loadProvince(options.provinceId ?? 'hunan');
  const host = options.host ?? '127.0.0.1';
  const journal = options.dataPath ? new ProvinceJournal(options.dataPath) : undefined;
  const clock = installClock(options.clockSpeed ?? 1, journal?.resumeClockAt());
  const log = options.log ?? (() => undefined);
  const stateDir = options.stateDir ?? join(ROOT, '.local');
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    // The API port first: a busy port is the likeliest mistake, report it before anything starts.
    const api = createServer();
    const port = await listen(api, options.port ?? 3000, host, 'API');
    cleanups.push(() => closeServer(api));
    if (journal) {
      const saveClock = () => journal.saveClock(Date.now(), clock.speed);
      const clockSaver = setInterval(saveClock, CLOCK_SAVE_MS);
      cleanups.push(() => { clearInterval(clockSaver); saveClock(); });
    }
    const url = `http://${host}:${port}`;

    const db = await startDynamoDbLocal({ dataPath: options.dataPath });
    cleanups.push(() => db.stop());

    const { tableNames, busName, channels, names } = localResources(province, url);
    await ensureTables(db.endpoint, (t) => tableNames[t]);

    // Internal endpoints: the bus and IVS, each on a free port of its own.
    const busServer = createServer();
    const ivsServer = createServer();
    const payServer = createServer();
    const secretsServer = createServer();
    const busPort = await listen(busServer, 0, host, 'event bus');
    const ivsPort = await listen(ivsServer, 0, host, 'IVS stand-in');
    const payPort = await listen(payServer, 0, host, 'WeChat Pay stand-in');
    const secretsPort = await listen(secretsServer, 0, host, 'Secrets Manager stand-in');
    for (const server of [busServer, ivsServer, payServer, secretsServer]) cleanups.push(() => closeServer(server));

    // the province's WeChat Pay merchant account, and its keys in the payment secret
    const wechatPay = new WechatPayStandIn(province.wechatPay, {
      real: (ms) => clock.real(ms),
      ...(journal ? { store: { load: () => journal.wechatPay(), saveKeys: (k) => journal.saveWechatPayKeys(k), saveTrade: (t) => journal.saveWechatPayTrade(t), saveTransfer: (t) => journal.saveWechatPayTransfer(t) } } : {}),
    });
    cleanups.push(() => wechatPay.stop());
    const secrets = new SecretsManagerStandIn();
    secrets.put(names.paymentSecretArn, () => wechatPay.secret());
    payServer.on('request', async (req, res) => wechatPay.handleHttp(req, res, (await readBody(req, MAX_BODY_BYTES)) ?? ''));
    secretsServer.on('request', async (req, res) => secrets.handleHttp(req, res, (await readBody(req, MAX_BODY_BYTES)) ?? ''));

    const plan = planLocalProvince(province, names, tableNames);
    // The environment every function gets in the cloud, plus endpoint overrides. Set before any handler loads.
    const environment: Record<string, string> = Object.assign({}, ...Object.values(plan.environments));
    Object.assign(process.env, environment, {
      AWS_REGION: province.region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://${host}:${busPort}`,
      AWS_ENDPOINT_URL_IVS: `http://${host}:${ivsPort}`,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://${host}:${secretsPort}`,
      WECHATPAY_API_URL: `http://${host}:${payPort}`,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });

    // IAM as the template grants it: every AWS call a function makes is checked against its role
    const localNames = { region: province.region, account: LOCAL_ACCOUNT, table: (t: TableName) => tableNames[t], bus: busName, paymentSecretArn: names.paymentSecretArn };
    const iam = enforceIam(iamModel(JSON.parse(readFileSync(IAM_POLICIES, 'utf8')) as IamPolicies, localNames), localNames);
    cleanups.push(() => iam.uninstall());
    cleanups.push(isolateEnvironments(() => plan.environments));
    const invoke = await loadFunctions(`county-live-${province.id}`);
    /**
     * A delayed rule's target as its queue hands it to the function: an SQS batch of one record
     * whose body is the event. A record the function answers as not finished is delivered again
     * (the bus's retries), as the queue would after its visibility timeout.
     */
    const fromQueue = async (fn: FunctionName, e: BusEnvelope) => {
      const record = { messageId: randomUUID(), receiptHandle: randomUUID(), body: JSON.stringify(e), attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: `arn:aws:sqs:${province.region}:${LOCAL_ACCOUNT}:${fn}`, awsRegion: province.region };
      const answer = (await invoke(fn, { Records: [record] })) as { batchItemFailures?: unknown[] } | undefined;
      if (answer?.batchItemFailures?.length) throw new Error(`${fn} has not finished the record yet: delivered again`);
    };
    // the channel registry, filled as the stack's custom resources fill it at deploy
    await invoke('registerChannels', {
      RequestType: 'Create',
      LogicalResourceId: 'LocalChannelRegistry',
      ResourceProperties: {
        Registration: `${province.id}-local`,
        Channels: channels.map(({ channelId, countyId, arn, playbackUrl, ingestEndpoint, streamKeyArn }) => ({ channelId, countyId, arn, playbackUrl, ingestEndpoint, streamKeyArn })),
      },
    });

    const bus = new LocalEventBus({
      clock,
      region: province.region,
      account: LOCAL_ACCOUNT,
      deadLetterFile: join(stateDir, 'dead-letters.jsonl'),
      journal,
      onError: (message, details) => log(message, details),
      rules: plan.rules.map((r) => ({ ...r, target: (e: BusEnvelope) => (r.delayMs ? fromQueue(r.function, e) : invoke(r.function, e)) })),
      schedules: plan.schedules.map((s) => ({ ...s, target: (e: BusEnvelope) => invoke(s.function, e) })),
    });
    bus.start();
    cleanups.push(() => bus.stop());
    const busNames = { default: 'default', [busName]: busName };

    const ivs = new IvsStandIn(channels, (e) => bus.put('default', bus.envelope(e)));
    busServer.on('request', async (req, res) => bus.handleHttp(req, res, (await readBody(req, MAX_BODY_BYTES)) ?? '', busNames));
    ivsServer.on('request', async (req, res) => ivs.handleHttp(req, res, (await readBody(req, MAX_BODY_BYTES)) ?? ''));

    // a table's first consumer (the outbox relay) keeps the table's name for its read positions, kept batches and state; another is named after its function too
    const consumerName = (s: (typeof plan.streams)[number]) => (plan.streams.find((o) => o.table === s.table) === s ? s.tableName : `${s.tableName}.${s.function}`);
    const pollers: (StreamPoller & { table: string })[] = plan.streams.map((s) => Object.assign(
      pollStream({
        endpoint: db.endpoint,
        region: province.region,
        credentials: LOCAL_CREDENTIALS,
        tableName: s.tableName,
        batchSize: s.batchSize,
        consume: (event) => invoke(s.function, event),
        ...(s.tumblingWindowSeconds !== undefined ? { tumblingWindowSeconds: s.tumblingWindowSeconds } : {}),
        onError: (error) => log(`reading the ${s.table} table's stream failed (is DynamoDB Local still running at ${db.endpoint}?); retrying with backoff up to 5 s`, { table: s.table, error: String((error as Error).message ?? error) }),
        onRecovered: () => log(`the ${s.table} table's stream is read again`),
        failedBatches: { dir: join(stateDir, consumerName(s) === s.tableName ? 'failed-batches' : `failed-batches.${s.function}`), afterAttempts: FAILED_BATCH_ATTEMPTS },
        onFailedBatch: (file, records) => log(`${s.function} kept failing: ${records} stream records kept in ${file}${s.function === 'publishDomainEvents' ? '; npm run replay hands them to it again' : ''}`),
        ...(journal ? { checkpoint: { load: () => journal.streamPositions(consumerName(s)), save: (p: Record<string, string>) => journal.saveStreamPositions(consumerName(s), p) } } : {}),
      }), { table: consumerName(s) === s.tableName ? s.table : `${s.table}.${s.function}` }),
    );
    cleanups.push(async () => { await Promise.all(pollers.map((p) => p.stop())); });

    // The HTTP API (routes and both authorizers) and the /_local controls on the API port.
    const idp = new LocalIdentityProvider(`${url}/_local/cognito`, 'local-operators');
    const gateway = apiGateway({ invoke, idp });
    const oidc = new LocalOidc({ idp, counties: province.counties }); // its OIDC endpoints (the console's sign-in)
    const controls = localControls({
      provinceId: province.id, clock, bus, busName, ivs, wechatPay, channels, idp, iamRefused: iam.refused,
      streams: () => Object.fromEntries(pollers.map((p) => [p.table, p.status()])),
      // every stream consumer's kept batches, each through its own consumer (the relay's, the live figures')
      replay: async () => {
        const results = await Promise.all([...new Map(plan.streams.map((s) => [s.function, s])).values()].map((s) =>
          replayFailedBatches(join(stateDir, consumerName(s) === s.tableName ? 'failed-batches' : `failed-batches.${s.function}`), (payload) => invoke(s.function, payload))));
        return { replayed: results.reduce((n, r) => n + r.replayed, 0), failed: results.reduce((n, r) => n + r.failed, 0), remaining: results.flatMap((r) => r.remaining) };
      },
    });
    // the operators' console, as CloudFront serves it in the cloud
    const consoleSite = serveConsole(consoleConfig(province, idp.issuer, idp.audience));
    api.on('request', async (req, res) => {
      const reply = jsonReply(res);
      try {
        const requestUrl = new URL(req.url ?? '/', url);
        if (consoleSite(req, requestUrl, res)) return;
        const body = await readBody(req, MAX_BODY_BYTES);
        if (body === undefined) return reply(413, { message: 'Request Entity Too Large' });
        if (oidc.handle(req, requestUrl, body, res)) return;
        if (requestUrl.pathname.startsWith('/_local/')) return await controls(req.method ?? 'GET', requestUrl.pathname, requestUrl.searchParams, body, reply);
        const answer = await gateway(apiRequest(req, requestUrl, body));
        if (!answer) return reply(404, { message: 'Not Found' });
        res.writeHead(answer.statusCode, answer.headers);
        res.end(answer.body);
      } catch (error) {
        log('handler crashed', { error: String((error as Error).stack ?? error) });
        reply(500, { message: 'Internal Server Error' });
      }
    });

    wechatPay.resume(); // notifications a previous run on this data still owed
    const credentials = await issueLocalCredentials(idp, province, url, journal?.storefront<LocalCredentials['storefront']>());
    journal?.saveStorefront(credentials.storefront);
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, 'credentials.json'), JSON.stringify(credentials, null, 2), { mode: 0o600 });
    writeFileSync(
      join(stateDir, 'province.json'),
      JSON.stringify({ url, province: province.id, pid: process.pid, clockSpeed: clock.speed, channels: channels.map((c) => ({ channelId: c.channelId, countyId: c.countyId })) }, null, 2),
    );

    return { url, credentials, province, bus, iamRefused: iam.refused, ivs, wechatPay, channels, dynamoEndpoint: db.endpoint, tableNames, busName, environment, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
