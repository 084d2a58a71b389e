import type { Product } from '../catalog/ports.js';
import type { Channel } from '../domain/channel.js';
import type { Show } from '../domain/show.js';

/** What storefronts see of a show in a list. */
export function showSummary(show: Show, channel: Channel | undefined) {
  return {
    showId: show.showId,
    countyId: show.countyId,
    channelId: show.channelId,
    title: show.title,
    status: show.status,
    scheduledStart: show.scheduledStart,
    ...(show.startedAt ? { startedAt: show.startedAt } : {}),
    ...(show.endedAt ? { endedAt: show.endedAt } : {}),
    playbackUrl: channel?.playbackUrl,
    spotlight: show.spotlight ? { productId: show.spotlight.productId, showPriceFen: show.spotlight.showPriceFen, seq: show.spotlight.seq } : null,
  };
}

/** The whole show for a storefront: lineup with show prices and remaining stock, viewers. */
export function showDetail(show: Show, channel: Channel | undefined, products: ReadonlyMap<string, Product>, viewerCount: number | null) {
  return {
    ...showSummary(show, channel),
    viewerCount,
    lineup: show.lineup.map((entry) => {
      const product = products.get(entry.productId);
      return {
        productId: entry.productId,
        name: product?.name ?? null,
        unit: product?.unit ?? null,
        sellerId: product?.sellerId ?? null,
        listPriceFen: product?.priceFen ?? null,
        showPriceFen: entry.showPriceFen,
        stock: product?.stock ?? 0,
      };
    }),
  };
}

/** What an operator sees after changing a show. */
export function operatorShowView(show: Show) {
  const { version: _version, streams: _streams, offlineSince: _offline, ...rest } = show;
  return rest;
}
