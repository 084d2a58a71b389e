/** Server state shared by pages (TanStack Query): the county's sellers and products, shows. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { type Api, call, type OperatorShow, type ShowStatus } from './api.js';
import { useServices } from './app.js';

export const keys = {
  shows: (county: string, status?: string) => (status ? ['shows', county, status] : ['shows', county]),
  show: (showId: string, county: string) => ['show', showId, county],
  lineup: (showId: string) => ['lineup', showId],
  sellers: (county: string) => ['sellers', county],
  seller: (sellerId: string) => ['seller', sellerId],
  products: (county: string) => ['products', county],
  product: (productId: string) => ['product', productId],
  storefronts: ['storefronts'],
  keysOf: (storefrontId: string) => ['storefront-keys', storefrontId],
};

export function useSellers() {
  const { api, county } = useServices();
  return useInfiniteQuery({
    queryKey: keys.sellers(county),
    queryFn: ({ pageParam }) => call(api.GET('/sellers', { params: { query: { countyId: county, limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useProducts() {
  const { api, county } = useServices();
  return useInfiniteQuery({
    queryKey: keys.products(county),
    queryFn: ({ pageParam }) => call(api.GET('/products', { params: { query: { countyId: county, limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** What the console shows of a show (the county list's entry, or an operator route's answer). */
export interface ShowSummary {
  showId: string;
  countyId: string;
  channelId: string;
  title: string;
  status: ShowStatus;
  scheduledStart: string;
  startedAt?: string | undefined;
  endedAt?: string | undefined;
  lineupSize: number;
}

export function summaryOf(show: OperatorShow): ShowSummary {
  const { showId, countyId, channelId, title, status, scheduledStart, startedAt, endedAt } = show;
  return { showId, countyId, channelId, title, status, scheduledStart, startedAt, endedAt, lineupSize: show.lineup.length };
}

/**
 * One show of the county, looked for in its list (newest first; each page one index query). The
 * API has no operator read of a single show yet, so this is how its detail page finds it.
 */
export async function findShow(api: Api, county: string, showId: string): Promise<ShowSummary | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const list = await call(api.GET('/county-shows', { params: { query: { countyId: county, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    const found = list.shows.find((s) => s.showId === showId);
    if (found) return { ...found, lineupSize: found.lineupSize };
    if (!list.nextCursor) return null;
    cursor = list.nextCursor;
  }
  return null;
}
