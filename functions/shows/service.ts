import type { CatalogStore } from '../adapters/catalog-store.js';
import type { ShowStore } from '../adapters/show-store.js';
import { type Operator, requireCounty } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { type LineupEntry, scheduleShow, type Show } from '../domain/show.js';
import type { Province } from '../../lib/provinces/index.js';
import type { Channel } from '../shared/channels.js';

export interface ShowDeps {
  shows: ShowStore;
  catalog: CatalogStore;
  now: () => Date;
  newId: () => string;
}

/** Every lineup product must exist and belong to a seller of the show's county. */
async function checkLineup(deps: ShowDeps, countyId: string, lineup: LineupEntry[], field: string): Promise<void> {
  const products = await deps.catalog.getProducts(lineup.map((e) => e.productId));
  lineup.forEach((entry, i) => {
    const product = products.get(entry.productId);
    const f = `${field}[${i}].productId`;
    if (!product) throw new DomainError('UNKNOWN_REFERENCE', `${f}: product ${entry.productId} does not exist`, f);
    if (product.countyId !== countyId) {
      throw new DomainError('UNKNOWN_REFERENCE', `${f}: product ${entry.productId} is sold in county ${product.countyId}, not ${countyId}`, f);
    }
  });
}

/** Spreads (or gathers back) the stock of lineup products that name a shard count. */
async function applyStockShards(deps: ShowDeps, lineup: LineupEntry[]): Promise<void> {
  for (const entry of lineup) {
    if (entry.stockShards !== undefined) await deps.catalog.shardStock(entry.productId, entry.stockShards);
  }
}

export async function createShow(
  deps: ShowDeps,
  province: Province,
  channels: readonly Channel[],
  input: { countyId: string; channel: string; title: string; scheduledStart: string; lineup: LineupEntry[] },
): Promise<Show> {
  const county = province.counties.find((c) => c.id === input.countyId);
  if (!county) throw new DomainError('UNKNOWN_REFERENCE', `countyId: ${input.countyId} is not a county of ${province.id}`, 'countyId');
  const channel = channels.find((c) => c.channelId === input.channel && c.countyId === county.id);
  if (!channel) {
    throw new DomainError('UNKNOWN_REFERENCE', `channel: ${input.channel} is not a channel of county ${county.id}`, 'channel');
  }
  await checkLineup(deps, county.id, input.lineup, 'lineup');
  const show = scheduleShow(
    {
      showId: deps.newId(),
      countyId: county.id,
      channelId: channel.channelId,
      channelArn: channel.arn,
      title: input.title,
      scheduledStart: new Date(input.scheduledStart).toISOString(),
      lineup: input.lineup,
    },
    deps.now(),
  );
  await applyStockShards(deps, input.lineup);
  await deps.shows.putShow(show);
  return show;
}

export async function replaceLineup(deps: ShowDeps, operator: Operator, showId: string, lineup: LineupEntry[]): Promise<Show> {
  const notFound = () => new DomainError('NOT_FOUND', `show ${showId} does not exist`, 'showId');
  const show = await deps.shows.getShow(showId);
  if (!show) throw notFound();
  requireCounty(operator, show.countyId, notFound);
  await checkLineup(deps, show.countyId, lineup, 'lineup');
  await applyStockShards(deps, lineup);
  return deps.shows.putLineup(showId, lineup);
}
