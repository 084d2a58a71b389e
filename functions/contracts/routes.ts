/**
 * What each route accepts: path parameters, query string, body, and the headers it requires.
 * One map from the wiring's route keys to the zod contracts the handlers validate with; the
 * hostile-input tests and the OpenAPI document read it.
 */
import * as z from 'zod';
import type { ErrorCode } from '../domain/errors.js';
import { CountyShowList, Ingest, LiveFigures, OperatorShow, Order, Product, ProductList, ProductStockChanges, Seller, SellerList, StockAdjusted, StorefrontList, Settlement, SettlementCsv, SettlementRerun, ShowDetail, ShowList, SpotlightResult, PendingRefunds, StartedPayment, Payout, ShowPayouts, BankBatchCsv, BankReturnsImported, ReconciliationReport, StorefrontIssued, StorefrontKeyIssued, StorefrontKeyRevoked, StorefrontKeys, PeriodReport, PeriodReportCsv } from './responses.js';
import {
  AdjustStockBody,
  CountyPath,
  ReportQuery,
  ChannelPath,
  EditProductBody,
  EditSellerBody,
  ListCountyShowsQuery,
  ListProductsQuery,
  ListSellersQuery,
  PageQuery,
  CreateProductBody,
  CreateSellerBody,
  CreateShowBody,
  CreateStorefrontBody,
  ReconciliationPath,
  BankReturnsBody,
  DecideRefundBody,
  EmptyBody,
  IdempotencyKey,
  ListShowsQuery,
  OrderPath,
  PayOrderBody,
  PayoutPath,
  PayoutResultBody,
  BankBatchQuery,
  PayeeBody,
  PendingRefundsQuery,
  ProductPath,
  SellerPath,
  PutLineupBody,
  ReserveOrderBody,
  ShowPath,
  SpotlightBody,
  StartPaymentBody,
  StorefrontKeyPath,
  StorefrontPath,
} from './api.js';

export interface RouteContract {
  summary: string;
  path?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: Record<string, z.ZodType>;
  /** Status and body of a success. */
  success: number;
  response: z.ZodType;
  /** The content type of the success (JSON unless said). */
  contentType?: string;
  /** Refusals this route can answer besides VALIDATION_FAILED, UNAUTHENTICATED and INTERNAL. */
  errors: ErrorCode[];
}

const ORDER_READ: ErrorCode[] = ['NOT_FOUND', 'RATE_LIMITED'];

export const routeContracts: Record<string, RouteContract> = {
  'GET /openapi.json': { summary: 'This document', success: 200, response: z.record(z.string(), z.unknown()), errors: [] },
  'GET /storefronts': { summary: "The province's storefronts, in the order they were issued (province admin; never a key)", query: PageQuery, success: 200, response: StorefrontList, errors: ['FORBIDDEN'] },
  'POST /storefronts': { summary: 'Issue a storefront API key (province admin; shown once)', body: CreateStorefrontBody, success: 201, response: StorefrontIssued, errors: ['FORBIDDEN'] },
  'GET /storefronts/{storefrontId}/keys': { summary: "A storefront's keys: ids, status, dates (province admin)", path: StorefrontPath, success: 200, response: StorefrontKeys, errors: ['FORBIDDEN', 'NOT_FOUND'] },
  'POST /storefronts/{storefrontId}/keys': { summary: 'Issue a second key to rotate to (province admin; shown once; at most 2 active)', path: StorefrontPath, body: EmptyBody, success: 201, response: StorefrontKeyIssued, errors: ['FORBIDDEN', 'NOT_FOUND', 'KEY_LIMIT_REACHED'] },
  'DELETE /storefronts/{storefrontId}/keys/{keyId}': { summary: 'Revoke a key: refused everywhere within 60 s (province admin)', path: StorefrontKeyPath, success: 200, response: StorefrontKeyRevoked, errors: ['FORBIDDEN', 'NOT_FOUND'] },
  'POST /sellers': { summary: 'Register a seller (farmer, cooperative, enterprise) of a county', body: CreateSellerBody, success: 201, response: Seller, errors: ['FORBIDDEN', 'UNKNOWN_REFERENCE'] },
  'PUT /sellers/{sellerId}/payee': { summary: "Set or correct where a seller's payouts go (a farmer: WeChat openid, and real name for 2,000 yuan or more; a cooperative or enterprise: bank account). Answered masked", path: SellerPath, body: PayeeBody, success: 200, response: Seller, errors: ['NOT_FOUND'] },
  'GET /sellers': { summary: "A county's sellers in the order they were added, payees masked (a county operator's own county; a province admin names it)", query: ListSellersQuery, success: 200, response: SellerList, errors: ['FORBIDDEN'] },
  'GET /sellers/{sellerId}': { summary: 'A seller with its version (payee masked)', path: SellerPath, success: 200, response: Seller, errors: ['NOT_FOUND'] },
  'PATCH /sellers/{sellerId}': { summary: "Edit a seller's name or contact (null removes it) from the version you read; its kind and county are fixed. A stale version is refused with VERSION_CONFLICT and nothing changes", path: SellerPath, body: EditSellerBody, success: 200, response: Seller, errors: ['NOT_FOUND', 'VERSION_CONFLICT'] },
  'POST /products': { summary: "Add a seller's product with its price and stock", body: CreateProductBody, success: 201, response: Product, errors: ['UNKNOWN_REFERENCE'] },
  'GET /products': { summary: "A county's products with their stock and version, by seller (a county operator's own county; a province admin names it); sellerId narrows it to one seller's", query: ListProductsQuery, success: 200, response: ProductList, errors: ['FORBIDDEN'] },
  'GET /products/{productId}/stock-changes': { summary: "A product for its county's operators (stock, version) with its stock record: who added or removed units, when and why, newest first", path: ProductPath, query: PageQuery, success: 200, response: ProductStockChanges, errors: ['NOT_FOUND'] },
  'PATCH /products/{productId}': { summary: "Edit a product's name, unit or list price from the version you read (shows sell at their lineup's show prices). A stale version is refused with VERSION_CONFLICT and nothing changes", path: ProductPath, body: EditProductBody, success: 200, response: Product, errors: ['NOT_FOUND', 'VERSION_CONFLICT'] },
  'POST /products/{productId}/stock': { summary: "Add (deltaUnits > 0) or remove (< 0) units with a reason, recorded with who and when. Removing more than the product holds is refused with OUT_OF_STOCK and nothing changes", path: ProductPath, body: AdjustStockBody, success: 200, response: StockAdjusted, errors: ['NOT_FOUND', 'OUT_OF_STOCK'] },
  'GET /county-shows': { summary: "A county's shows of every status (or the one named), newest scheduledStart first, for its operators (a county operator's own county; a province admin names it)", query: ListCountyShowsQuery, success: 200, response: CountyShowList, errors: ['FORBIDDEN'] },
  'GET /county-shows/{showId}': { summary: "One show of the operator's county, any status, with its lineup (the console's show page)", path: ShowPath, success: 200, response: OperatorShow, errors: ['NOT_FOUND'] },
  'POST /shows': { summary: 'Schedule a show on a county channel with its lineup', body: CreateShowBody, success: 201, response: OperatorShow, errors: ['FORBIDDEN', 'UNKNOWN_REFERENCE'] },
  'GET /shows/{showId}/live': { summary: "A show's live figures for its operators: orders by status, paid GMV, paid orders per minute, per lineup product units sold, reserved and stock left, the spotlight, broadcasting and viewers. Kept from the orders stream (lag about a second)", path: ShowPath, success: 200, response: LiveFigures, errors: ['NOT_FOUND'] },
  'PUT /shows/{showId}/lineup': { summary: "Replace a show's lineup (while SCHEDULED or LIVE)", path: ShowPath, body: PutLineupBody, success: 200, response: OperatorShow, errors: ['NOT_FOUND', 'UNKNOWN_REFERENCE', 'SHOW_CLOSED', 'PRODUCT_ON_SALE_ELSEWHERE'] },
  'POST /shows/{showId}/end': { summary: 'End a show at once (stops its stream); cancels one that never started', path: ShowPath, body: EmptyBody, success: 200, response: OperatorShow, errors: ['NOT_FOUND'] },
  'POST /shows/{showId}/spotlight': { summary: "Put a lineup product on every viewer's screen", path: ShowPath, body: SpotlightBody, success: 200, response: SpotlightResult, errors: ['NOT_FOUND', 'SHOW_NOT_LIVE', 'NOT_IN_LINEUP', 'SHOW_NOT_BROADCASTING'] },
  'GET /channels/{channelId}/ingest': { summary: "A county channel's ingest server and stream key", path: ChannelPath, success: 200, response: Ingest, errors: ['NOT_FOUND'] },
  'GET /shows': { summary: 'Live or upcoming shows', query: ListShowsQuery, success: 200, response: ShowList, errors: ['RATE_LIMITED'] },
  'GET /shows/{showId}': { summary: 'A show with its lineup, stock, spotlight and viewers', path: ShowPath, success: 200, response: ShowDetail, errors: ORDER_READ },
  'GET /products/{productId}': { summary: 'A product with its price and stock', path: ProductPath, success: 200, response: Product, errors: ORDER_READ },
  'POST /orders': {
    summary: 'Reserve an order (takes the stock until it is paid or expires)', body: ReserveOrderBody, headers: { 'idempotency-key': IdempotencyKey }, success: 201, response: Order,
    errors: ['NOT_FOUND', 'SHOW_NOT_LIVE', 'NOT_IN_LINEUP', 'NOT_ON_SALE', 'OUT_OF_STOCK', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS', 'RATE_LIMITED'],
  },
  'GET /orders/{orderId}': { summary: 'One of your orders', path: OrderPath, success: 200, response: Order, errors: ORDER_READ },
  'POST /orders/{orderId}/payment': {
    summary: "Start paying a reservation with WeChat Pay: answers what the buyer's client passes to wx.requestPayment; the order becomes PAID when WeChat Pay notifies the province",
    path: OrderPath, body: StartPaymentBody, success: 200, response: StartedPayment, errors: [...ORDER_READ, 'RESERVATION_EXPIRED', 'ORDER_STATE_CONFLICT', 'SERVICE_UNAVAILABLE'],
  },
  'POST /payments/wechatpay/notify': {
    summary: "WeChat Pay's notifications (payments and refunds). No API credentials: the platform signature is checked. Answers 204, or an error with {\"code\":\"FAIL\"} so WeChat retries",
    body: z.record(z.string(), z.unknown()), success: 204, response: z.null(), errors: [],
  },
  'POST /orders/{orderId}/pay': { summary: 'Report a payment with your own reference (merchant-of-record storefronts only; others pay through POST /orders/{orderId}/payment)', path: OrderPath, body: PayOrderBody, success: 200, response: Order, errors: [...ORDER_READ, 'FORBIDDEN', 'RESERVATION_EXPIRED', 'ORDER_STATE_CONFLICT'] },
  'POST /orders/{orderId}/cancel': { summary: 'Cancel a reservation (returns the stock)', path: OrderPath, body: EmptyBody, success: 200, response: Order, errors: [...ORDER_READ, 'ORDER_STATE_CONFLICT'] },
  'POST /orders/{orderId}/refund': { summary: "Refund a paid order: asks WeChat Pay (the order shows refundRequestedAt, and becomes REFUNDED once WeChat Pay confirms), or at once for a merchant of record. After the show was settled the request waits for an operator of the county (refundApproval PENDING); the settlement is then adjusted", path: OrderPath, body: EmptyBody, success: 200, response: Order, errors: [...ORDER_READ, 'ORDER_STATE_CONFLICT', 'SETTLEMENT_IN_PROGRESS', 'SERVICE_UNAVAILABLE'] },
  'POST /orders/{orderId}/refund/decision': { summary: "Approve or refuse a refund asked after the show was settled (an operator of the show's county)", path: OrderPath, body: DecideRefundBody, success: 200, response: Order, errors: ['NOT_FOUND', 'ORDER_STATE_CONFLICT', 'SETTLEMENT_IN_PROGRESS', 'SERVICE_UNAVAILABLE'] },
  'GET /refunds': { summary: "Refunds asked after settlement, waiting for the county's decision (oldest first)", query: PendingRefundsQuery, success: 200, response: PendingRefunds, errors: ['FORBIDDEN'] },
  'GET /shows/{showId}/payouts': { summary: "A settled show's payouts: one per seller, status, masked payee, amount, provider reference", path: ShowPath, success: 200, response: ShowPayouts, errors: ['NOT_FOUND'] },
  'POST /payouts/{payoutId}/retry': { summary: 'Submit a FAILED payout again, under its one id (after the payee was corrected)', path: PayoutPath, body: EmptyBody, success: 200, response: Payout, errors: ['NOT_FOUND', 'ORDER_STATE_CONFLICT', 'SERVICE_UNAVAILABLE'] },
  'POST /payouts/{payoutId}/result': { summary: "Record the bank's answer for one line of a bank batch (province admin)", path: PayoutPath, body: PayoutResultBody, success: 200, response: Payout, errors: ['FORBIDDEN', 'NOT_FOUND', 'ORDER_STATE_CONFLICT'] },
  'GET /reconciliation/{date}': { summary: "A day's reconciliation with WeChat Pay's trade and fund-flow bills (province admin): CLEAN, or each mismatch", path: ReconciliationPath, success: 200, response: ReconciliationReport, errors: ['FORBIDDEN', 'NOT_FOUND'] },
  'POST /reconciliation/{date}': { summary: 'Reconcile a day now, or again (province admin); the hourly job does yesterday once its bills exist', path: ReconciliationPath, body: EmptyBody, success: 200, response: ReconciliationReport, errors: ['FORBIDDEN', 'BILL_NOT_READY'] },
  'POST /payouts/bank-returns': { summary: "Import the bank's return file for a batch (province admin): each line's answer recorded on its payout; a line already answered the same way is ALREADY, one that does not fit is REFUSED with its reason", body: BankReturnsBody, success: 200, response: BankReturnsImported, errors: ['FORBIDDEN', 'VALIDATION_FAILED'] },
  'GET /payouts/bank-batch.csv': { summary: "The day's bank batch for the finance office to upload to its bank (province admin): cooperatives' and enterprises' payouts, accounts in full", query: BankBatchQuery, success: 200, response: BankBatchCsv, contentType: 'text/csv', errors: ['FORBIDDEN'] },
  'GET /shows/{showId}/settlement': { summary: "A show's settlement: statements per seller, adjustments", path: ShowPath, success: 200, response: Settlement, errors: ['NOT_FOUND'] },
  'GET /shows/{showId}/settlement.csv': { summary: "A show's settlement as a CSV for Excel", path: ShowPath, success: 200, response: SettlementCsv, contentType: 'text/csv', errors: ['NOT_FOUND'] },
  'GET /reports/counties/{countyId}': { summary: "A county's report of a month (2026-11) or ISO week (2026-W48), China time: the county's operators and province admins", path: CountyPath, query: ReportQuery, success: 200, response: PeriodReport, errors: ['FORBIDDEN'] },
  'GET /reports/counties/{countyId}/report.csv': { summary: "A county's report for Excel", path: CountyPath, query: ReportQuery, success: 200, response: PeriodReportCsv, contentType: 'text/csv', errors: ['FORBIDDEN'] },
  'GET /reports/province': { summary: "The province's report of a month or ISO week, comparing its counties (province admins)", query: ReportQuery, success: 200, response: PeriodReport, errors: ['FORBIDDEN'] },
  'GET /reports/province.csv': { summary: "The province's report for Excel (province admins)", query: ReportQuery, success: 200, response: PeriodReportCsv, contentType: 'text/csv', errors: ['FORBIDDEN'] },
  'POST /shows/{showId}/settlement/retry': { summary: 'Re-run a FAILED settlement', path: ShowPath, body: EmptyBody, success: 202, response: SettlementRerun, errors: ['NOT_FOUND', 'SETTLEMENT_NOT_FAILED'] },
};
