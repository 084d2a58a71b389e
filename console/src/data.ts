/** Server state shared by pages (TanStack Query): the county's sellers and products, shows. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { type Api, ApiFailure, call, type OperatorShow, type ShowStatus } from './api.js';
import { useServices } from './app.js';

export const keys = {
  shows: (county: string, status?: string) => (status ? ['shows', county, status] : ['shows', county]),
  show: (showId: string, county: string) => ['show', showId, county],
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

/** One show of the operator's county with its lineup (GET /county-shows/{showId}); null when there is none. */
export async function findShow(api: Api, showId: string): Promise<OperatorShow | null> {
  try {
    return await call(api.GET('/county-shows/{showId}', { params: { path: { showId } } }));
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) return null;
    throw error;
  }
}
