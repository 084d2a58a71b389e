import { openApiDocument } from '../contracts/openapi.js';
import { httpHandler, json } from '../shared/http.js';

let document: ReturnType<typeof openApiDocument> | undefined;

/** GET /openapi.json: the contract, generated once per instance from the same zod schemas. */
export const handler = httpHandler(async (event) => {
  document ??= openApiDocument(`https://${event.requestContext.domainName}`);
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});
