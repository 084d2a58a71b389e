/**
 * The fault seam: a middleware on a real SDK client that makes chosen commands fail, outside the
 * SDK's own retries (as if every retry had failed too). Nothing in production code changes.
 */
import { InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { type TableName, tables } from '../../province/wiring.js';

type Client = { middlewareStack: { add: (mw: any, options: any) => void; remove: (name: string) => boolean } };

export const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } });
export const internal = () => new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });

export interface Fault {
  /** Command name without "Command", e.g. TransactWriteItems. */
  command: string;
  /** Only calls on this table of the wiring (the one the environment names now), e.g. 'orders'. */
  table?: TableName;
  /** Which matching calls fail: the nth (1-based) … */
  from?: number;
  /** … and how many from there (default 1). */
  times?: number;
  /** Fail before the request is sent (nothing written) or after it succeeded (written, caller sees an error). */
  when?: 'before' | 'after';
  error: () => Error;
}

/** Installs faults on `client`; returns a function that removes them, and the failures injected. */
export function injectFaults(client: Client, ...faults: Fault[]) {
  const seen = new Map<Fault, number>();
  const injected: string[] = [];
  const name = `fault-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const command = String(context.commandName ?? '').replace(/Command$/, '');
      const fault = faults.find((f) => f.command === command && (!f.table || args.input?.TableName === process.env[tables[f.table].env]));
      if (!fault) return next(args);
      const n = (seen.get(fault) ?? 0) + 1;
      seen.set(fault, n);
      const from = fault.from ?? 1;
      const hit = n >= from && n < from + (fault.times ?? 1);
      if (hit && (fault.when ?? 'before') === 'before') {
        injected.push(`${command}#${n} before`);
        throw fault.error();
      }
      const result = await next(args);
      if (hit) {
        injected.push(`${command}#${n} after`);
        throw fault.error();
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return { injected, remove: () => client.middlewareStack.remove(name) };
}
