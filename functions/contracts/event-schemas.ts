/**
 * JSON Schemas of every domain event, generated from the zod contracts the code publishes with:
 * written to docs/events/, registered in the province's EventBridge schema registry, and used by
 * the tests to check every event they see.
 */
import * as z from 'zod';
import {
  ORDER_DETAIL_TYPES,
  ORDER_EVENT_SOURCE,
  OrderEventDetail,
  PAYMENT_EVENT_SOURCE,
  PaymentEventDetail,
  PAYOUT_DETAIL_TYPES,
  PAYOUT_EVENT_SOURCE,
  RECONCILIATION_EVENT_SOURCE,
  MismatchEventDetail,
  PayoutEventDetail,
  SETTLEMENT_EVENT_SOURCE,
  SettlementAdjustedDetail,
  SettlementFailedDetail,
  SHOW_DETAIL_TYPES,
  SHOW_EVENT_SOURCE,
  ShowEventDetail,
  ShowSettledDetail,
} from './events.js';

export interface EventContract {
  source: string;
  detailType: string;
  detail: z.ZodType;
  description: string;
}

export const eventContracts: EventContract[] = [
  ...Object.entries(ORDER_DETAIL_TYPES).map(([status, detailType]) => ({
    source: ORDER_EVENT_SOURCE, detailType, detail: OrderEventDetail, description: `An order became ${status}.`,
  })),
  ...Object.entries(SHOW_DETAIL_TYPES).map(([status, detailType]) => ({
    source: SHOW_EVENT_SOURCE, detailType, detail: ShowEventDetail, description: `A show became ${status}.`,
  })),
  { source: PAYMENT_EVENT_SOURCE, detailType: 'Late Payment Refunded', detail: PaymentEventDetail, description: 'Money arrived for an order no longer payable (expired or cancelled); it was refunded to the buyer through the provider.' },
  { source: PAYMENT_EVENT_SOURCE, detailType: 'Refund Requested', detail: PaymentEventDetail, description: 'A storefront asked to refund a paid order; after settlement it waits for an operator of the county (refund.approval PENDING).' },
  { source: PAYMENT_EVENT_SOURCE, detailType: 'Refund Decided', detail: PaymentEventDetail, description: "An operator of the show's county approved or refused a refund after settlement." },
  ...Object.values(PAYOUT_DETAIL_TYPES).map((detailType) => ({
    source: PAYOUT_EVENT_SOURCE, detailType, detail: PayoutEventDetail, description: `A seller's payout: ${detailType.toLowerCase()} (once per attempt).`,
  })),
  { source: RECONCILIATION_EVENT_SOURCE, detailType: 'Reconciliation Mismatch', detail: MismatchEventDetail, description: "A day's reconciliation found a difference between WeChat Pay's bills and the books (kept in GET /reconciliation/{date}); once per mismatch." },
  { source: SETTLEMENT_EVENT_SOURCE, detailType: 'Show Settled', detail: ShowSettledDetail, description: "A show's settlement completed, with its totals." },
  { source: SETTLEMENT_EVENT_SOURCE, detailType: 'Settlement Adjusted', detail: SettlementAdjustedDetail, description: 'A refund after settlement reversed part of it.' },
  { source: SETTLEMENT_EVENT_SOURCE, detailType: 'Settlement Failed', detail: SettlementFailedDetail, description: 'A settlement failed its last attempt; an operator must re-run it.' },
];

/** `county-live.orders@OrderPaid` */
export const schemaName = (c: Pick<EventContract, 'source' | 'detailType'>) => `${c.source}@${c.detailType.replace(/\s+/g, '')}`;

/** The whole EventBridge event, as JSON Schema draft 4 (what the schema registry takes). */
export function eventJsonSchema(c: EventContract): Record<string, unknown> {
  const { $schema: _drop, ...detail } = z.toJSONSchema(c.detail, { target: 'draft-04', io: 'output' }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: schemaName(c),
    description: c.description,
    type: 'object',
    required: ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      'detail-type': { type: 'string', enum: [c.detailType] },
      source: { type: 'string', enum: [c.source] },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail,
    },
  };
}
