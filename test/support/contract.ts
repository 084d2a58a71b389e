/**
 * Contract checks used by the integration tests: every answer a route gives must validate against
 * the OpenAPI document, and every domain event against its JSON Schema.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft4 from 'ajv-draft-04';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { expect } from 'vitest';
import { eventContracts, eventJsonSchema, schemaName } from '../../functions/contracts/event-schemas.js';
import { openApiDocument } from '../../functions/contracts/openapi.js';
import { functions, routes } from '../../province/wiring.js';

const document = openApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(document as object, 'openapi.json');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let handlerRoutes: Map<unknown, string> | undefined;
async function routeOf(handler: unknown): Promise<string | undefined> {
  if (!handlerRoutes) {
    handlerRoutes = new Map();
    for (const r of routes) {
      const mod = await import(pathToFileURL(join(import.meta.dirname, '..', '..', functions[r.function].entry)).href);
      // one function may serve several routes (settlement JSON and CSV): keep them all
      handlerRoutes.set(mod.handler, [handlerRoutes.get(mod.handler), `${r.method} ${r.path}`].filter(Boolean).join('|'));
    }
  }
  return handlerRoutes.get(handler);
}

export const checkedResponses: string[] = [];

/** Validates an answer against the document: the route's schema for its status and content type. */
export async function expectMatchesContract(handler: unknown, method: string, path: string | undefined, status: number, contentType: string | undefined, body: unknown) {
  const candidates = (await routeOf(handler))?.split('|');
  if (!candidates) return; // not a route handler (an authorizer, a stream consumer…)
  // a function serving several routes: the one whose method and path template fit the call
  const fits = (k: string) => {
    const [m, template] = k.split(' ') as [string, string];
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return m === method.toUpperCase() && (path === undefined || pattern.test(path));
  };
  const routeKey = candidates.length === 1 ? candidates[0]! : (candidates.find(fits) ?? candidates.find((k) => k.startsWith(`${method.toUpperCase()} `)) ?? candidates[0]!);
  const [routeMethod, routePath] = routeKey.split(' ') as [string, string];
  const responses = (document.paths as Record<string, any>)[routePath]![routeMethod.toLowerCase()].responses;
  expect(responses[String(status)], `${routeKey} answered ${status}, which the OpenAPI document does not list`).toBeDefined();
  const type = (contentType ?? 'application/json').split(';')[0]!.trim();
  expect(responses[String(status)].content?.[type], `${routeKey} ${status} answered ${type}`).toBeDefined();
  if (type !== 'application/json') return;
  const validate = ajv.getSchema(`openapi.json#/${pointer('paths', routePath, routeMethod.toLowerCase(), 'responses', String(status), 'content', type, 'schema')}`)!;
  expect(validate(body), `${routeKey} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`).toBe(true);
  checkedResponses.push(`${routeKey} ${status}`);
  void method;
}

const draft4 = new AjvDraft4({ strict: false, allErrors: true, validateFormats: false });
const eventValidators = new Map(eventContracts.map((c) => [`${c.source}|${c.detailType}`, { name: schemaName(c), validate: draft4.compile(eventJsonSchema(c)) }]));

/** Validates a domain event (as it would arrive on the bus) against its registered schema. */
export function expectValidEvent(event: { source: string; detailType: string; time: string; detail: unknown }) {
  const schema = eventValidators.get(`${event.source}|${event.detailType}`);
  expect(schema, `no schema for ${event.source} / ${event.detailType}`).toBeDefined();
  const envelope = { version: '0', id: 'x', 'detail-type': event.detailType, source: event.source, account: '123456789012', time: event.time, region: 'ap-northeast-1', resources: [], detail: event.detail };
  expect(schema!.validate(envelope), `${schema!.name}: ${draft4.errorsText(schema!.validate.errors)}`).toBe(true);
}
