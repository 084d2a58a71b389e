/**
 * What each route accepts: path parameters, query string, body, and the headers it requires.
 * One map from the wiring's route keys to the zod contracts the handlers validate with; the
 * hostile-input tests and the OpenAPI document read it.
 */
import type * as z from 'zod';
import {
  ChannelPath,
  CreateProductBody,
  CreateSellerBody,
  CreateShowBody,
  CreateStorefrontBody,
  EmptyBody,
  IdempotencyKey,
  ListShowsQuery,
  OrderPath,
  PayOrderBody,
  ProductPath,
  PutLineupBody,
  ReserveOrderBody,
  ShowPath,
  SpotlightBody,
} from './api.js';

export interface RouteContract {
  summary: string;
  path?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: Record<string, z.ZodType>;
  /** Status of a success. */
  success: number;
}

export const routeContracts: Record<string, RouteContract> = {
  'POST /storefronts': { summary: 'Issue a storefront API key (province admin; shown once)', body: CreateStorefrontBody, success: 201 },
  'POST /sellers': { summary: 'Register a seller (farmer, cooperative, enterprise) of a county', body: CreateSellerBody, success: 201 },
  'POST /products': { summary: "Add a seller's product with its price and stock", body: CreateProductBody, success: 201 },
  'POST /shows': { summary: 'Schedule a show on a county channel with its lineup', body: CreateShowBody, success: 201 },
  'PUT /shows/{showId}/lineup': { summary: "Replace a show's lineup (while SCHEDULED or LIVE)", path: ShowPath, body: PutLineupBody, success: 200 },
  'POST /shows/{showId}/end': { summary: 'End a show at once (stops its stream); cancels one that never started', path: ShowPath, body: EmptyBody, success: 200 },
  'POST /shows/{showId}/spotlight': { summary: 'Put a lineup product on every viewer’s screen', path: ShowPath, body: SpotlightBody, success: 200 },
  'GET /channels/{channelId}/ingest': { summary: "A county channel's ingest server and stream key", path: ChannelPath, success: 200 },
  'GET /shows': { summary: 'Live or upcoming shows', query: ListShowsQuery, success: 200 },
  'GET /shows/{showId}': { summary: 'A show with its lineup, stock, spotlight and viewers', path: ShowPath, success: 200 },
  'GET /products/{productId}': { summary: 'A product with its price and stock', path: ProductPath, success: 200 },
  'POST /orders': { summary: 'Reserve an order (takes the stock until it is paid or expires)', body: ReserveOrderBody, headers: { 'idempotency-key': IdempotencyKey }, success: 201 },
  'GET /orders/{orderId}': { summary: 'One of your orders', path: OrderPath, success: 200 },
  'POST /orders/{orderId}/pay': { summary: 'Pay a reservation', path: OrderPath, body: PayOrderBody, success: 200 },
  'POST /orders/{orderId}/cancel': { summary: 'Cancel a reservation (returns the stock)', path: OrderPath, body: EmptyBody, success: 200 },
  'POST /orders/{orderId}/refund': { summary: 'Refund a paid order (adjusts a settled show)', path: OrderPath, body: EmptyBody, success: 200 },
  'GET /shows/{showId}/settlement': { summary: "A show's settlement: statements per seller, adjustments", path: ShowPath, success: 200 },
  'GET /shows/{showId}/settlement.csv': { summary: "A show's settlement as a CSV for Excel", path: ShowPath, success: 200 },
  'POST /shows/{showId}/settlement/retry': { summary: 'Re-run a FAILED settlement', path: ShowPath, body: EmptyBody, success: 202 },
};
