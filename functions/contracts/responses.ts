/**
 * What the API answers, as zod schemas: the OpenAPI document is generated from these, and the
 * contract tests validate every answer the integration tests get against that document.
 */
import * as z from 'zod';
import { ERROR_STATUS } from '../domain/errors.js';

const Fen = z.number().int().meta({ description: 'Amount in fen (1 yuan = 100 fen)' });
const Timestamp = z.string().meta({ format: 'date-time' });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(['INTERNAL', ...Object.keys(ERROR_STATUS)] as [string, ...string[]]),
      message: z.string(),
      field: z.string().optional().meta({ description: 'The offending field, e.g. items[0].quantity' }),
    }),
  })
  .meta({ id: 'Error' });

/** What API Gateway answers by itself (authorizer refusals, throttling): not the API's own error shape. */
export const GatewayRefusal = z.object({ message: z.string() }).meta({ id: 'GatewayRefusal' });

export const StorefrontIssued = z
  .object({ storefrontId: z.string(), name: z.string(), rateLimitPerSecond: z.number().int(), merchantOfRecord: z.boolean(), keyId: z.string(), apiKey: z.string().meta({ description: 'Shown once; store it now' }), createdAt: Timestamp, note: z.string() })
  .meta({ id: 'StorefrontIssued' });

export const StorefrontKeyIssued = z
  .object({ storefrontId: z.string(), keyId: z.string(), apiKey: z.string().meta({ description: 'Shown once; store it now' }), createdAt: Timestamp, note: z.string() })
  .meta({ id: 'StorefrontKeyIssued' });

const StorefrontKeyView = z.object({ keyId: z.string(), status: z.enum(['ACTIVE', 'REVOKED']), createdAt: Timestamp, revokedAt: Timestamp.optional() });
export const StorefrontKeyRevoked = StorefrontKeyView.extend({ storefrontId: z.string() }).meta({ id: 'StorefrontKeyRevoked' });
export const StorefrontKeys = z.object({ storefrontId: z.string(), keys: z.array(StorefrontKeyView) }).meta({ id: 'StorefrontKeys' });
export const StorefrontList = z
  .object({
    storefronts: z.array(z.object({ storefrontId: z.string(), name: z.string(), rateLimitPerSecond: z.number().int(), merchantOfRecord: z.boolean(), status: z.enum(['ACTIVE', 'REVOKED']), activeKeys: z.number().int(), createdAt: Timestamp })),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'StorefrontList' });

const MaskedPayee = z
  .union([
    z.object({ kind: z.literal('wechat'), openid: z.string(), realName: z.string().optional() }),
    z.object({ kind: z.literal('bank'), accountName: z.string(), accountNumber: z.string(), bank: z.string(), branch: z.string() }),
  ])
  .meta({ id: 'MaskedPayee', description: 'Masked: an account number shows as 6222 **** **** 1234, an openid as oUpF********eS6o; only the payout function reads them in full' });

export const Seller = z
  .object({ sellerId: z.string(), countyId: z.string(), name: z.string(), kind: z.enum(['farmer', 'cooperative', 'enterprise']), contact: z.string().optional(), payee: MaskedPayee.optional(),
    household: z.object({ registeredPoor: z.boolean() }).optional().meta({ description: 'A farmer: a registered poor or formerly poor household (建档立卡 / 脱贫户)' }),
    householdsBroughtAlong: z.number().int().optional().meta({ description: 'A cooperative or enterprise: how many registered households it brings along' }),
    createdAt: Timestamp, version: z.number().int().meta({ description: 'Send it back with an edit: an edit from an older version is refused (VERSION_CONFLICT)' }) })
  .meta({ id: 'Seller' });
export const SellerList = z.object({ countyId: z.string(), sellers: z.array(Seller), nextCursor: z.string().optional() }).meta({ id: 'SellerList' });

export const Product = z
  .object({
    productId: z.string(), sellerId: z.string(), countyId: z.string(), name: z.string(), unit: z.string(),
    priceFen: Fen, stock: z.number().int(), stockShards: z.number().int().optional(),
    povertyAlleviation: z.object({ certified: z.boolean(), certificateNo: z.string().optional() }).optional().meta({ description: 'A certified poverty-alleviation product (扶贫产品)' }),
    createdAt: Timestamp,
    version: z.number().int().meta({ description: 'Send it back with an edit: an edit from an older version is refused (VERSION_CONFLICT)' }),
  })
  .meta({ id: 'Product' });
export const ProductList = z.object({ countyId: z.string(), products: z.array(Product), nextCursor: z.string().optional() }).meta({ id: 'ProductList' });
const StockChange = z
  .object({ changeId: z.string(), productId: z.string(), deltaUnits: z.number().int(), reason: z.string(), by: z.string().meta({ description: 'The operator (token subject)' }), at: Timestamp })
  .meta({ id: 'StockChange' });
export const ProductStockChanges = z.object({ product: Product, changes: z.array(StockChange), nextCursor: z.string().optional() }).meta({ id: 'ProductStockChanges' });
export const StockAdjusted = z.object({ product: Product, change: StockChange }).meta({ id: 'StockAdjusted' });

const LineupEntry = z.object({ productId: z.string(), showPriceFen: Fen, stockShards: z.number().int().optional() });
const Spotlight = z.object({ productId: z.string(), showPriceFen: Fen, seq: z.number().int(), at: Timestamp }).meta({ id: 'Spotlight' });
const ShowStatus = z.enum(['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED']);

export const OperatorShow = z
  .object({
    showId: z.string(), countyId: z.string(), channelId: z.string(), channelArn: z.string(), title: z.string(),
    scheduledStart: Timestamp, status: ShowStatus, lineup: z.array(LineupEntry), createdAt: Timestamp,
    startedAt: Timestamp.optional(), streamIds: z.array(z.string()).optional(), broadcastEndedAt: Timestamp.optional(),
    endedAt: Timestamp.optional(), endedBy: z.enum(['stream', 'operator', 'reconciliation']).optional(), spotlight: Spotlight.optional(),
  })
  .meta({ id: 'OperatorShow' });

export const LiveFigures = z
  .object({
    showId: z.string(), countyId: z.string(), status: ShowStatus, title: z.string(),
    startedAt: Timestamp.optional(), endedAt: Timestamp.optional(),
    broadcasting: z.object({
      live: z.boolean().meta({ description: 'The show is LIVE and its channel is broadcasting (no stream end or offline observation since)' }),
      viewerCount: z.number().int().nullable().meta({ description: "Viewers of the show's channel as IVS last reported them (refreshed every minute at least); null when not LIVE or not known" }),
      health: z.enum(['HEALTHY', 'STARVING', 'UNKNOWN']).nullable().meta({ description: "The stream's health as IVS last reported it (STARVING: the encoder is not sending enough); null when not on air or not known" }),
    }),
    spotlight: Spotlight.nullable(),
    orders: z
      .object({ reserved: z.number().int(), paid: z.number().int(), cancelled: z.number().int(), expired: z.number().int(), refunded: z.number().int() })
      .meta({ description: "The show's orders by their current status" }),
    paidGmvFen: Fen.meta({ description: 'Σ totalFen of the orders PAID now (a refunded order leaves it)' }),
    perMinute: z
      .array(z.object({ minute: Timestamp, paidOrders: z.number().int(), paidGmvFen: Fen }))
      .meta({ description: 'Orders PAID now by the minute they were paid, ascending; only minutes with payments' }),
    products: z
      .array(z.object({
        productId: z.string(), name: z.string(), showPriceFen: Fen,
        unitsSold: z.number().int().meta({ description: 'Units in orders PAID now' }),
        unitsReserved: z.number().int().meta({ description: 'Units in orders RESERVED now' }),
        stockLeft: z.number().int().meta({ description: "The catalog's stock (its shards added up)" }),
        soldOut: z.boolean(),
      }))
      .meta({ description: 'The lineup, in its order' }),
    asOf: Timestamp.nullable().meta({ description: 'When the last order change applied to the figures was made (null: none yet)' }),
    sequence: z.number().int().meta({ description: "The figures' version: grows with every write" }),
  })
  .meta({ id: 'LiveFigures' });

export const SpotlightResult = z.object({ showId: z.string(), spotlight: Spotlight }).meta({ id: 'SpotlightResult' });

export const Ingest = z
  .object({ channelId: z.string(), countyId: z.string(), ingestEndpoint: z.string(), ingestServer: z.string(), streamKey: z.string().meta({ description: 'Secret: never log or share it' }) })
  .meta({ id: 'Ingest' });

const ShowSummaryShape = {
  showId: z.string(), countyId: z.string(), channelId: z.string(), title: z.string(), status: ShowStatus, scheduledStart: Timestamp,
  startedAt: Timestamp.optional(), endedAt: Timestamp.optional(), playbackUrl: z.string().optional(),
  spotlight: z.object({ productId: z.string(), showPriceFen: Fen, seq: z.number().int() }).nullable(),
};
export const ShowSummary = z.object(ShowSummaryShape).meta({ id: 'ShowSummary' });
export const ShowList = z.object({ shows: z.array(ShowSummary), nextCursor: z.string().optional() }).meta({ id: 'ShowList' });
export const CountyShowList = z
  .object({ countyId: z.string(), shows: z.array(z.object({ ...ShowSummaryShape, lineupSize: z.number().int() })), nextCursor: z.string().optional() })
  .meta({ id: 'CountyShowList' });
export const ShowDetail = z
  .object({
    ...ShowSummaryShape,
    viewerCount: z.number().int().nullable(),
    lineup: z.array(
      z.object({
        productId: z.string(), name: z.string().nullable(), unit: z.string().nullable(), sellerId: z.string().nullable(),
        listPriceFen: Fen.nullable(), showPriceFen: Fen, stock: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ShowDetail' });

export const Order = z
  .object({
    orderId: z.string(), storefrontId: z.string(), showId: z.string(), buyerRef: z.string(),
    status: z.enum(['RESERVED', 'PAID', 'CANCELLED', 'EXPIRED', 'REFUNDED']), totalFen: Fen, expiresAt: Timestamp,
    items: z.array(z.object({ productId: z.string(), name: z.string(), unit: z.string(), quantity: z.number().int(), showPriceFen: Fen, amountFen: Fen })),
    createdAt: Timestamp, paidAt: Timestamp.optional(), paymentRef: z.string().optional(), cancelledAt: Timestamp.optional(),
    expiredAt: Timestamp.optional(), refundedAt: Timestamp.optional(),
    payment: z.object({ provider: z.enum(['wechatpay']), startedAt: Timestamp }).optional().meta({ description: 'A payment was opened at the provider' }),
    refundRequestedAt: Timestamp.optional().meta({ description: 'A refund was asked for; the order becomes REFUNDED when the provider confirms it' }),
    refundApproval: z.enum(['PENDING', 'APPROVED', 'REFUSED']).optional().meta({ description: "A refund asked after settlement waits for an operator of the show's county" }),
    latePayment: z.object({ amountFen: Fen, refundState: z.string(), receivedAt: Timestamp }).optional().meta({ description: 'Money that arrived after the order was no longer payable, sent back' }),
  })
  .meta({ id: 'Order' });

export const Payout = z
  .object({
    payoutId: z.string(), showId: z.string(), countyId: z.string(), sellerId: z.string(), sellerName: z.string(), method: z.enum(['wechat', 'bank']), amountFen: Fen,
    status: z.enum(['PENDING', 'SUBMITTED', 'AWAITING_CONFIRMATION', 'SUCCEEDED', 'FAILED']), reference: z.string(), payee: MaskedPayee, createdAt: Timestamp,
    submittedAt: Timestamp.optional(), providerRef: z.string().optional(), awaiting: z.string().optional(), succeededAt: Timestamp.optional(), failedAt: Timestamp.optional(), failure: z.string().optional(), attempts: z.number().int(),
    fixedAt: Timestamp.optional().meta({ description: 'When the amount was fixed, just before the first submission; until then amountFen is provisional' }),
    dueFen: Fen.optional().meta({ description: "What the seller's statement owed when the amount was fixed (net of refunds before it)" }),
    offsetFen: Fen.optional().meta({ description: "Receivables from the seller's earlier payouts (refunds after them) taken off: amountFen = dueFen - offsetFen" }),
    offsets: z.array(z.object({ showId: z.string(), fen: Fen })).optional(),
  })
  .meta({ id: 'Payout' });
export const ShowPayouts = z.object({ showId: z.string(), payouts: z.array(Payout), paidOutFen: Fen }).meta({ id: 'ShowPayouts' });
const MismatchKind = z.enum(['PAID_THERE_NOT_HERE', 'PAYMENT_AMOUNT_DIFFERS', 'REFUND_THERE_NOT_HERE', 'REFUND_AMOUNT_DIFFERS', 'TRANSFER_NOT_OURS', 'TRANSFER_AMOUNT_DIFFERS', 'PAID_OUT_HERE_NOT_THERE']);
export const Mismatch = z
  .object({
    day: z.iso.date(), kind: MismatchKind, ref: z.string().meta({ description: 'The order id, refund number or transfer reference it is about' }),
    providerFen: Fen.optional(), ourFen: Fen.optional(), detail: z.string(), foundAt: Timestamp,
  })
  .meta({ id: 'Mismatch' });
export const ReconciliationReport = z
  .object({
    reconciliation: z.object({
      day: z.iso.date(), status: z.enum(['CLEAN', 'MISMATCHES']), reconciledAt: Timestamp, runs: z.number().int(),
      checked: z.object({ payments: z.number().int(), refunds: z.number().int(), transfers: z.number().int(), payouts: z.number().int() }),
      totals: z.object({ paidFen: Fen, refundedFen: Fen, transferredFen: Fen }), mismatchCount: z.number().int(),
      current: z.array(z.string()).meta({ description: 'The mismatches the latest run found (<kind>#<ref>); earlier ones it did not find again are resolved' }),
    }),
    mismatches: z.array(Mismatch),
  })
  .meta({ id: 'ReconciliationReport' });
export const BankReturnsImported = z
  .object({
    lines: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    already: z.number().int(),
    refused: z.number().int(),
    results: z.array(z.object({
      line: z.number().int().meta({ description: 'Line number in the file (the header is line 1)' }),
      ref: z.string(),
      outcome: z.enum(['SUCCEEDED', 'FAILED', 'ALREADY', 'REFUSED']),
      reason: z.string().optional(),
    })),
  })
  .meta({ id: 'BankReturnsImported' });
export const BankBatchCsv = z.string().meta({ description: 'UTF-8 with BOM: payout_id, reference, payee_name, account_number, bank, branch, amount_yuan (2 decimals), amount_fen, county_id, show_id, status, attempt (the return file brings it back)' });

export const PendingRefunds = z
  .object({
    countyId: z.string(),
    refunds: z.array(z.object({ orderId: z.string(), showId: z.string(), countyId: z.string(), totalFen: Fen, requestedAt: Timestamp })),
  })
  .meta({ id: 'PendingRefunds' });

export const StartedPayment = z
  .object({
    orderId: z.string(),
    provider: z.enum(['wechatpay']),
    totalFen: Fen,
    expiresAt: Timestamp,
    requestPayment: z
      .object({ appId: z.string(), timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal('RSA'), paySign: z.string() })
      .meta({ description: 'Pass as they are to wx.requestPayment (mini program) or WeixinJSBridge getBrandWCPayRequest (WeChat in-app browser)' }),
  })
  .meta({ id: 'StartedPayment' });

const Reversal = z.object({ sellerId: z.string(), refundFen: Fen, payoutReversalFen: Fen, operationsReversalFen: Fen });
const Totals = { grossFen: Fen, payoutFen: Fen, operationsFen: Fen };
export const Settlement = z
  .object({
    showId: z.string(), countyId: z.string(), status: z.enum(['PENDING', 'SETTLING', 'SETTLED', 'FAILED']), sellerShareBps: z.number().int(),
    dueAt: Timestamp, settledAt: Timestamp.optional(), lastError: z.string().optional(),
    grossFen: Fen, sellerPayoutFen: Fen, operationsFen: Fen, orderCount: z.number().int(),
    sellers: z.array(
      z.object({
        sellerId: z.string(), name: z.string(), ...Totals,
        lines: z.array(z.object({
          productId: z.string(), name: z.string(), quantity: z.number().int(), showPriceFen: Fen, amountFen: Fen,
          certified: z.boolean().optional().meta({ description: 'A certified poverty-alleviation product when the show was settled' }),
        })),
        facts: z.object({ kind: z.enum(['farmer', 'cooperative', 'enterprise']), registeredPoor: z.boolean().optional(), householdsBroughtAlong: z.number().int().optional() }).optional()
          .meta({ description: "The seller's household facts as they were when the show was settled (later edits never change them)" }),
        refundedFen: Fen, payoutReversedFen: Fen, net: z.object(Totals),
        payoutStatus: z.enum(['PENDING', 'SUBMITTED', 'AWAITING_CONFIRMATION', 'SUCCEEDED', 'FAILED']).optional().meta({ description: "The seller's payout, once payouts started (GET /shows/{showId}/payouts)" }),
      }),
    ),
    adjustments: z.array(z.object({ showId: z.string(), orderId: z.string(), at: Timestamp, reversals: z.array(Reversal) })),
    net: z.object({ grossFen: Fen, sellerPayoutFen: Fen, operationsFen: Fen }).nullable(),
  })
  .meta({ id: 'Settlement' });

export const SettlementRerun = z.object({ showId: z.string(), status: z.string(), dueAt: Timestamp }).meta({ id: 'SettlementRerun' });
export const SettlementCsv = z.string().meta({ description: 'UTF-8 with BOM; one row per seller; amounts in yuan (2 decimals) and fen' });

const ReportProduct = z.object({ productId: z.string(), name: z.string(), units: z.number().int(), grossFen: z.number().int() });
const ReportCounty = z.object({ countyId: z.string(), gmvFen: z.number().int(), paidToSellersFen: z.number().int(), householdsReached: z.number().int(), showsHeld: z.number().int(), ordersPaid: z.number().int() });
export const PeriodReport = z
  .strictObject({
    scope: z.enum(['county', 'province']), countyId: z.string().optional(), period: z.string(), periodKind: z.enum(['month', 'week']), from: Timestamp, to: Timestamp,
    showsHeld: z.number().int(), hoursLive: z.number().meta({ description: 'Hours live, one decimal' }), ordersPaid: z.number().int(),
    gmvFen: z.number().int().meta({ description: 'Net of refunds after settlement in the period (may be negative in a period with only refunds)' }),
    paidToSellersFen: z.number().int(), operationsFen: z.number().int(),
    sellers: z.number().int().meta({ description: 'Distinct sellers with sales in the period' }),
    householdsReached: z.number().int().meta({ description: 'Per seller once: a registered-poor farmer 1, a cooperative or enterprise its householdsBroughtAlong (as at its sales)' }),
    toRegisteredHouseholdsFen: z.number().int().meta({ description: 'Payouts to registered-poor farmers and to cooperatives/enterprises bringing households along' }),
    toCertifiedProductsFen: z.number().int().meta({ description: 'The sellers\' payout share of certified poverty-alleviation products' }),
    topProducts: z.array(ReportProduct).meta({ description: 'At most 10, by gross' }),
    counties: z.array(ReportCounty).optional().meta({ description: 'The province only: each county with figures in the period' }),
    updatedAt: Timestamp.nullable(),
  })
  .meta({ id: 'PeriodReport' });
export const PeriodReportCsv = z.string().meta({ description: 'UTF-8 with BOM, CRLF; the figures in yuan (2 decimals) and fen, then the top products (and for the province, the counties)' });
