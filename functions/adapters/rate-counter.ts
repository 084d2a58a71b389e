/**
 * A storefront's request rate across every function instance: one counter per storefront and
 * second. An instance takes its requests from the counter in leases — one at first, twice as many
 * each time it used up its lease within the second, half of what it admitted in the last second
 * at the start of the next — and admits them from memory. The
 * counter only ever grants up to the storefront's rate, so the rate holds across instances; a busy
 * instance pays one UpdateItem (1 WCU) per lease instead of per request. Units leased and not
 * used by the end of the second are lost (admission errs on the side of the limit). Once the
 * counter is full, the instance refuses the rest of that second without asking again.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../shared/env.js';
import { ratesTable } from './codecs/rates.js';
import { ddb } from './dynamo.js';

/** The most a lease takes at once: a fraction of the rate, so that instances share it. */
const MAX_LEASE_SHARE = 8;
const MAX_LEASE = 64;

/**
 * This instance's lease for a storefront: its second, the units left, its size, the requests
 * admitted in that second; `full`: the counter refused even one unit (it only grows in a second).
 */
interface Lease { second: number; left: number; size: number; served: number; full?: boolean }
const leases = new Map<string, Lease>();

async function lease(storefrontId: string, second: number, units: number, ratePerSecond: number): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('rates'),
        Key: ratesTable.counterKey(storefrontId, second),
        UpdateExpression: 'ADD n :units SET expiresAt = if_not_exists(expiresAt, :ttl)',
        ConditionExpression: 'attribute_not_exists(n) OR n <= :most',
        ExpressionAttributeValues: { ':units': units, ':most': ratePerSecond - units, ':ttl': ratesTable.expiresAt(second) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** True if the request is within `ratePerSecond` for this second. */
export async function takeRequest(storefrontId: string, ratePerSecond: number, now = Date.now()): Promise<boolean> {
  const second = Math.floor(now / 1000);
  const held = leases.get(storefrontId);
  const sameSecond = held?.second === second;
  if (sameSecond && held.left > 0) {
    held.left--;
    held.served++;
    return true;
  }
  if (sameSecond && held.full) return false;
  // within a second, twice the lease just used up; at the next second, half what the instance admitted in the last one
  const wanted = sameSecond ? held.size * 2 : held?.second === second - 1 ? Math.ceil(held.served / 2) : 1;
  const size = Math.max(1, Math.min(wanted, Math.floor(ratePerSecond / MAX_LEASE_SHARE), MAX_LEASE));
  // near the limit a big lease no longer fits: take a single unit instead
  const units = (await lease(storefrontId, second, size, ratePerSecond)) ? size : size > 1 && (await lease(storefrontId, second, 1, ratePerSecond)) ? 1 : 0;
  const served = sameSecond ? held.served : 0;
  if (units === 0) {
    leases.set(storefrontId, { second, left: 0, size: 1, served, full: true });
    return false;
  }
  leases.set(storefrontId, { second, left: units - 1, size: units, served: served + 1 });
  return true;
}
