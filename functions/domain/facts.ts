/**
 * The facts officials count about sellers and products (pure): a farmer's household (registered
 * poor or formerly poor, 建档立卡 / 脱贫户), the households a cooperative or enterprise brings along,
 * and whether a product is a certified poverty-alleviation product (扶贫产品).
 */
export type SellerKind = 'farmer' | 'cooperative' | 'enterprise';

/** A seller's facts as kept on its statement at the moment of a settlement. */
export interface SellerFacts {
  kind: SellerKind;
  /** A farmer: a registered poor or formerly poor household. */
  registeredPoor?: boolean;
  /** A cooperative or enterprise: how many registered households it brings along. */
  householdsBroughtAlong?: number;
}

/** Which facts fit a seller's kind: a farmer's own household, a cooperative's or enterprise's households brought along. */
export function householdFactsRefusal(kind: SellerKind, facts: { household?: unknown; householdsBroughtAlong?: unknown }): { field: string; message: string } | undefined {
  if (kind === 'farmer' && facts.householdsBroughtAlong !== undefined) return { field: 'householdsBroughtAlong', message: 'a farmer has no householdsBroughtAlong: give household {registeredPoor}' };
  if (kind !== 'farmer' && facts.household !== undefined) return { field: 'household', message: `a ${kind} has no household of its own: give householdsBroughtAlong` };
  return undefined;
}

/** The facts of a seller as they are now, to keep on a statement. */
export function sellerFacts(seller: { kind: SellerKind; household?: { registeredPoor: boolean }; householdsBroughtAlong?: number }): SellerFacts {
  if (seller.kind === 'farmer') return { kind: 'farmer', registeredPoor: seller.household?.registeredPoor ?? false };
  return { kind: seller.kind, householdsBroughtAlong: seller.householdsBroughtAlong ?? 0 };
}

/**
 * Households a seller reaches: a registered-poor farmer 1, a cooperative or enterprise the
 * households it brings along, anyone else 0.
 */
export function householdsOf(facts: SellerFacts | undefined): number {
  if (!facts) return 0;
  if (facts.kind === 'farmer') return facts.registeredPoor ? 1 : 0;
  return facts.householdsBroughtAlong ?? 0;
}

/** Whether a seller's payouts count as going to registered households: it reaches at least one. */
export const reachesRegisteredHouseholds = (facts: SellerFacts | undefined) => householdsOf(facts) > 0;
