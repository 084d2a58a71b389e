/**
 * IAM in the tests: every AWS call a function makes while a test runs it (through `invoke`, or
 * an IVS event delivered to onStreamEvent) is checked against that function's policies from the
 * synthesized template (docs/iam-policies.json), as local/iam.ts does for `npm start`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { asFunction, enforceIam, IAM_POLICIES, type IamEnforcement, type IamModel, type IamPolicies, iamModel, type LocalNames } from '../../local/iam.js';
import { type FunctionName, functions, type TableName, tables } from '../../province/wiring.js';

export const TEST_ACCOUNT = '123456789012';
/** The test province's payment secret (served by the worker's Secrets Manager stand-in). */
export const TEST_PAYMENT_SECRET_ARN = `arn:aws:secretsmanager:ap-northeast-1:${TEST_ACCOUNT}:secret:county-live-test-payment-T3st01`;
const policies = JSON.parse(readFileSync(IAM_POLICIES, 'utf8')) as IamPolicies;

/** The tables the process uses now (a file may switch to tables of its own). */
const currentNames = (): LocalNames => ({
  region: process.env.AWS_REGION ?? 'ap-northeast-1',
  account: TEST_ACCOUNT,
  table: (t: TableName) => process.env[tables[t].env]!,
  bus: process.env.EVENT_BUS_NAME ?? 'test-province-bus',
  paymentSecretArn: TEST_PAYMENT_SECRET_ARN,
});

let models: { key: string; model: IamModel } | undefined;
const modelNow = () => {
  const names = currentNames();
  const key = JSON.stringify((Object.keys(tables) as TableName[]).map(names.table));
  if (models?.key !== key) models = { key, model: iamModel(policies, names) };
  return models.model;
};

let enforcement: IamEnforcement | undefined;
/** Installs the check for this worker (once). */
export function enforceIamInTests(): IamEnforcement {
  enforcement ??= enforceIam(modelNow, currentNames);
  return enforcement;
}

let byHandler: Map<unknown, FunctionName> | undefined;
/** The function a handler is, by importing every entry of the wiring. */
export async function functionOf(handler: unknown): Promise<FunctionName | undefined> {
  if (!byHandler) {
    byHandler = new Map();
    for (const name of Object.keys(functions) as FunctionName[]) {
      const mod = await import(pathToFileURL(join(import.meta.dirname, '..', '..', functions[name].entry)).href);
      byHandler.set(mod.handler, name);
    }
  }
  return byHandler.get(handler);
}

/** Runs a handler as its function (its AWS calls checked against its role). */
export async function asHandler<T>(handler: unknown, run: () => Promise<T>): Promise<T> {
  const name = await functionOf(handler);
  return name ? asFunction(name, run) : run();
}

/**
 * Every function's handler, wherever a test imports it from, runs as its function: the module
 * is replaced (vi.doMock, before any test file is imported) by one whose handler is the real one
 * run under `asFunction`. So direct calls (an authorizer, an event target) are checked too.
 */
export function runHandlersAsTheirFunctions(doMock: (path: string, factory: (importOriginal: () => Promise<any>) => Promise<any>) => void): void {
  for (const name of Object.keys(functions) as FunctionName[]) {
    doMock(join(import.meta.dirname, '..', '..', functions[name].entry), async (importOriginal) => {
      const mod = await importOriginal();
      const real = mod.handler as (...args: unknown[]) => unknown;
      const handler = Object.assign((...args: unknown[]) => asFunction(name, () => real(...args)), { real });
      return { ...mod, handler };
    });
  }
}
