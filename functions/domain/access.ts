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

export function requireProvinceAdmin(operator: Operator): void {
  if (!operator.provinceAdmin) throw new DomainError('FORBIDDEN', 'only a province admin may do this');
}
