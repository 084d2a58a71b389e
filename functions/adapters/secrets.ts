/**
 * Secrets from AWS Secrets Manager, read once per function instance and kept for a few minutes
 * (a rotated secret is picked up without a deploy). Never logged, never traced (no code here writes
 * to a trace; Lambda's own segments hold no payloads).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const KEEP_MS = 5 * 60_000;
/**
 * Loaded and made when first used: functions that never pay (every order function imports this
 * module) load neither the SDK (secrets-sdk.ts) nor a client at cold start.
 */
let secretsManager: Promise<{ sdk: typeof import('./secrets-sdk.js'); client: SecretsManagerClient }> | undefined;
const cache = new Map<string, { value: Promise<string>; until: number }>();

/** The secret's string value (a JSON document), by the ARN the function's environment names. */
export function secretString(arn: string, options: { fresh?: boolean } = {}): Promise<string> {
  const hit = cache.get(arn);
  if (hit && hit.until > performance.now() && !options.fresh) return hit.value;
  secretsManager ??= import('./secrets-sdk.js').then((sdk) => ({ sdk, client: new sdk.SecretsManagerClient({}) }));
  const value = secretsManager.then(({ sdk, client }) => client.send(new sdk.GetSecretValueCommand({ SecretId: arn }))).then((r) => {
    if (!r.SecretString) throw new Error('the payment secret has no value yet: the province IT fills it (README: Payments)');
    return r.SecretString;
  });
  value.catch(() => cache.delete(arn));
  cache.set(arn, { value, until: performance.now() + KEEP_MS });
  return value;
}
