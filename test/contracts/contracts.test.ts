import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventContracts, eventJsonSchema, schemaName } from '../../functions/contracts/event-schemas.js';
import { orderEventForChange, settlementEventForChange, showEventForChange } from '../../functions/contracts/events.js';
import { openApiDocument } from '../../functions/contracts/openapi.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as getOpenApi } from '../../functions/docs/get-openapi.js';
import { ProvinceStack } from '../../lib/province-stack.js';
import { loadProvince } from '../../province/config/index.js';
import { routes } from '../../province/wiring.js';
import { contractFiles, DOCS } from '../../scripts/write-contracts.js';
import { expectMatchesContract, expectValidEvent } from '../support/contract.js';
import { invoke } from '../support/http.js';

const document = openApiDocument() as any;

describe('the OpenAPI document', () => {
  it('has every route of the wiring, and nothing else', () => {
    const documented = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('documents for each route its parameters, body, success and every error with the error schema', () => {
    for (const route of routes) {
      const op = document.paths[route.path][route.method.toLowerCase()];
      expect(op.operationId).toBe(route.operationId ?? route.function);
      for (const name of route.path.matchAll(/\{(\w+)\}/g)) expect(op.parameters.some((p: any) => p.in === 'path' && p.name === name[1])).toBe(true);
      if (route.audience === 'public') continue;
      if (route.audience === 'provider') {
        // WeChat Pay's notifications: no API credentials; answers 204 or WeChat's {"code":"FAIL"} shape
        expect(op.security).toEqual([]);
        expect(Object.keys(op.responses).sort()).toEqual(['204', '401', '404', '409', '500']);
        expect(op.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/NotifyFailure');
        continue;
      }
      expect(op.security).toEqual([route.audience === 'operator' ? { operatorToken: [] } : { storefrontKey: [] }]);
      for (const status of ['400', '500']) expect(op.responses[status].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
      // 401 and 403 come from the function ({"error": …}) or from API Gateway's authorizer ({"message": …})
      for (const status of ['401', '403']) {
        expect(JSON.stringify(op.responses[status].content['application/json'].schema)).toContain('#/components/schemas/GatewayRefusal');
      }
    }
    expect(document.paths['/orders'].post.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key', required: true }));
    expect(Object.keys(document.paths['/orders'].post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '422', '429', '500', '503']);
    const ids = routes.map((r) => document.paths[r.path][r.method.toLowerCase()].operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.paths['/shows/{showId}/settlement.csv'].get.operationId).toBe('getSettlementCsv');
  });

  it("passes Redocly's recommended rules with no error and no warning (servers, unique operation ids, a 4XX on every operation)", async () => {
    const redocly = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'redocly');
    const run = await promisify(execFile)(redocly, ['lint', join(DOCS, 'openapi.json'), '--extends', 'recommended', '--format', 'json'], { encoding: 'utf8' }).catch((e) => e);
    const report = JSON.parse(run.stdout);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('is served at GET /openapi.json, and the files in docs/ are what the generator writes', async () => {
    const served = await invoke(getOpenApi, { path: '/openapi.json', authorizer: null });
    expect(served.status).toBe(200);
    expect(Object.keys(served.body.paths).sort()).toEqual(Object.keys(document.paths).sort());
    for (const [file, text] of Object.entries(contractFiles())) expect(readFileSync(join(DOCS, file), 'utf8'), `${file} is stale: run npm run contracts`).toBe(text);
    expect(readdirSync(join(DOCS, 'events')).sort()).toEqual(eventContracts.map((c) => `${schemaName(c)}.json`).sort());
  });

  it('the response check catches an answer that breaks the contract', async () => {
    await expect(expectMatchesContract(getOrder, 'GET', '/orders/x', 200, 'application/json', { orderId: 1 })).rejects.toThrow(/must have required property|must be string/);
    await expect(expectMatchesContract(getOrder, 'GET', '/orders/x', 418, 'application/json', {})).rejects.toThrow(/does not list/);
  });
});

describe('event schemas', () => {
  it('one registered schema per domain event, the same as docs/events', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new ProvinceStack(app, 'CountyLive-hunan', { province: loadProvince('hunan'), env: { region: 'ap-northeast-1' } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    const schemas = Object.values(template.findResources('AWS::EventSchemas::Schema')).map((r: any) => r.Properties);
    expect(schemas.map((s) => s.SchemaName).sort()).toEqual(eventContracts.map(schemaName).sort());
    for (const c of eventContracts) {
      const registered = schemas.find((s) => s.SchemaName === schemaName(c))!;
      expect(registered.Type).toBe('JSONSchemaDraft4');
      expect(JSON.parse(registered.Content)).toEqual(eventJsonSchema(c));
    }
  });

  it('the check rejects an event that breaks its schema', () => {
    expect(() => expectValidEvent({ source: 'county-live.orders', detailType: 'Order Paid', time: '2026-12-01T00:00:00Z', detail: { orderId: 1 } })).toThrow(/OrderPaid/);
  });

  it('events built by the code validate (one of each kind; the integration tests check every event they see)', () => {
    const order = { orderId: 'o1', storefrontId: 'sf', showId: 's1', countyId: 'chengbu', buyerRef: 'b', status: 'PAID' as const, items: [{ productId: 'p', sellerId: 'se', name: 'n', unit: 'u', quantity: 1, showPriceFen: 100, amountFen: 100 }], totalFen: 100, createdAt: '2026-12-01T00:00:00.000Z', expiresAt: '2026-12-01T00:15:00.000Z', paidAt: '2026-12-01T00:01:00.000Z', paymentRef: 'p' };
    expectValidEvent(orderEventForChange({ ...order, status: 'RESERVED' }, order)!);
    const show = { showId: 's1', countyId: 'chengbu', channelId: 'c', channelArn: 'arn', title: 't', scheduledStart: '2026-12-01T00:00:00.000Z', status: 'ENDED' as const, lineup: [], createdAt: '2026-11-30T00:00:00.000Z', streams: {}, startedAt: '2026-12-01T00:00:00.000Z', endedAt: '2026-12-01T01:00:00.000Z', endedBy: 'stream' as const, streamIds: ['st-1'], version: 3 };
    expectValidEvent(showEventForChange({ ...show, status: 'LIVE' }, show)!);
    const settlement = { showId: 's1', countyId: 'chengbu', status: 'SETTLED' as const, sellerShareBps: 8000, registeredAt: '2026-12-01T01:00:00.000Z', dueAt: '2026-12-01T01:16:00.000Z', attempts: 1, grossFen: 100, sellerPayoutFen: 80, operationsFen: 20, sellerCount: 1, orderCount: 1, settledAt: '2026-12-01T02:00:00.000Z' };
    expectValidEvent(settlementEventForChange({ ...settlement, status: 'SETTLING' }, settlement)!);
  });
});
