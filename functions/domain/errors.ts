/** Machine-readable error codes the API answers with, and the HTTP status each maps to. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  UNKNOWN_REFERENCE: 422,
  NOT_IN_LINEUP: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  OUT_OF_STOCK: 409,
  SHOW_NOT_LIVE: 409,
  /** The product's sale in the show is opening or closing, or another live show holds it: retry shortly. */
  NOT_ON_SALE: 409,
  SHOW_CLOSED: 409,
  /** A lineup change of a live show adds a product another live show is selling: nothing was changed. */
  PRODUCT_ON_SALE_ELSEWHERE: 409,
  SHOW_NOT_BROADCASTING: 409,
  RESERVATION_EXPIRED: 409,
  ORDER_STATE_CONFLICT: 409,
  SETTLEMENT_IN_PROGRESS: 409,
  SETTLEMENT_NOT_FAILED: 409,
  KEY_LIMIT_REACHED: 409,
  BILL_NOT_READY: 409,
  /** The client edited from a version that is no longer the stored one: read again, then edit. */
  VERSION_CONFLICT: 409,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A refusal the caller can act on. Thrown by domain code, mapped to HTTP at the edge. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
