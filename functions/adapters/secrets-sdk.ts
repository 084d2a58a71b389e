/**
 * The part of @aws-sdk/client-secrets-manager that secrets.ts uses, in a module of its own so it
 * is loaded with `import()` on the first secret read: in a handler's bundle (esbuild, CJS) that
 * becomes a `require` made then, not at cold start. Every order, settlement and payout function
 * imports secrets.ts; only the payment paths read a secret (README: Benchmarks).
 */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
