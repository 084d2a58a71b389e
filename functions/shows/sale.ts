/**
 * A LIVE show's sale: the gate on its lineup products' stock items (SaleGates) that an order's
 * stock update checks, so no show item is written or checked per order.
 *
 * Orderings (a crash between two steps leaves orders refused, never accepted for a show that
 * is not LIVE, and the sweep heals a LIVE show within a minute):
 * - going LIVE: the show is saved LIVE, then its sale opened;
 * - leaving LIVE: the sale is closed, the status saved, then the sale closed again (a lineup
 *   change or the sweep may have opened it in between);
 * - opening: the gates are written, then the show read again: changed meanwhile (ended, lineup
 *   replaced), the opening follows it (closing what it should not have opened);
 * - a lineup change of a LIVE show: the show item first, then the gates (a lineup change that
 *   has not returned is concurrent with orders).
 *
 * A product is on sale in a show when its gate names the show, the show is LIVE and the product
 * is in its lineup. A gate naming a show that is no longer LIVE, or no longer has the product,
 * is stale (a crash, a lost race) and is taken over.
 */
import type { Show } from '../domain/show.js';
import type { SaleHeld, ShowDeps } from './ports.js';

export type SaleDeps = Pick<ShowDeps, 'shows' | 'sales'>;

const productIds = (show: Pick<Show, 'lineup'> | undefined) => (show?.lineup ?? []).map((e) => e.productId);

/** Whether the product is on sale in the show (not merely named by a stale gate). */
function sells(show: Show | undefined, productId: string): boolean {
  return show?.status === 'LIVE' && show.lineup.some((e) => e.productId === productId);
}

/** Splits gates held by other shows into those shows still sell (`live`) and stale ones, to take over. */
export async function sortHeld(deps: SaleDeps, held: readonly SaleHeld[]): Promise<{ live: SaleHeld[]; stale: Map<string, string> }> {
  const shows = new Map<string, Promise<Show | undefined>>();
  const live: SaleHeld[] = [];
  const stale = new Map<string, string>();
  for (const h of held) {
    if (!shows.has(h.heldBy)) shows.set(h.heldBy, deps.shows.getShow(h.heldBy));
    if (sells(await shows.get(h.heldBy), h.productId)) live.push(h);
    else stale.set(h.productId, h.heldBy);
  }
  return { live, stale };
}

/**
 * Opens (or re-opens: it writes only what differs) the sale of a LIVE show's lineup, taking over
 * stale gates. Returns the products another LIVE show sells, left to it.
 */
export async function openSale(deps: SaleDeps, show: Show): Promise<SaleHeld[]> {
  let current = show;
  let held: SaleHeld[] = [];
  for (let round = 0; round < 5; round++) {
    const first = await deps.sales.open(current.showId, current.lineup);
    let wrote = first.wrote;
    held = first.held;
    if (held.length > 0) {
      const { live, stale } = await sortHeld(deps, held);
      held = live;
      if (stale.size > 0) {
        const again = await deps.sales.open(current.showId, current.lineup.filter((e) => stale.has(e.productId)), stale);
        held.push(...again.held);
        wrote ||= again.wrote;
      }
    }
    if (!wrote) return held;
    const fresh = await deps.shows.getShow(current.showId);
    if (fresh?.version === current.version) return held;
    if (fresh?.status !== 'LIVE') {
      // ended (or ending) meanwhile: whoever ended it may have closed before these writes
      await deps.sales.close(current.showId, [...new Set([...productIds(current), ...productIds(fresh)])]);
      return [];
    }
    const gone = productIds(current).filter((id) => !sells(fresh, id));
    if (gone.length > 0) await deps.sales.close(current.showId, gone);
    current = fresh; // its lineup may have changed: open that one (only what differs is written)
  }
  return held; // it kept changing: the next sweep finishes
}

/** Closes the sale of the show's lineup (only gates naming this show are removed). */
export async function closeSale(deps: SaleDeps, show: Pick<Show, 'showId' | 'lineup'>): Promise<void> {
  await deps.sales.close(show.showId, productIds(show));
}
