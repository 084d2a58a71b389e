import { catalogStore } from '../adapters/catalog-store.js';
import { ShowPath } from '../contracts/api.js';
import { DomainError } from '../domain/errors.js';
import { channelById } from '../shared/channels.js';
import { httpHandler, json, parsePath, storefrontOf } from '../shared/http.js';
import { lifecycleDeps } from './deps.js';
import { showDetail } from './views.js';
import { viewerCounter } from './viewers.js';

const deps = lifecycleDeps();
const viewers = viewerCounter(deps);

export const handler = httpHandler(async (event) => {
  storefrontOf(event);
  const { showId } = parsePath(ShowPath, event);
  const show = await deps.shows.getShow(showId);
  if (!show) throw new DomainError('NOT_FOUND', `show ${showId} does not exist`, 'showId');
  const channel = channelById(show.channelId);
  const [products, viewerCount] = await Promise.all([
    catalogStore.getProducts(show.lineup.map((e) => e.productId), { withStock: true }),
    show.status === 'LIVE' && channel ? viewers(channel) : Promise.resolve(null),
  ]);
  return json(200, showDetail(show, channel, products, viewerCount));
});
