/** A price the operator was told is saved applies to the very next order (no waiting for a cache). */
import { describe, expect, it } from 'vitest';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { handler as putLineup } from '../../functions/shows/put-lineup.js';
import { handler as endShow } from '../../functions/shows/end-show.js';
import { goLive, newKey, product, scheduledShow, seller } from '../support/fixtures.js';
import { invoke } from '../support/http.js';

describe('lineup changes and orders', () => {
  it('an order placed right after a price change is charged the new price, though the old show is cached', async () => {
    const { sellerId } = await seller();
    const p = await product(sellerId, 100, 1500);
    const { showId } = await scheduledShow([{ productId: p.productId, showPriceFen: 1000 }]);
    await goLive(showId);
    const order = () => invoke(reserve, { method: 'POST', headers: { 'idempotency-key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId: p.productId, quantity: 1 }] } });
    expect((await order()).body.totalFen).toBe(1000); // the LIVE show is now in the reservation path's cache
    const changed = await invoke(putLineup, { method: 'PUT', pathParameters: { showId }, body: { lineup: [{ productId: p.productId, showPriceFen: 800 }] } });
    expect(changed.status).toBe(200);
    const next = await order();
    expect(next.status).toBe(201);
    expect(next.body.items[0]).toMatchObject({ showPriceFen: 800, amountFen: 800 });
    expect(next.body.totalFen).toBe(800);
  });

  it('an order placed right after the show ended is refused, though the LIVE show is cached', async () => {
    const { sellerId } = await seller();
    const p = await product(sellerId, 100, 1500);
    const { showId } = await scheduledShow([{ productId: p.productId, showPriceFen: 1000 }]);
    await goLive(showId);
    const order = () => invoke(reserve, { method: 'POST', headers: { 'idempotency-key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId: p.productId, quantity: 1 }] } });
    expect((await order()).status).toBe(201);
    expect((await invoke(endShow, { method: 'POST', pathParameters: { showId } })).body.status).toBe('ENDED');
    const late = await order();
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('SHOW_NOT_LIVE');
  });
});
