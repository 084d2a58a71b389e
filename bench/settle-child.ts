/**
 * Runs in a fresh process so its peak RSS is its own: either settles a show (the real use case)
 * or reads the same paid orders bare, page by page. Prints one JSON line.
 */
import { settlementDeps } from '../functions/settlement/deps.js';
import { settleShow } from '../functions/settlement/service.js';
import { orderStore } from '../functions/adapters/order-store.js';

const [mode, showId, nowMs] = process.argv.slice(2);
const started = performance.now();
let count = 0;
if (mode === 'settle') {
  const outcome = await settleShow({ ...settlementDeps(), now: () => new Date(Number(nowMs)) }, showId!);
  if (outcome !== 'settled') throw new Error(`settlement ${outcome}`);
} else {
  for await (const page of orderStore.paidOrders(showId!)) count += page.length;
}
const ms = performance.now() - started;
console.log(JSON.stringify({ mode, ms, count, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
