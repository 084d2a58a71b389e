/**
 * The figures table's layout: one item per show with its live figures. The only code that knows
 * these keys and attribute names.
 *
 * Every counter is a TOP-LEVEL number attribute (ADD creates it at 0 + n; a nested map path would
 * need its parent to exist first), named short to keep the item small (a write costs 1 WCU per KB
 * of the item):
 *   s_<STATUS>          orders by current status
 *   gmv                 Σ totalFen of orders PAID now
 *   mo_<epochMinute>    orders PAID now that were paid in that minute; mg_<epochMinute> their GMV
 *   us_<productId>      units in orders PAID now; ur_<productId> units in orders RESERVED now
 *   q_<shardId>         the last orders-stream sequence number applied from that shard (40 digits)
 *   version             bumped by every write; asOf: the creation time of the last record applied
 */
import type { FigureCounts } from '../../domain/live-figures.js';
import { ORDER_STATUSES } from '../../domain/live-figures.js';
import type { OrderStatus } from '../../domain/order.js';
import type { Item } from './item.js';

export interface FiguresItem {
  showId: string;
  countyId?: string;
  counts: FigureCounts;
  asOf: string | null;
  version: number;
}

const minuteAttr = (kind: 'mo' | 'mg', minuteIso: string) => `${kind}_${Math.floor(Date.parse(minuteIso) / 60_000)}`;
const shardAttr = (shardId: string) => `q_${shardId}`;

/** The counters a difference adds, by attribute name (zeros left out). */
function counterAttributes(d: FigureCounts): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (name: string, n: number) => { if (n) out[name] = (out[name] ?? 0) + n; };
  for (const s of ORDER_STATUSES) put(`s_${s}`, d.status[s] ?? 0);
  put('gmv', d.paidGmvFen);
  for (const [m, v] of Object.entries(d.perMinute)) {
    put(minuteAttr('mo', m), v.paidOrders);
    put(minuteAttr('mg', m), v.paidGmvFen);
  }
  for (const [p, v] of Object.entries(d.products)) {
    put(`us_${p}`, v.unitsSold);
    put(`ur_${p}`, v.unitsReserved);
  }
  return out;
}

export const figuresTable = {
  figuresKey: (showId: string) => ({ pk: `FIGURES#${showId}`, sk: 'FIGURES' }),
  shardAttribute: shardAttr,

  /**
   * One write of a shard's changes to a show's figures: ADD the counters' differences, record the
   * last sequence number applied from the shard, IF nothing at or after the first one was applied
   * from that shard (padded sequence numbers compare as text).
   */
  applyUpdate(args: { showId: string; countyId: string; shardId: string; counts: FigureCounts; firstSequence: string; lastSequence: string; asOf: string }) {
    const names: Record<string, string> = { '#q': shardAttr(args.shardId), '#version': 'version', '#asOf': 'asOf', '#showId': 'showId', '#countyId': 'countyId' };
    const values: Record<string, unknown> = { ':first': args.firstSequence, ':last': args.lastSequence, ':one': 1, ':asOf': args.asOf, ':showId': args.showId, ':countyId': args.countyId };
    const adds = ['#version :one'];
    Object.entries(counterAttributes(args.counts)).forEach(([name, n], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = n;
      adds.push(`#c${i} :c${i}`);
    });
    return {
      Key: figuresTable.figuresKey(args.showId),
      UpdateExpression: `SET #q = :last, #asOf = :asOf, #showId = :showId, #countyId = :countyId ADD ${adds.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#q) OR #q < :first',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  },

  /** The last sequence number applied from a shard, as stored (padded), if any. */
  appliedSequence: (item: Item, shardId: string): string | undefined => (typeof item[shardAttr(shardId)] === 'string' ? String(item[shardAttr(shardId)]) : undefined),

  toFigures(item: Item): FiguresItem {
    const counts: FigureCounts = { status: {}, paidGmvFen: Number(item.gmv ?? 0), perMinute: {}, products: {} };
    for (const [name, raw] of Object.entries(item)) {
      const n = Number(raw);
      const [kind, ...rest] = name.split('_');
      const id = rest.join('_');
      if (kind === 's' && ORDER_STATUSES.includes(id as OrderStatus)) counts.status[id as OrderStatus] = n;
      else if (kind === 'mo' || kind === 'mg') {
        const minute = new Date(Number(id) * 60_000).toISOString();
        const m = (counts.perMinute[minute] ??= { paidOrders: 0, paidGmvFen: 0 });
        if (kind === 'mo') m.paidOrders = n;
        else m.paidGmvFen = n;
      } else if (kind === 'us' || kind === 'ur') {
        const p = (counts.products[id] ??= { unitsSold: 0, unitsReserved: 0 });
        if (kind === 'us') p.unitsSold = n;
        else p.unitsReserved = n;
      }
    }
    return {
      showId: String(item.showId ?? String(item.pk).slice('FIGURES#'.length)),
      ...(item.countyId ? { countyId: String(item.countyId) } : {}),
      counts,
      asOf: item.asOf ? String(item.asOf) : null,
      version: Number(item.version ?? 0),
    };
  },
};
