/**
 * Request contracts of the HTTP API (zod): the handlers validate with these and nothing else.
 * Unknown fields are refused (strict objects) so a typo never passes silently.
 */
import * as z from 'zod';
import { householdFactsRefusal } from '../domain/facts.js';

/**
 * Builds a schema at module load, as a plain `const` would, but marked free of side effects
 * (esbuild's annotation, which works within this module only): a handler's bundle keeps only the
 * schemas it uses. Building all of them cost every function that validates a request ≈ 20 ms of
 * cold start (README: Benchmarks).
 */
/* @__NO_SIDE_EFFECTS__ */ function schema<T>(build: () => T): T {
  return build();
}

export const Id = schema(() => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"'));
const Slug = schema(() => z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, 'must be a lower-case id such as "chengbu"'));
/**
 * Characters that make a name display other than it reads: zero-width characters and joiners,
 * the byte-order mark, and the bidirectional controls that can reorder text (Trojan Source).
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/;

const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)')
    .refine((s) => !INVISIBLE.test(s), 'must not contain invisible or direction-changing characters (zero-width, bidi controls)');

/** Prices: whole fen, at least 1 fen, at most 1,000,000 yuan per unit. */
export const PriceFen = schema(() => z
  .number({ error: 'must be a number of fen' })
  .int('must be a whole number of fen (no decimals)')
  .min(1, 'must be at least 1 fen')
  .max(100_000_000, 'must be at most 100000000 fen (1,000,000 yuan)'));

/** Where a seller's payouts go: a farmer's WeChat wallet, or a cooperative's or enterprise's bank account. */
export const PayeeBody = schema(() => z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('wechat'),
    openid: z.string().regex(/^[A-Za-z0-9_-]{6,128}$/, "must be the farmer's WeChat openid under the province's AppID"),
    /** Required by WeChat Pay for a transfer of 2,000 yuan or more. */
    realName: Text(50).optional(),
  }),
  z.strictObject({
    kind: z.literal('bank'),
    accountName: Text(100),
    accountNumber: z.string().regex(/^\d[\d ]{6,38}\d$/, 'must be the bank account number (digits, spaces allowed)'),
    bank: Text(60),
    branch: Text(100),
  }),
]));

/** A farmer's household: registered poor or formerly poor (建档立卡 / 脱贫户). */
export const HouseholdBody = schema(() => z.strictObject({ registeredPoor: z.boolean({ error: 'must be true (a registered poor or formerly poor household) or false' }) }));
/** How many registered households a cooperative or enterprise brings along. */
export const HouseholdsBroughtAlong = schema(() => z.number({ error: 'must be a whole number of households' }).int('must be a whole number').min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000'));
/** A certified poverty-alleviation product (扶贫产品); the certificate number is optional. */
export const PovertyAlleviationBody = schema(() => z
  .strictObject({
    certified: z.boolean({ error: 'must be true (a certified poverty-alleviation product) or false' }),
    certificateNo: z.string().regex(/^[A-Za-z0-9/-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "/"').optional(),
  })
  .superRefine((p, ctx) => {
    if (p.certificateNo !== undefined && !p.certified) ctx.addIssue({ code: 'custom', path: ['certificateNo'], message: 'only a certified product has a certificate number' });
  }));

export const CreateSellerBody = schema(() => z
  .strictObject({
    countyId: Slug,
    name: Text(100),
    kind: z.enum(['farmer', 'cooperative', 'enterprise']),
    contact: Text(100).optional(),
    /** Where its payouts go (may be given later: PUT /sellers/{sellerId}/payee). */
    payee: PayeeBody.optional(),
    household: HouseholdBody.optional(),
    householdsBroughtAlong: HouseholdsBroughtAlong.optional(),
  })
  .superRefine((body, ctx) => {
    const refusal = householdFactsRefusal(body.kind, body);
    if (refusal) ctx.addIssue({ code: 'custom', path: [refusal.field], message: refusal.message });
  }));

export const SellerPath = schema(() => z.strictObject({ sellerId: Id }));

export const CreateProductBody = schema(() => z.strictObject({
  sellerId: Id,
  name: Text(100),
  unit: Text(20),
  priceFen: PriceFen,
  stock: z.number().int('must be a whole number').min(0, 'must not be negative').max(10_000_000, 'must be at most 10000000'),
  povertyAlleviation: PovertyAlleviationBody.optional(),
}));

const distinctProducts = <T extends { productId: string }>(entries: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.productId)) {
      ctx.addIssue({ code: 'custom', path: [i, 'productId'], message: `product ${e.productId} appears twice` });
    }
    seen.add(e.productId);
  });
};

export const Lineup = schema(() => z
  .array(
    z.strictObject({
      productId: Id,
      showPriceFen: PriceFen,
      stockShards: z.number().int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').optional(),
    }),
  )
  .max(100, 'must have at most 100 products')
  .superRefine(distinctProducts));

export const CreateShowBody = schema(() => z.strictObject({
  countyId: Slug,
  channel: Slug,
  title: Text(200),
  scheduledStart: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-12-01T20:00:00+08:00' }),
  lineup: Lineup.default([]),
}));

export const PutLineupBody = schema(() => z.strictObject({ lineup: Lineup }));

export const ReserveOrderBody = schema(() => z.strictObject({
  showId: Id,
  buyerRef: Text(128),
  items: z
    .array(
      z.strictObject({
        productId: Id,
        quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000'),
      }),
    )
    .min(1, 'must have at least one item')
    .max(20, 'must have at most 20 items')
    .superRefine(distinctProducts),
}));

export const PayOrderBody = schema(() => z.strictObject({ paymentRef: Text(128) }));

export const PayoutPath = schema(() => z.strictObject({
  payoutId: z.string().regex(/^payout:[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_-]{1,64}$/, 'must be a payout id: payout:<showId>:<sellerId>'),
}));
/** The bank's answer for one line of a batch. */
export const PayoutResultBody = schema(() => z.strictObject({ succeeded: z.boolean({ error: 'must be true (paid) or false (refused)' }), reason: Text(200).optional() }));
/** The bank's return file for a batch, as its text (UTF-8 CSV; the console reads the file and sends it). */
export const BankReturnsBody = schema(() => z.strictObject({
  file: z.string().min(1, 'must not be empty').max(2_000_000, 'must be at most 2,000,000 characters (about 20,000 lines)').refine((s) => s.isWellFormed(), 'must be well-formed Unicode (UTF-8 text)'),
}));
export const BankBatchQuery = schema(() => z.strictObject({ date: z.iso.date({ error: 'must be a day, YYYY-MM-DD (China time)' }) }));
/** A day of the provider's bills (China time). */
export const ReconciliationPath = schema(() => z.strictObject({ date: z.iso.date({ error: 'must be a day, YYYY-MM-DD (China time)' }) }));

/** An operator's decision on a refund asked after settlement. */
export const DecideRefundBody = schema(() => z.strictObject({ approve: z.boolean({ error: 'must be true (approve) or false (refuse)' }) }));

export const PendingRefundsQuery = schema(() => z.strictObject({ countyId: Slug.optional() }));

/** The buyer who pays: their openid under the province's AppID (from wx.login, exchanged by the storefront's server). */
export const StartPaymentBody = schema(() => z.strictObject({
  payerOpenId: z.string().regex(/^[A-Za-z0-9_-]{6,128}$/, 'must be the buyer\'s WeChat openid under the province\'s AppID'),
}));

/** For actions that take no fields (cancel, refund, end, re-run): an empty body or `{}`. */
export const EmptyBody = schema(() => z.strictObject({}).default({}));

export const IdempotencyKey = schema(() => z
  .string({ error: 'the Idempotency-Key header is required' })
  .regex(/^[\x21-\x7e]{8,255}$/, 'must be 8-255 printable ASCII characters (a UUID is a good key)'));

export const CreateStorefrontBody = schema(() => z.strictObject({
  name: Text(100),
  rateLimitPerSecond: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(50),
  /** true: the storefront collects its buyers' money itself and reports payments (POST /orders/{id}/pay); false (default): its buyers pay the province through WeChat Pay. */
  merchantOfRecord: z.boolean().default(false),
}));

export const SpotlightBody = schema(() => z.strictObject({ productId: Id }));

export const ListShowsQuery = schema(() => z.strictObject({
  status: z.enum(['live', 'upcoming']).default('live'),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,2048}$/, 'must be the nextCursor of a previous answer').optional(),
}));

/** A page of a list: at most `limit` entries, from the `nextCursor` of the previous answer. */
const Limit = schema(() => z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20));
const Cursor = schema(() => z.string().regex(/^[A-Za-z0-9_-]{1,2048}$/, 'must be the nextCursor of a previous answer').optional());
/** The version the operator read: an edit from any other is refused (VERSION_CONFLICT), never lost. */
const Version = schema(() => z.number({ error: 'must be the version you read (a whole number)' }).int('must be a whole number').min(1, 'must be at least 1'));

/** A county's list: a county operator's own county by default; a province admin names it. */
export const ListSellersQuery = schema(() => z.strictObject({ countyId: Slug.optional(), limit: Limit, cursor: Cursor }));
export const ListProductsQuery = schema(() => z.strictObject({ countyId: Slug.optional(), sellerId: Id.optional(), limit: Limit, cursor: Cursor }));
export const ListCountyShowsQuery = schema(() => z.strictObject({
  countyId: Slug.optional(),
  status: z.enum(['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED']).optional(),
  limit: Limit,
  cursor: Cursor,
}));
export const PageQuery = schema(() => z.strictObject({ limit: Limit, cursor: Cursor }));

const atLeastOne = (fields: string[]) => (body: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (fields.every((f) => body[f] === undefined)) ctx.addIssue({ code: 'custom', path: [fields[0]!], message: `give at least one of ${fields.join(', ')} to change` });
};

/** A seller's name and contact (null removes the contact); its kind and county are fixed. */
export const EditSellerBody = schema(() => z
  .strictObject({
    version: Version, name: Text(100).optional(), contact: Text(100).nullable().optional(),
    household: HouseholdBody.optional(), householdsBroughtAlong: HouseholdsBroughtAlong.optional(),
  })
  .superRefine(atLeastOne(['name', 'contact', 'household', 'householdsBroughtAlong'])));

export const EditProductBody = schema(() => z
  .strictObject({ version: Version, name: Text(100).optional(), unit: Text(20).optional(), priceFen: PriceFen.optional(), povertyAlleviation: PovertyAlleviationBody.optional() })
  .superRefine(atLeastOne(['name', 'unit', 'priceFen', 'povertyAlleviation'])));

/** Units added (positive) or removed (negative), with why: kept in the product's stock record. */
export const AdjustStockBody = schema(() => z.strictObject({
  deltaUnits: z
    .number({ error: 'must be a whole number of units, positive to add, negative to remove' })
    .int('must be a whole number')
    .min(-10_000_000, 'must be at least -10000000')
    .max(10_000_000, 'must be at most 10000000')
    .refine((n) => n !== 0, 'must not be 0'),
  reason: Text(200),
}));

export const ProductPath = schema(() => z.object({ productId: Id }));
export const ChannelPath = schema(() => z.object({ channelId: Id }));
export const StorefrontPath = schema(() => z.object({ storefrontId: z.string().regex(/^[a-f0-9]{16}$/, 'must be a storefront id (16 hex digits)') }));
export const StorefrontKeyPath = schema(() => StorefrontPath.extend({ keyId: z.string().regex(/^[a-f0-9]{8}$/, 'must be a key id (8 hex digits)') }));
export const ShowPath = schema(() => z.object({ showId: Id }));
export const OrderPath = schema(() => z.object({ orderId: Id }));

export type ReserveOrderRequest = z.infer<typeof ReserveOrderBody>;

/** A report period in China time: a calendar month (2026-11) or an ISO week (2026-W48). */
export const ReportQuery = schema(() => z.strictObject({
  period: z.string({ error: 'must be a month (2026-11) or an ISO week (2026-W48)' }).regex(/^\d{4}-(0[1-9]|1[0-2]|W(0[1-9]|[1-4]\d|5[0-3]))$/, 'must be a month (2026-11) or an ISO week (2026-W48)'),
}));
export const CountyPath = schema(() => z.object({ countyId: Slug }));
