import type { Province } from './config/index.js';

/**
 * The one declaration of how the province is wired: tables, functions, routes, schedules,
 * streams and event rules. Plain data, no CDK types and no runtime code: the CDK stack
 * (lib/province-stack.ts), the functions (their environment), the integration tests and the
 * local province all read this file, and it imports neither lib/ nor functions/.
 */

export type KeyType = 'S' | 'N';
export interface KeyAttr { name: string; type: KeyType }
export interface IndexDecl {
  name: string;
  partitionKey: KeyAttr;
  sortKey?: KeyAttr;
  /** ALL (default) or KEYS_ONLY: a keys-only index costs one small write per change, whatever the item's size. */
  projection?: 'ALL' | 'KEYS_ONLY';
  purpose: string;
}

export interface TableDecl {
  /** Environment variable that carries the table's (generated) name. */
  env: string;
  partitionKey: KeyAttr;
  sortKey?: KeyAttr;
  indexes: IndexDecl[];
  ttlAttribute?: string;
  stream?: 'NEW_AND_OLD_IMAGES';
  /** Items are only ever added: a resource policy denies updating and deleting them to everyone. */
  appendOnly?: boolean;
  /** Access patterns, for readers of this file and of the README. */
  accessPatterns: string[];
}

const pk: KeyAttr = { name: 'pk', type: 'S' };
const sk: KeyAttr = { name: 'sk', type: 'S' };

export const tables = {
  catalog: {
    env: 'CATALOG_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [
      {
        name: 'byCounty',
        partitionKey: { name: 'countyList', type: 'S' },
        sortKey: { name: 'listOrder', type: 'S' },
        purpose: "a county's sellers (countyList = SELLERS#<countyId>, in the order they were added) and products (PRODUCTS#<countyId>, by seller, then in the order they were added); stock shards and stock changes do not carry countyList",
      },
    ],
    accessPatterns: [
      'seller by id: GetItem pk=SELLER#<sellerId>, sk=SELLER',
      "a county's sellers, a page at a time: Query byCounty countyList=SELLERS#<countyId>",
      "a county's products, a page at a time: Query byCounty countyList=PRODUCTS#<countyId>; one seller's: AND begins_with(listOrder, <sellerId>#)",
      'edit a seller (name, contact) or a product (name, unit, price): UpdateItem IF version = <version the operator read> (optimistic concurrency), version + 1',
      "stock added or removed by an operator: one transaction of UpdateItem stock (removal: IF stock >= taken, on the product item and, for a flash-sale product, the shards it takes from) and PutItem of the change (pk=PRODUCT#<productId>, sk=STOCKCHANGE#<at>#<changeId>: who, when, delta, reason; IF attribute_not_exists, never updated); a product's changes: Query pk=PRODUCT#<productId>, begins_with(sk, STOCKCHANGE#), newest first",
      'product by id: GetItem pk=PRODUCT#<productId>, sk=PRODUCT (BatchGetItem for a lineup or an order)',
      'reserve stock: UpdateItem SET stock = stock - q IF stock >= q (inside the order transaction), on the product item or, for a flash-sale product, on one of its stock shards pk=STOCK#<productId>#<nn> (each its own partition key)',
      "a product's stock: GetItem the product, BatchGetItem its shards",
      "the sale gate: while a product is on sale in a LIVE show, its product item and every stock shard carry onSaleIn=<showId> and salePriceFen=<show price> (absent otherwise), checked by the order's stock update; set, repriced and removed per product in one transaction of UpdateItem IF onSaleIn is what was read (and the product's stockShards), after BatchGetItem of the product items and their shards (the show sweep re-opens a LIVE show's sale each minute, writing only what differs)",
      'resharding a product on sale: the new shard items copy its gate, IF the product item still carries that gate',
    ],
  },
  shows: {
    env: 'SHOWS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    stream: 'NEW_AND_OLD_IMAGES',
    indexes: [
      {
        name: 'byChannel',
        partitionKey: { name: 'channelId', type: 'S' },
        sortKey: { name: 'scheduledStart', type: 'S' },
        purpose: "a channel's shows by schedule: which show an IVS event belongs to",
      },
      {
        name: 'byListing',
        partitionKey: { name: 'listing', type: 'S' },
        sortKey: { name: 'scheduledStart', type: 'S' },
        purpose: 'sparse: only SCHEDULED (UPCOMING) and LIVE shows carry `listing`, and ENDED shows until their settlement is registered',
      },
      {
        name: 'byCounty',
        partitionKey: { name: 'countyId', type: 'S' },
        sortKey: { name: 'scheduledStart', type: 'S' },
        purpose: "a county's shows of every status by schedule, for its operators (the viewer item carries no countyId)",
      },
      {
        name: 'byCountyStatus',
        partitionKey: { name: 'countyStatus', type: 'S' },
        sortKey: { name: 'scheduledStart', type: 'S' },
        purpose: "a county's shows of one status (countyStatus = <countyId>#<status>) by schedule, for its operators",
      },
    ],
    accessPatterns: [
      'show with its lineup by id: GetItem pk=SHOW#<showId>, sk=SHOW',
      'show changes: PutItem IF version = <read version> (optimistic concurrency)',
      "a channel's shows around an IVS event: Query byChannel channelId=<id>, scheduledStart BETWEEN t-24h AND t+2h",
      'live / upcoming shows for storefronts and the sweep: Query byListing listing=LIVE|UPCOMING (sparse)',
      "a county's shows for its operators, newest scheduledStart first, a page at a time: Query byCounty countyId=<id>, or byCountyStatus countyStatus=<countyId>#<status> (ScanIndexForward false)",
      "ended shows whose settlement is not registered yet (the settlement sweep's backstop for a lost Show Ended): Query byListing listing=ENDED; registering removes `listing`",
      "the province's viewer counts (one item, every live channel), refreshed from one ListStreams at most every 10 s under a lease: pk=VIEWERS, sk=VIEWERS",
      "lineup change: PutItem of the show IF version = <read version>; a LIVE show's sale (the gate on its products' stock items, catalog table) follows: opened after the show is saved LIVE or its lineup saved, closed before it leaves LIVE",
      'show events: the table stream (NEW_AND_OLD_IMAGES) is the outbox',
    ],
  },
  orders: {
    env: 'ORDERS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    stream: 'NEW_AND_OLD_IMAGES',
    indexes: [
      {
        name: 'paidByShow',
        partitionKey: { name: 'paidShow', type: 'S' },
        sortKey: { name: 'pk', type: 'S' },
        purpose: "sparse: only PAID orders carry paidShow (<showId>#<00..31>, so one big show spreads over 32 partitions); settlement reads them page by page",
      },
    ],
    accessPatterns: [
      'order by id: GetItem pk=ORDER#<orderId>, sk=ORDER',
      'reserve: one transaction, the stock items (UpdateItem IF on sale in the show at the price AND stock >= quantity) and PutItem of the order IF attribute_not_exists (its id derives from the idempotency key; the order keeps its request fingerprint)',
      'pay / cancel / expire: conditional UpdateItem on status (cancel and expiry return stock in the same transaction); a merchant of record\'s payment: GetItem of the order (refused before any write), PutItem of the reference claim IF absent (never given back), then UpdateItem of the order (ALL_NEW)',
      "expiry: the order's Order Reserved event comes back through a delay queue when its time is up (ReservationExpiry); GetItem the order, and if still RESERVED the release transaction: no index and no write per order for it",
      "a show's paid orders for settlement: Query paidByShow paidShow=<showId>#<00..31>, page by page (sparse index, 32 partitions per show)",
      'refund: UpdateItem PAID -> REFUNDED (removes paidShow) in one transaction with the settlement guard or adjustment',
      'order events: the table stream (NEW_AND_OLD_IMAGES) is the outbox',
    ],
  },
  settlements: {
    env: 'SETTLEMENTS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    stream: 'NEW_AND_OLD_IMAGES',
    indexes: [
      {
        name: 'dueSettlements',
        partitionKey: { name: 'due', type: 'S' },
        sortKey: { name: 'dueAt', type: 'S' },
        purpose: 'sparse: settlements still to run (PENDING, or SETTLING after a crash) carry `due` = DUE; settled shows whose payouts are not all made carry `due` = PAYOUTS',
      },
    ],
    accessPatterns: [
      "a show's settlement, adjustments and payouts: Query pk=SETTLEMENT#<showId> (sk SETTLEMENT, ADJUSTMENT#<orderId>, PAYOUT#<sellerId>); its seller statements are in the statements table",
      'register once per show: PutItem IF attribute_not_exists(pk)',
      'claim: UpdateItem IF PENDING and due, or SETTLING with an expired lease (crash recovery)',
      'settlements due: Query dueSettlements due=DUE, dueAt <= now (sparse index)',
      'refund after settlement: PutItem of the adjustment IF attribute_not_exists, in the refund transaction with the statements\' updates (statements table)',
      "a seller's payout per show: pk=SETTLEMENT#<showId>, sk=PAYOUT#<sellerId>; its amount fixed once (UpdateItem IF PENDING and not fixed) in one transaction with a ConditionCheck that the statement's payoutReversedFen is as read (statements table) and the receivables it takes off (UpdateItem IF recoveredFen = <read value>)",
      "a day's reconciliation with the provider's bills: pk=RECONCILIATION#<day>, sk RECONCILIATION (the summary, PutItem) and MISMATCH#<kind>#<ref> (PutItem IF attribute_not_exists: kept and published once); read: Query pk=RECONCILIATION#<day>",
      "a seller's receivables (a refund after its payout was fixed): pk=RECEIVABLES#<sellerId>, sk=SHOW#<showId>, UpdateItem IF owedFen grows; outstanding: Query pk=RECEIVABLES#<sellerId>",
      'settlement events: the table stream (NEW_AND_OLD_IMAGES) is the outbox',
    ],
  },
  statements: {
    env: 'STATEMENTS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    accessPatterns: [
      "a show's seller statements: Query pk=SETTLEMENT#<showId> (sk SELLER#<sellerId>), after the settlement's header; one statement: GetItem pk=SETTLEMENT#<showId>, sk=SELLER#<sellerId>",
      'written by the settlement, 50 sellers per transaction with their payout journal entries (ledger table): PutItem IF attribute_not_exists(pk) (a resumed run keeps what was written)',
      'refund after settlement: UpdateItem IF refundedFen = <read value>, in the refund transaction (orders, settlements, ledger)',
      "a payout's amount fixed: ConditionCheck payoutReversedFen = <read value>, in the payout's transaction (settlements table)",
      'no stream: statements give no events (apart from the settlements table, whose stream is an outbox, so that a show\'s hundreds of statements are not stream records for nothing)',
    ],
  },
  figures: {
    env: 'FIGURES_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    accessPatterns: [
      "a show's live figures (orders by status, paid GMV, paid orders and GMV per minute, units sold and reserved per product, the last stream sequence number applied per orders-stream shard): one item pk=FIGURES#<showId>, sk=FIGURES, every counter a top-level number",
      "kept from the orders table stream: per shard batch and show, one UpdateItem ADD <the counters' differences between the old and new images> SET <that shard's sequence attribute> = <last record> IF it is absent or below the first record's (sequence numbers padded to 40 digits); a record delivered again changes nothing",
      'read by operators with the show and the viewer counts in one BatchGetItem (shows and figures tables)',
    ],
  },
  ledger: {
    env: 'LEDGER_TABLE',
    partitionKey: pk,
    indexes: [],
    appendOnly: true,
    accessPatterns: [
      'append a journal entry: PutItem pk=<deterministic entry id> IF attribute_not_exists(pk); never updated or deleted (resource policy denies it)',
    ],
  },
  access: {
    env: 'ACCESS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [
      {
        name: 'storefronts',
        partitionKey: { name: 'storefrontList', type: 'S' },
        sortKey: { name: 'listOrder', type: 'S' },
        purpose: "sparse: only storefront items carry storefrontList (one partition: a province has tens of storefronts, not thousands), in the order they were issued",
      },
    ],
    accessPatterns: [
      "the province's storefronts for its admins, a page at a time: Query storefronts storefrontList=STOREFRONTS",
      'a storefront and the presented key (the API-key authorizer): BatchGetItem pk=STOREFRONT#<storefrontId>, sk=STOREFRONT and sk=KEY#<keyId>; a key is never stored, only its SHA-256',
      'issue a storefront with its first key: one transaction of two PutItem IF attribute_not_exists(pk)',
      "rotate: a second key (transaction: storefront activeKeys < 2, PutItem the key), revoke (transaction: key ACTIVE → REVOKED, activeKeys − 1), a storefront's keys: Query pk=STOREFRONT#<id>, begins_with(sk, KEY#)",
    ],
  },
  rates: {
    env: 'RATES_TABLE',
    partitionKey: pk,
    indexes: [],
    ttlAttribute: 'expiresAt',
    accessPatterns: [
      "a storefront's requests in one second, across every function instance: UpdateItem pk=<storefrontId>#<epoch second> ADD n 1 IF n < its rate (1 WCU a request); TTL removes old seconds",
    ],
  },
  channels: {
    env: 'CHANNELS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    accessPatterns: [
      "the province's channel registry: Query pk=CHANNELS (one partition: a province has a few hundred channels), cached per function instance",
      "written at deploy by the stack itself (a custom resource per channel stack) and by the local province at start: PutItem / DeleteItem IF registeredBy = <that stack's resource>",
    ],
  },
  payees: {
    env: 'PAYEES_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    accessPatterns: [
      "a seller's payee in full (WeChat openid and real name, or bank account): PutItem pk=SELLER#<sellerId>, sk=PAYEE with the seller (or when corrected), GetItem by the functions that pay; every other view has the masked copy on the seller",
    ],
  },
  payments: {
    env: 'PAYMENTS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    ttlAttribute: 'expireAt',
    accessPatterns: [
      'a payment reference (WeChat Pay transaction_id, or a merchant-of-record storefront\'s own) pays one order: PutItem pk=PAYREF#<ref> IF attribute_not_exists, in the transaction that marks the order PAID',
      "every provider notification as received, for audit (never changed): PutItem pk=ORDER#<orderId> (or UNMATCHED#<day>), sk=NOTIFY#<receivedAt>#<uuid>; an order's notifications: Query pk=ORDER#<orderId>",
      "a county's refunds asked after settlement and waiting for approval: PutItem pk=REFUNDS#<countyId>#PENDING, sk=<requestedAt>#<orderId> with the request, DeleteItem with the decision (each in the order's transaction); listed: Query pk=REFUNDS#<countyId>#PENDING",
      "payouts: the provider reference names the payout (pk=PAYREF#<reference>); not final yet: pk=PAYOUTS#INFLIGHT, sk=<payoutId>; a day's bank batch: pk=BANKBATCH#<day>; paid on a day (for reconciliation): pk=PAIDOUT#<day>, sk=<payoutId>, each put in the payout's own transaction and read with Query pk=…",
    ],
  },
  reports: {
    env: 'REPORTS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    accessPatterns: [
      "a county's or the province's report of a period (ISO week 2026-W48 or month 2026-11, China time): GetItem pk=REPORT#COUNTY#<countyId>#<period> or REPORT#PROVINCE#<period>, sk=REPORT (counters; a county's sellers reached with their households and products sold; the province's per-county summaries); the province's top products: BatchGetItem its counties' items of the period",
      'kept from Show Settled and Settlement Adjusted: BatchGetItem the 4 items an event touches (county and province, week and month), then one transaction: per item PutItem of the marker sk=APPLIED#<eventId> IF attribute_not_exists (an event applied once per report, whatever the delivery order or count) and PutItem of the report IF version = <read> (or absent); a conflict reads again',
    ],
  },
} satisfies Record<string, TableDecl>;

export type TableName = keyof typeof tables;

/** What a function may do to a table. Nothing grants Scan; `append` only adds items; `register` keeps a registry (put, delete); `count` only increments counters. */
export type TableAccess = 'read' | 'write' | 'readWrite' | 'stream' | 'append' | 'register' | 'count' | DynamoAction[];

/** A DynamoDB action a function may take on a table, named exactly (least privilege). Never Scan. */
export type DynamoAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'ConditionCheckItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

/** IVS actions a function may call on the province's channels (GetStreamKey: on their stream keys). */
export type IvsAction = 'PutMetadata' | 'StopStream' | 'GetStreamKey' | 'ListStreams';

export interface FunctionDecl {
  entry: string;
  description: string;
  tables: Partial<Record<TableName, TableAccess>>;
  ivs?: IvsAction[];
  /** Publishes to the province bus. */
  publishes?: boolean;
  /** Province settings the function reads (environment variable names). */
  settings?: SettingName[];
  /** Reads the province's payment secret (WeChat Pay keys): GetSecretValue on that one secret. */
  paymentSecret?: boolean;
  timeoutSeconds?: number;
  memoryMb?: number;
}

/** Province settings handed to functions as environment variables, and where each value comes from. */
export const settings = {
  /** How long a reservation holds stock. */
  RESERVATION_TIMEOUT_MINUTES: (p: Province) => String(p.reservationTimeoutMinutes),
  /** Sellers' share of their sales, in basis points. */
  SELLER_SHARE_BPS: (p: Province) => String(p.sellerShareBps),
  /** How long after the stream stops a show still counts as live. */
  POST_SHOW_GRACE_MINUTES: (p: Province) => String(p.postShowGraceMinutes),
  /** The province's WeChat Pay AppID and merchant number (not secret). */
  WECHATPAY_APP_ID: (p: Province) => p.wechatPay.appId,
  WECHATPAY_MCH_ID: (p: Province) => p.wechatPay.mchId,
} as const;

/** The environment variable naming the payment secret's ARN (the secret's value is never in the environment). */
export const PAYMENT_SECRET_ENV = 'PAYMENT_SECRET_ARN';
const WECHATPAY = ['WECHATPAY_APP_ID', 'WECHATPAY_MCH_ID'] as const satisfies SettingName[];
export type SettingName = keyof typeof settings;


export const functions = {
  storefrontAuthorizer: {
    entry: 'functions/access/storefront-authorizer.ts',
    description: 'HTTP API Lambda authorizer: storefront API keys (x-api-key)',
    tables: { access: ['BatchGetItem'] },
  },
  getOpenApi: {
    entry: 'functions/docs/get-openapi.ts',
    description: 'GET /openapi.json: the API contract (OpenAPI 3.1), generated from the zod schemas',
    tables: {},
  },
  createStorefront: {
    entry: 'functions/access/create-storefront.ts',
    description: 'POST /storefronts (province admin): issues a storefront API key, shown once',
    tables: { access: ['PutItem'] },
  },
  storefrontKeys: {
    entry: 'functions/access/storefront-keys.ts',
    description: "GET, POST /storefronts/{storefrontId}/keys and DELETE …/keys/{keyId} (province admin): rotate a storefront's keys",
    tables: { access: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  },
  listStorefronts: {
    entry: 'functions/access/list-storefronts.ts',
    description: "GET /storefronts (province admin): the province's storefronts",
    tables: { access: ['Query'] },
  },
  createSeller: {
    entry: 'functions/catalog/create-seller.ts',
    description: 'POST /sellers (with its payee, kept apart in full and shown masked)',
    tables: { catalog: ['PutItem'], payees: ['PutItem'], channels: ['Query'] },
  },
  setPayee: {
    entry: 'functions/catalog/set-payee.ts',
    description: "PUT /sellers/{sellerId}/payee: an operator of the seller's county sets or corrects where its payouts go",
    tables: { catalog: ['GetItem', 'UpdateItem'], payees: ['PutItem'] },
  },
  createProduct: {
    entry: 'functions/catalog/create-product.ts',
    description: 'POST /products',
    tables: { catalog: ['GetItem', 'PutItem'] },
  },
  getProduct: {
    entry: 'functions/catalog/get-product.ts',
    description: 'GET /products/{productId}',
    tables: { catalog: ['GetItem', 'BatchGetItem'], rates: 'count' },
  },
  sellers: {
    entry: 'functions/catalog/sellers.ts',
    description: "GET /sellers?countyId= (a county's sellers), GET and PATCH /sellers/{sellerId} (name, contact; IF the version the operator read)",
    tables: { catalog: ['Query', 'GetItem', 'UpdateItem'] },
  },
  products: {
    entry: 'functions/catalog/products.ts',
    description: "GET /products?countyId=&sellerId= (a county's products), GET /products/{productId}/stock-changes (the product for its operators, with its stock record), PATCH /products/{productId} (name, unit, price; IF the version the operator read)",
    tables: { catalog: ['Query', 'GetItem', 'BatchGetItem', 'UpdateItem'] },
  },
  adjustStock: {
    entry: 'functions/catalog/adjust-stock.ts',
    description: 'POST /products/{productId}/stock: adds or removes stock with a reason (never below zero), recorded with who and when',
    tables: { catalog: ['GetItem', 'BatchGetItem', 'UpdateItem', 'PutItem'] },
  },
  createShow: {
    entry: 'functions/shows/create-show.ts',
    description: 'POST /shows',
    tables: { shows: ['PutItem'], catalog: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], channels: ['Query'] },
  },
  endShow: {
    entry: 'functions/shows/end-show.ts',
    description: 'POST /shows/{showId}/end',
    tables: { shows: ['GetItem', 'PutItem'], catalog: ['BatchGetItem', 'UpdateItem'] },
    ivs: ['StopStream'],
  },
  spotlight: {
    entry: 'functions/shows/spotlight.ts',
    description: 'POST /shows/{showId}/spotlight',
    tables: { shows: ['GetItem', 'PutItem'] },
    ivs: ['PutMetadata'],
  },
  listShows: {
    entry: 'functions/shows/list-shows.ts',
    description: 'GET /shows?status=live|upcoming',
    tables: { shows: ['Query'], channels: ['Query'], rates: 'count' },
  },
  getShow: {
    entry: 'functions/shows/get-show.ts',
    description: 'GET /shows/{showId}',
    tables: { shows: ['GetItem', 'UpdateItem'], catalog: ['BatchGetItem'], channels: ['Query'], rates: 'count' },
    ivs: ['ListStreams'],
  },
  listCountyShows: {
    entry: 'functions/shows/list-county-shows.ts',
    description: "GET /county-shows?countyId=&status= (operators): a county's shows of every status, newest first; GET /county-shows/{showId}: one with its lineup",
    tables: { shows: ['Query', 'GetItem'] },
  },
  getIngest: {
    entry: 'functions/shows/get-ingest.ts',
    description: 'GET /channels/{channelId}/ingest',
    tables: { channels: ['Query'] },
    ivs: ['GetStreamKey'],
  },
  onStreamEvent: {
    entry: 'functions/shows/on-stream-event.ts',
    description: 'IVS Stream State Change (default bus) -> show facts; brings a due show on air',
    tables: { shows: ['Query', 'GetItem', 'PutItem'], catalog: ['BatchGetItem', 'UpdateItem'], channels: ['Query'] },
    settings: ['POST_SHOW_GRACE_MINUTES'],
  },
  sweepShows: {
    entry: 'functions/shows/sweep-shows.ts',
    description: 'Scheduled: ends shows past their grace period, reconciles with one ListStreams per run, cancels shows that never started',
    tables: { shows: ['Query', 'GetItem', 'PutItem', 'UpdateItem'], catalog: ['BatchGetItem', 'UpdateItem'] },
    ivs: ['ListStreams'],
    settings: ['POST_SHOW_GRACE_MINUTES'],
    timeoutSeconds: 120,
  },
  putLineup: {
    entry: 'functions/shows/put-lineup.ts',
    description: 'PUT /shows/{showId}/lineup',
    tables: { shows: ['GetItem', 'PutItem'], catalog: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  },
  reserveOrder: {
    entry: 'functions/orders/reserve.ts',
    description: 'POST /orders',
    tables: { orders: ['GetItem', 'PutItem'], shows: ['GetItem'], catalog: ['GetItem', 'BatchGetItem', 'UpdateItem'], rates: 'count' },
    settings: ['RESERVATION_TIMEOUT_MINUTES'],
  },
  getOrder: {
    entry: 'functions/orders/get-order.ts',
    description: 'GET /orders/{orderId}',
    tables: { orders: ['GetItem'], rates: 'count' },
  },
  payOrder: {
    entry: 'functions/orders/pay.ts',
    description: 'POST /orders/{orderId}/pay (merchant-of-record storefronts only)',
    tables: { orders: ['GetItem', 'UpdateItem'], payments: ['PutItem', 'GetItem'], rates: 'count' },
  },
  startPayment: {
    entry: 'functions/payments/start-payment.ts',
    description: 'POST /orders/{orderId}/payment: opens the WeChat Pay payment (JSAPI prepay) and answers the wx.requestPayment parameters',
    tables: { orders: ['GetItem', 'UpdateItem'], rates: 'count' },
    settings: [...WECHATPAY],
    paymentSecret: true,
  },
  wechatPayNotify: {
    entry: 'functions/payments/wechatpay-notify.ts',
    description: 'POST /payments/wechatpay/notify: WeChat Pay notifications (signature verified, resource decrypted); pays orders, sends late money back, completes refunds',
    tables: {
      orders: ['GetItem', 'UpdateItem'],
      payments: ['GetItem', 'PutItem', 'DeleteItem'],
      settlements: ['GetItem', 'UpdateItem', 'PutItem', 'ConditionCheckItem'],
      statements: ['GetItem', 'UpdateItem'],
      ledger: 'append',
    },
    settings: [...WECHATPAY],
    paymentSecret: true,
  },
  cancelOrder: {
    entry: 'functions/orders/cancel.ts',
    description: 'POST /orders/{orderId}/cancel',
    tables: { orders: ['GetItem', 'UpdateItem'], catalog: ['UpdateItem'], rates: 'count' },
  },
  expireReservations: {
    entry: 'functions/orders/expire-reservations.ts',
    description: "Releases each reservation whose time is up (from the ReservationExpiry delay queue), asking WeChat Pay first where a payment was started; one not yet due, or the provider's answer not known yet, comes back later",
    tables: { orders: ['GetItem', 'UpdateItem'], catalog: ['UpdateItem'], payments: ['GetItem', 'PutItem'], settlements: ['ConditionCheckItem'] },
    settings: [...WECHATPAY],
    paymentSecret: true,
    timeoutSeconds: 60,
  },
  refundOrder: {
    entry: 'functions/settlement/refund-order.ts',
    description: 'POST /orders/{orderId}/refund: asks WeChat Pay for the refund (the order becomes REFUNDED on its notification); a merchant-of-record storefront refunds at once',
    tables: { orders: ['GetItem', 'UpdateItem'], payments: ['PutItem'], settlements: ['GetItem', 'PutItem', 'ConditionCheckItem'], statements: ['GetItem', 'UpdateItem'], ledger: 'append', rates: 'count' },
    settings: [...WECHATPAY],
    paymentSecret: true,
  },
  decideRefund: {
    entry: 'functions/settlement/decide-refund.ts',
    description: "POST /orders/{orderId}/refund/decision: an operator of the show's county approves or refuses a refund asked after settlement",
    tables: { orders: ['GetItem', 'UpdateItem'], payments: ['DeleteItem'], settlements: ['GetItem', 'PutItem', 'ConditionCheckItem'], statements: ['GetItem', 'UpdateItem'], ledger: 'append' },
    settings: [...WECHATPAY],
    paymentSecret: true,
  },
  listRefunds: {
    entry: 'functions/settlement/list-refunds.ts',
    description: "GET /refunds: refunds asked after settlement, waiting for the county's decision",
    tables: { payments: ['Query'] },
  },
  scheduleSettlement: {
    entry: 'functions/settlement/schedule-settlement.ts',
    description: 'Show Ended (province bus) -> registers the show for settlement once the payment window has closed',
    tables: { settlements: ['PutItem'], shows: ['UpdateItem'] },
    settings: ['RESERVATION_TIMEOUT_MINUTES', 'SELLER_SHARE_BPS'],
  },
  settleShows: {
    entry: 'functions/settlement/settle-shows.ts',
    description: 'Scheduled: registers every ended show the Show Ended event did not, settles every show whose payment window has closed, resumes crashed settlements',
    tables: { settlements: ['Query', 'GetItem', 'UpdateItem', 'PutItem'], statements: ['PutItem'], orders: ['Query'], catalog: ['BatchGetItem'], ledger: 'append', shows: ['Query', 'UpdateItem'] },
    settings: ['RESERVATION_TIMEOUT_MINUTES', 'SELLER_SHARE_BPS'],
    timeoutSeconds: 600,
    memoryMb: 1024,
  },
  getSettlement: {
    entry: 'functions/settlement/get-settlement.ts',
    description: 'GET /shows/{showId}/settlement and /settlement.csv',
    tables: { settlements: ['Query'], statements: ['Query'] },
  },
  retrySettlement: {
    entry: 'functions/settlement/retry-settlement.ts',
    description: 'POST /shows/{showId}/settlement/retry (re-runs a FAILED settlement)',
    tables: { settlements: ['GetItem', 'UpdateItem'] },
  },
  startPayouts: {
    entry: 'functions/payouts/start-payouts.ts',
    description: 'Show Settled (province bus) -> one payout per seller statement: WeChat Pay transfers to farmers, the bank batch for cooperatives and enterprises',
    tables: { settlements: ['Query', 'GetItem', 'PutItem', 'UpdateItem'], statements: ['Query', 'GetItem', 'ConditionCheckItem'], payees: ['GetItem'], payments: ['PutItem', 'DeleteItem'], ledger: 'append' },
    settings: [...WECHATPAY],
    paymentSecret: true,
    timeoutSeconds: 300,
  },
  sweepPayouts: {
    entry: 'functions/payouts/sweep-payouts.ts',
    description: 'Scheduled: starts the payouts of settled shows that have none yet (a lost Show Settled); payouts not final are submitted again (never submitted) or asked about at WeChat Pay (a lost notification)',
    tables: { settlements: ['Query', 'GetItem', 'PutItem', 'UpdateItem'], statements: ['Query', 'GetItem', 'ConditionCheckItem'], payees: ['GetItem'], payments: ['Query', 'PutItem', 'DeleteItem'], ledger: 'append' },
    settings: [...WECHATPAY],
    paymentSecret: true,
    timeoutSeconds: 300,
  },
  carryAdjustment: {
    entry: 'functions/payouts/carry-adjustment.ts',
    description: "Settlement Adjusted (province bus) -> a refund after a payout's amount was fixed becomes the seller's receivable, taken off their next payout",
    tables: { settlements: ['GetItem', 'UpdateItem'], statements: ['GetItem'] },
  },
  listPayouts: {
    entry: 'functions/payouts/list-payouts.ts',
    description: "GET /shows/{showId}/payouts: a settled show's payouts (payees masked)",
    tables: { settlements: ['GetItem', 'Query'] },
  },
  payoutResult: {
    entry: 'functions/payouts/payout-result.ts',
    description: "POST /payouts/{payoutId}/result (province admin): the bank's answer for one line of a batch",
    tables: { settlements: ['GetItem', 'UpdateItem'], payments: ['PutItem', 'DeleteItem'], ledger: 'append' },
  },
  bankReturns: {
    entry: 'functions/payouts/bank-returns.ts',
    description: "POST /payouts/bank-returns (province admin): the bank's return file for a batch, each line's answer recorded on its payout",
    tables: { settlements: ['GetItem', 'UpdateItem'], payments: ['GetItem', 'PutItem', 'DeleteItem'], ledger: 'append' },
  },
  retryPayout: {
    entry: 'functions/payouts/retry-payout.ts',
    description: 'POST /payouts/{payoutId}/retry: a FAILED payout submitted again under its one id',
    tables: { settlements: ['Query', 'GetItem', 'UpdateItem'], statements: ['GetItem', 'ConditionCheckItem'], payees: ['GetItem'], payments: ['PutItem', 'DeleteItem'], ledger: 'append' },
    settings: [...WECHATPAY],
    paymentSecret: true,
  },
  bankBatch: {
    entry: 'functions/payouts/bank-batch.ts',
    description: "GET /payouts/bank-batch.csv?date= (province admin): the day's bank batch, accounts in full",
    tables: { payments: ['Query'], settlements: ['GetItem'], payees: ['GetItem'] },
  },
  reconciliation: {
    entry: 'functions/reconciliation/reconciliation.ts',
    description: "GET /reconciliation/{date}: a day's reconciliation with WeChat Pay's bills; POST: reconcile it now (province admins)",
    tables: { settlements: ['Query', 'GetItem', 'PutItem'], orders: ['GetItem'], payments: ['GetItem', 'Query'] },
    settings: [...WECHATPAY],
    paymentSecret: true,
    timeoutSeconds: 300,
  },
  reconcileBills: {
    entry: 'functions/reconciliation/reconcile-bills.ts',
    description: "Scheduled hourly: yesterday's WeChat Pay trade and fund-flow bills against the books, once they exist; each mismatch is kept, published and alarmed on",
    tables: { settlements: ['Query', 'GetItem', 'PutItem'], orders: ['GetItem'], payments: ['GetItem', 'Query'] },
    settings: [...WECHATPAY],
    paymentSecret: true,
    timeoutSeconds: 900,
  },
  registerChannels: {
    entry: 'functions/registry/register-channels.ts',
    description: "CloudFormation custom resource: writes a channel stack's channels into the province's channel registry",
    tables: { channels: 'register' },
    timeoutSeconds: 60,
  },
  liveFigures: {
    entry: 'functions/shows/live-figures.ts',
    description: "GET /shows/{showId}/live (operators): a show's live figures, its spotlight, broadcasting and stock left, in two reads",
    tables: { shows: ['BatchGetItem'], figures: ['BatchGetItem'], catalog: ['BatchGetItem'] },
  },
  maintainLiveFigures: {
    entry: 'functions/shows/maintain-live-figures.ts',
    description: "Orders table stream -> each show's live figures (exactly once per record: the last sequence number applied per shard is kept in the same conditional write)",
    tables: { orders: 'stream', figures: ['UpdateItem'] },
    timeoutSeconds: 60,
  },
  maintainReports: {
    entry: 'functions/reports/maintain-reports.ts',
    description: "Show Settled and Settlement Adjusted (province bus) -> the county's and the province's week and month reports (each event once per report: a marker in the same transaction)",
    tables: { reports: ['BatchGetItem', 'PutItem'], settlements: ['Query'], statements: ['Query'], shows: ['GetItem'] },
    timeoutSeconds: 60,
  },
  getReport: {
    entry: 'functions/reports/get-report.ts',
    description: "GET /reports/counties/{countyId}?period= (the county's operators, province admins) and GET /reports/province?period= (province admins), JSON or .csv",
    tables: { reports: ['GetItem', 'BatchGetItem'] },
  },
  publishDomainEvents: {
    entry: 'functions/events/publish-domain-events.ts',
    description: 'Outbox relay: order, show and settlement table streams -> domain events on the province bus',
    tables: { orders: 'stream', shows: 'stream', settlements: 'stream' },
    publishes: true,
    timeoutSeconds: 60,
  },
} satisfies Record<string, FunctionDecl>;

export type FunctionName = keyof typeof functions;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * Who calls a route: `operator` (county staff, a Cognito ID token checked by the JWT
 * authorizer), `storefront` (an API key checked by the Lambda authorizer), `public` (the API's
 * own description) or `provider` (a payment provider's notifications: no API credentials, the
 * function verifies the provider's signature).
 */
export type Audience = 'operator' | 'storefront' | 'public' | 'provider';
export interface RouteDecl {
  method: HttpMethod;
  path: string;
  function: FunctionName;
  audience: Audience;
  /** The OpenAPI operation id, where a function serves more than one route (else the function's name). */
  operationId?: string;
}

/** How each audience is authenticated. */
export const authorizers = {
  /** A revoked key is refused everywhere within the authorizer's cache time. */
  storefront: { function: 'storefrontAuthorizer' as FunctionName, header: 'x-api-key', cacheSeconds: 60 },
  operator: { header: 'authorization', countyClaim: 'custom:county', adminGroup: 'province-admin' },
} as const;

export const routes: RouteDecl[] = [
  { method: 'GET', path: '/openapi.json', function: 'getOpenApi', audience: 'public' },
  { method: 'GET', path: '/storefronts', function: 'listStorefronts', audience: 'operator' },
  { method: 'POST', path: '/storefronts', function: 'createStorefront', audience: 'operator' },
  { method: 'GET', path: '/storefronts/{storefrontId}/keys', function: 'storefrontKeys', audience: 'operator', operationId: 'listStorefrontKeys' },
  { method: 'POST', path: '/storefronts/{storefrontId}/keys', function: 'storefrontKeys', audience: 'operator', operationId: 'addStorefrontKey' },
  { method: 'DELETE', path: '/storefronts/{storefrontId}/keys/{keyId}', function: 'storefrontKeys', audience: 'operator', operationId: 'revokeStorefrontKey' },
  { method: 'POST', path: '/sellers', function: 'createSeller', audience: 'operator' },
  { method: 'PUT', path: '/sellers/{sellerId}/payee', function: 'setPayee', audience: 'operator' },
  { method: 'GET', path: '/sellers', function: 'sellers', audience: 'operator', operationId: 'listSellers' },
  { method: 'GET', path: '/sellers/{sellerId}', function: 'sellers', audience: 'operator', operationId: 'getSeller' },
  { method: 'PATCH', path: '/sellers/{sellerId}', function: 'sellers', audience: 'operator', operationId: 'editSeller' },
  { method: 'POST', path: '/products', function: 'createProduct', audience: 'operator' },
  { method: 'GET', path: '/products', function: 'products', audience: 'operator', operationId: 'listProducts' },
  { method: 'GET', path: '/products/{productId}/stock-changes', function: 'products', audience: 'operator', operationId: 'getProductStockChanges' },
  { method: 'PATCH', path: '/products/{productId}', function: 'products', audience: 'operator', operationId: 'editProduct' },
  { method: 'POST', path: '/products/{productId}/stock', function: 'adjustStock', audience: 'operator' },
  { method: 'GET', path: '/county-shows', function: 'listCountyShows', audience: 'operator' },
  { method: 'GET', path: '/county-shows/{showId}', function: 'listCountyShows', operationId: 'getCountyShow', audience: 'operator' },
  { method: 'POST', path: '/shows', function: 'createShow', audience: 'operator' },
  { method: 'PUT', path: '/shows/{showId}/lineup', function: 'putLineup', audience: 'operator' },
  { method: 'POST', path: '/shows/{showId}/end', function: 'endShow', audience: 'operator' },
  { method: 'POST', path: '/shows/{showId}/spotlight', function: 'spotlight', audience: 'operator' },
  { method: 'GET', path: '/shows/{showId}/live', function: 'liveFigures', audience: 'operator' },
  { method: 'GET', path: '/channels/{channelId}/ingest', function: 'getIngest', audience: 'operator' },
  { method: 'GET', path: '/shows', function: 'listShows', audience: 'storefront' },
  { method: 'GET', path: '/shows/{showId}', function: 'getShow', audience: 'storefront' },
  { method: 'GET', path: '/products/{productId}', function: 'getProduct', audience: 'storefront' },
  { method: 'POST', path: '/orders', function: 'reserveOrder', audience: 'storefront' },
  { method: 'GET', path: '/orders/{orderId}', function: 'getOrder', audience: 'storefront' },
  { method: 'POST', path: '/orders/{orderId}/pay', function: 'payOrder', audience: 'storefront' },
  { method: 'POST', path: '/orders/{orderId}/payment', function: 'startPayment', audience: 'storefront' },
  { method: 'POST', path: '/payments/wechatpay/notify', function: 'wechatPayNotify', audience: 'provider' },
  { method: 'POST', path: '/orders/{orderId}/cancel', function: 'cancelOrder', audience: 'storefront' },
  { method: 'POST', path: '/orders/{orderId}/refund', function: 'refundOrder', audience: 'storefront' },
  { method: 'POST', path: '/orders/{orderId}/refund/decision', function: 'decideRefund', audience: 'operator' },
  { method: 'GET', path: '/refunds', function: 'listRefunds', audience: 'operator' },
  { method: 'GET', path: '/shows/{showId}/payouts', function: 'listPayouts', audience: 'operator' },
  { method: 'POST', path: '/payouts/{payoutId}/retry', function: 'retryPayout', audience: 'operator' },
  { method: 'POST', path: '/payouts/{payoutId}/result', function: 'payoutResult', audience: 'operator' },
  { method: 'GET', path: '/reconciliation/{date}', function: 'reconciliation', audience: 'operator', operationId: 'getReconciliation' },
  { method: 'POST', path: '/reconciliation/{date}', function: 'reconciliation', audience: 'operator', operationId: 'runReconciliation' },
  { method: 'POST', path: '/payouts/bank-returns', function: 'bankReturns', audience: 'operator' },
  { method: 'GET', path: '/payouts/bank-batch.csv', function: 'bankBatch', audience: 'operator' },
  { method: 'GET', path: '/shows/{showId}/settlement', function: 'getSettlement', audience: 'operator' },
  { method: 'GET', path: '/shows/{showId}/settlement.csv', function: 'getSettlement', audience: 'operator', operationId: 'getSettlementCsv' },
  { method: 'POST', path: '/shows/{showId}/settlement/retry', function: 'retrySettlement', audience: 'operator' },
  // the .csv routes first: a county id never holds a dot, so each path has one route
  { method: 'GET', path: '/reports/counties/{countyId}/report.csv', function: 'getReport', audience: 'operator', operationId: 'getCountyReportCsv' },
  { method: 'GET', path: '/reports/counties/{countyId}', function: 'getReport', audience: 'operator', operationId: 'getCountyReport' },
  { method: 'GET', path: '/reports/province.csv', function: 'getReport', audience: 'operator', operationId: 'getProvinceReportCsv' },
  { method: 'GET', path: '/reports/province', function: 'getReport', audience: 'operator', operationId: 'getProvinceReport' },
];

export interface ScheduleDecl { id: string; schedule: string; function: FunctionName; description: string }
export const schedules: ScheduleDecl[] = [
  {
    id: 'SweepShows',
    schedule: 'rate(1 minute)',
    function: 'sweepShows',
    description: 'End shows past their grace period; reconcile live shows with IVS ListStreams',
  },
  {
    id: 'SweepPayouts',
    schedule: 'rate(5 minutes)',
    function: 'sweepPayouts',
    description: 'Submit again payouts never submitted; ask WeChat Pay about transfers in flight',
  },
  {
    id: 'ReconcileBills',
    schedule: 'rate(1 hour)',
    function: 'reconcileBills',
    description: "Yesterday's WeChat Pay bills against the books, once they exist (from 10:00 China time); then nothing until the next day",
  },
  {
    id: 'SettleShows',
    schedule: 'rate(1 minute)',
    function: 'settleShows',
    description: 'Settle shows whose payment window has closed',
  },
];

export interface StreamDecl {
  table: TableName;
  function: FunctionName;
  batchSize: number;
  /**
   * A tumbling window (seconds): Lambda then names the shard of every batch it delivers
   * (`event.shardId`), which a consumer keeping the last sequence number applied per shard needs
   * (stream records do not carry their shard). Batches are still delivered as they come.
   */
  tumblingWindowSeconds?: number;
}
export const streams: StreamDecl[] = [
  { table: 'orders', function: 'publishDomainEvents', batchSize: 100 },
  { table: 'orders', function: 'maintainLiveFigures', batchSize: 100, tumblingWindowSeconds: 60 },
  { table: 'shows', function: 'publishDomainEvents', batchSize: 100 },
  { table: 'settlements', function: 'publishDomainEvents', batchSize: 100 },
];

/** Event rules: the pattern may depend on the province and its resources (channel ARNs). */
export interface RuleDecl {
  id: string;
  description: string;
  bus: 'default' | 'province';
  pattern: (province: Province, names: ResourceNames) => Record<string, unknown>;
  function: FunctionName;
  /**
   * Seconds each matching event is to be held before the function acts on it: in the cloud a queue
   * between the rule and the function, delivering after `queueDelaySeconds` (SQS holds at most 900 s;
   * the function answers a record not yet due as not finished, and the queue delivers it again,
   * `DELAYED_DELIVERY`). The function gets SQS batches and answers `batchItemFailures`.
   */
  holdSeconds?: (province: Province) => number;
}

/** The longest an SQS queue can hold back a message (its delivery delay). */
export const MAX_DELAY_SECONDS = 900;
/**
 * A delayed rule's queue: a record the function answers as not finished (not yet due, say) comes
 * back after the visibility timeout (six times the function timeout, as Lambda advises), up to
 * `maxReceives` times (covering a reservation timeout of 2 hours beyond the 15-minute delay), then
 * goes to the dead-letter queue.
 */
export const DELAYED_DELIVERY = { visibilitySeconds: 360, maxReceives: 30 } as const;
/** The delivery delay of a delayed rule's queue: the hold, as far as SQS allows. */
export const queueDelaySeconds = (holdSeconds: number) => Math.min(holdSeconds, MAX_DELAY_SECONDS);

export const rules: RuleDecl[] = [
  {
    id: 'ReservationExpiry',
    description: "Each reservation, once its time is up, gives its stock back unless it was paid: a delay queue holds the order's Order Reserved event until then (no index write per order; a message that keeps failing lands in the dead-letter queue, alarmed)",
    bus: 'province',
    pattern: () => ({ source: ['county-live.orders'], 'detail-type': ['Order Reserved'] }),
    function: 'expireReservations',
    holdSeconds: (p) => p.reservationTimeoutMinutes * 60,
  },
  {
    id: 'IvsStreamStateChange',
    description: "IVS stream state changes of the account's channels in the province's region drive the show lifecycle (it ignores channels not in the province's registry)",
    bus: 'default',
    // a prefix, not a list of ARNs: the pattern's size does not grow with the province
    pattern: (_province, names) => ({
      source: ['aws.ivs'],
      'detail-type': ['IVS Stream State Change'],
      resources: [{ prefix: names.ivsChannelArnPrefix }],
    }),
    function: 'onStreamEvent',
  },
  {
    id: 'ShowEndedSettlement',
    description: 'Every ended show is settled automatically',
    bus: 'province',
    pattern: () => ({ source: ['county-live.shows'], 'detail-type': ['Show Ended'] }),
    function: 'scheduleSettlement',
  },
  {
    id: 'ShowSettledPayouts',
    description: 'Every settled show pays its sellers automatically',
    bus: 'province',
    pattern: () => ({ source: ['county-live.settlements'], 'detail-type': ['Show Settled'] }),
    function: 'startPayouts',
  },
  {
    id: 'AdjustmentPayouts',
    description: "A refund after a payout was fixed is carried to the seller's next payout",
    bus: 'province',
    pattern: () => ({ source: ['county-live.settlements'], 'detail-type': ['Settlement Adjusted'] }),
    function: 'carryAdjustment',
  },
  {
    id: 'SettlementReports',
    description: "Every settled show, and every refund after settlement (in the period it happens in), counts in its county's and the province's week and month reports",
    bus: 'province',
    pattern: () => ({ source: ['county-live.settlements'], 'detail-type': ['Show Settled', 'Settlement Adjusted'] }),
    function: 'maintainReports',
  },
];

export const BUS_ENV = 'EVENT_BUS_NAME';

/** Environment every function gets: Powertools settings. */
export function commonEnvironment(provinceId: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: 'county-live',
    POWERTOOLS_METRICS_NAMESPACE: `CountyLive/${provinceId}`,
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/** Where the physical names come from: CDK tokens in the stack, local names offline. */
export interface ResourceNames {
  table(name: TableName): string;
  bus: string;
  /** A channel's resources: what the stack writes into the channel registry. */
  channel(channelId: string): ChannelResources;
  /** `arn:<partition>:ivs:<region>:<account>:channel/`: every IVS channel of the province's account and region. */
  ivsChannelArnPrefix: string;
  /** The ARN of the province's payment secret (WeChat Pay keys). */
  paymentSecretArn: string;
}

export interface ChannelResources {
  arn: string;
  playbackUrl: string;
  ingestEndpoint: string;
  streamKeyArn: string;
}

/**
 * The whole environment of one function: common settings, its tables, the bus if it publishes,
 * its province settings. The stack and the local province both call this.
 */
export function functionEnvironment(name: FunctionName, province: Province, names: ResourceNames): Record<string, string> {
  const fn: FunctionDecl = functions[name];
  const env = commonEnvironment(province.id);
  for (const t of Object.keys(fn.tables) as TableName[]) env[tables[t].env] = names.table(t);
  if (fn.publishes) env[BUS_ENV] = names.bus;
  for (const s of fn.settings ?? []) env[s] = settings[s](province);
  if (fn.paymentSecret) env[PAYMENT_SECRET_ENV] = names.paymentSecretArn;
  return env;
}
