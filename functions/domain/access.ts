/**
 * Who may do what. Storefronts see only their own orders; county operators act only on their
 * county; a province admin acts on every county. Another's resource is answered as not found,
 * so callers learn nothing about what others have.
 */
import { DomainError } from './errors.js';

export interface Operator {
  subject: string;
  /** The operator's county; undefined for a province admin without one. */
  countyId?: string;
  provinceAdmin: boolean;
}

export interface StorefrontCaller {
  storefrontId: string;
  /** It collects its buyers' money itself and may report payments (POST /orders/{id}/pay). */
  merchantOfRecord?: boolean;
}

export const PROVINCE_ADMIN_GROUP = 'province-admin';

export function mayActOnCounty(operator: Operator, countyId: string): boolean {
  return operator.provinceAdmin || operator.countyId === countyId;
}

/** For an existing resource of a county: another county's is "not found". */
export function requireCounty(operator: Operator, countyId: string, notFound: () => DomainError): void {
  if (!mayActOnCounty(operator, countyId)) throw notFound();
}

/** For creating something in a county: refused outright. */
export function requireCountyToCreate(operator: Operator, countyId: string, field: string): void {
  if (!mayActOnCounty(operator, countyId)) {
    throw new DomainError('FORBIDDEN', `${field}: you operate county ${operator.countyId ?? '(none)'}, not ${countyId}`, field);
  }
}

/**
 * The county a list is of: a county operator's own unless named; a province admin names it.
 * Another county's list is refused outright (as GET /refunds does).
 */
export function countyToList(operator: Operator, countyId: string | undefined): string {
  const county = countyId ?? operator.countyId;
  if (!county) throw new DomainError('VALIDATION_FAILED', 'query.countyId: a province admin names the county', 'query.countyId');
  requireCountyToCreate(operator, county, 'query.countyId');
  return county;
}

export function requireProvinceAdmin(operator: Operator): void {
  if (!operator.provinceAdmin) throw new DomainError('FORBIDDEN', 'only a province admin may do this');
}
