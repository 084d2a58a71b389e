import generated from '../../docs/openapi.json' with { type: 'json' };
import { httpHandler, json } from '../shared/http.js';

let document: typeof generated | undefined;

/**
 * GET /openapi.json: the contract as `npm run contracts` generates it from the zod schemas
 * (docs/openapi.json, bundled; a test fails when it is not what the schemas generate), with this
 * API as its server. Not generated here: building every schema and the document cost this
 * function ≈ 25 ms of cold start and more on its first request (README: Benchmarks).
 */
export const handler = httpHandler(async (event) => {
  document ??= { ...generated, servers: [{ url: `https://${event.requestContext.domainName}` }] } as typeof generated;
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});
