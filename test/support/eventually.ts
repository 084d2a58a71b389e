/**
 * Waiting for a condition rather than for a guessed time: `check` runs again and again until
 * it returns without throwing (its result is returned), at most `timeoutMs`; after that, its
 * last error is thrown. Use it for what becomes true on its own (a lease lapsing); whatever the
 * test itself triggers (an IVS event, a clock) is better awaited or driven directly.
 */
import { setTimeout as pause } from 'node:timers/promises';

export async function eventually<T>(check: () => T | Promise<T>, { timeoutMs = 5_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() >= deadline) throw error;
    }
    await pause(intervalMs); // the polling interval, not a wait for the condition
  }
}
