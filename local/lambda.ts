/** The functions of the province, loaded from their entry files and invoked as Lambda would. */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FunctionName, functions } from '../province/wiring.js';
import { asFunction } from './iam.js';

export const ROOT = join(import.meta.dirname, '..');
export const LOCAL_ACCOUNT = '000000000000';

type Handler = (event: unknown, context: Context) => Promise<any>;
export type Invoke = (name: FunctionName, event: unknown) => Promise<any>;

/** A Lambda context with a real-time deadline. */
export function lambdaContext(functionName: string, timeoutSeconds = 10): Context {
  const deadline = performance.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Imports every function's handler (after the environment is set) and returns an invoker. Each invocation runs as its function (for IAM, local/iam.ts). */
export async function loadFunctions(namePrefix: string): Promise<Invoke> {
  const handlers = new Map<FunctionName, Handler>();
  for (const name of Object.keys(functions) as FunctionName[]) {
    const mod = (await import(pathToFileURL(join(ROOT, functions[name].entry)).href)) as { handler: Handler };
    handlers.set(name, mod.handler);
  }
  return (name, event) => {
    const timeoutSeconds = (functions[name] as { timeoutSeconds?: number }).timeoutSeconds ?? 10;
    return asFunction(name, () => handlers.get(name)!(event, lambdaContext(`${namePrefix}-${name}`, timeoutSeconds)));
  };
}
