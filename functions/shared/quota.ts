/**
 * Per-storefront request rate, as a token bucket per function instance (burst = one second's
 * worth). Across N warm instances a storefront gets at most N × its rate; the stage throttle caps
 * the whole API.
 */
const buckets = new Map<string, { tokens: number; at: number }>();

export function takeToken(key: string, ratePerSecond: number, now = performance.now()): boolean {
  const bucket = buckets.get(key) ?? { tokens: ratePerSecond, at: now };
  bucket.tokens = Math.min(ratePerSecond, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
  bucket.at = now;
  const ok = bucket.tokens >= 1;
  if (ok) bucket.tokens -= 1;
  buckets.set(key, bucket);
  return ok;
}
