/**
 * The console's catalog API: a county's sellers and products page by page, each read and edited
 * from the version the operator read (a concurrent edit is refused, never lost), stock added or
 * removed with a reason (never below zero, flash-sale shards included) and recorded; bad input is
 * refused naming the field and changes nothing. Real handlers, DynamoDB Local.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stockByShard } from '../../functions/adapters/catalog-store.js';
import { handler as adjustStock } from '../../functions/catalog/adjust-stock.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as products } from '../../functions/catalog/products.js';
import { handler as sellers } from '../../functions/catalog/sellers.js';
import { handler as putLineup } from '../../functions/shows/put-lineup.js';
import { product, scheduledShow, seller } from '../support/fixtures.js';
import { allPages, invoke, operatorAuth } from '../support/http.js';

const chengbu = operatorAuth('chengbu');
const xinhuang = operatorAuth('xinhuang');
const admin = operatorAuth();

const listSellers = (query: Record<string, string>, authorizer = chengbu) => invoke(sellers, { method: 'GET', path: '/sellers', queryStringParameters: query, authorizer });
const readSeller = (sellerId: string, authorizer = chengbu) => invoke(sellers, { method: 'GET', path: `/sellers/${sellerId}`, pathParameters: { sellerId }, authorizer });
const patchSeller = (sellerId: string, body: unknown, authorizer = chengbu) =>
  invoke(sellers, { method: 'PATCH', path: `/sellers/${sellerId}`, pathParameters: { sellerId }, body, authorizer });
const listProducts = (query: Record<string, string>, authorizer = chengbu) => invoke(products, { method: 'GET', path: '/products', queryStringParameters: query, authorizer });
const readProduct = (productId: string, authorizer = chengbu, query: Record<string, string> = {}) =>
  invoke(products, { method: 'GET', path: `/products/${productId}/stock-changes`, pathParameters: { productId }, queryStringParameters: query, authorizer });
const patchProduct = (productId: string, body: unknown, authorizer = chengbu) =>
  invoke(products, { method: 'PATCH', path: `/products/${productId}`, pathParameters: { productId }, body, authorizer });
const stock = (productId: string, body: unknown, authorizer = chengbu) =>
  invoke(adjustStock, { method: 'POST', path: `/products/${productId}/stock`, pathParameters: { productId }, body, authorizer });


describe('sellers for the console', () => {
  it("a county's sellers page by page, payees masked; another county's operator is refused the list and finds no seller; a province admin names the county", async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await invoke(createSeller, {
        method: 'POST', authorizer: chengbu,
        body: { countyId: 'chengbu', name: `Console farmer ${i}`, kind: 'farmer', payee: { kind: 'wechat', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } },
      });
      expect(res.status).toBe(201);
      expect(res.body.version).toBe(1);
      created.push(res.body.sellerId);
    }
    const { items, pages } = await allPages<any>(listSellers, 'sellers', 2);
    expect(pages).toBeGreaterThan(2);
    const ids = items.map((s) => s.sellerId);
    expect(new Set(ids).size).toBe(ids.length); // no seller twice across pages
    for (const id of created) expect(ids).toContain(id);
    expect(items.every((s) => s.countyId === 'chengbu')).toBe(true);
    const mine = items.find((s) => s.sellerId === created[0])!;
    expect(mine.payee.openid).toBe('oUpF********eS6o');

    // another county's operator: the list is refused, a seller is not found, an edit changes nothing
    const refused = await listSellers({ countyId: 'chengbu' }, xinhuang);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'query.countyId' });
    const own = await allPages<any>((q) => listSellers(q, xinhuang), 'sellers', 100);
    expect(own.items.some((s) => created.includes(s.sellerId))).toBe(false);
    expect((await readSeller(created[0]!, xinhuang)).status).toBe(404);
    expect((await patchSeller(created[0]!, { version: 1, name: 'taken over' }, xinhuang)).status).toBe(404);
    expect((await readSeller(created[0]!)).body).toMatchObject({ name: 'Console farmer 0', version: 1 });

    // a province admin names the county
    const noCounty = await listSellers({}, admin);
    expect(noCounty.status).toBe(400);
    expect(noCounty.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.countyId' });
    const byAdmin = await allPages<any>((q) => listSellers(q, admin), 'sellers', 3, { countyId: 'chengbu' });
    for (const id of created) expect(byAdmin.items.map((s) => s.sellerId)).toContain(id);

    // a cursor is good for its own list only
    const first = await listSellers({ limit: '1' });
    const foreign = await listSellers({ countyId: 'xinhuang', cursor: first.body.nextCursor }, admin);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.cursor' });
    expect((await listSellers({ cursor: 'not-a-cursor' })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.cursor' });
  });

  it('concurrent edits from the same version: exactly one is saved, the others get VERSION_CONFLICT naming version; redone from the new version, nothing is lost', async () => {
    const { sellerId } = await seller('Miao embroidery cooperative');
    const results = await Promise.all(['A', 'B', 'C', 'D'].map((n) => patchSeller(sellerId, { version: 1, name: `Cooperative ${n}` })));
    const saved = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(saved).toHaveLength(1);
    expect(conflicts).toHaveLength(3);
    for (const c of conflicts) expect(c.body.error).toMatchObject({ code: 'VERSION_CONFLICT', field: 'version' });
    expect(saved[0]!.body.version).toBe(2);
    const now = (await readSeller(sellerId)).body;
    expect(now).toMatchObject({ name: saved[0]!.body.name, version: 2, kind: 'cooperative', countyId: 'chengbu' });

    // a loser reads again and redoes its edit: both edits are there
    const redone = await patchSeller(sellerId, { version: now.version, contact: '0739-7321234' });
    expect(redone.status).toBe(200);
    expect(redone.body).toMatchObject({ name: saved[0]!.body.name, contact: '0739-7321234', version: 3 });
    // null removes the contact; kind cannot be edited
    expect((await patchSeller(sellerId, { version: 3, contact: null })).body).not.toHaveProperty('contact');
    const kind = await patchSeller(sellerId, { version: 4, kind: 'farmer' });
    expect(kind.status).toBe(400);
    expect(kind.body.error.code).toBe('VALIDATION_FAILED');
    expect(kind.body.error.message).toContain('kind');
    expect((await readSeller(sellerId)).body).toMatchObject({ kind: 'cooperative', version: 4 });
  });
});

describe('products for the console', () => {
  it("a county's products page by page, or one seller's; another county's operator is refused", async () => {
    const { sellerId } = await seller('Tea oil farm');
    const { sellerId: other } = await seller('Smoked pork farm');
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await product(sellerId, 10 + i, 1000 + i, `Tea oil ${i}`)).productId);
    const theirs = (await product(other, 3)).productId;

    const bySeller = await allPages<any>(listProducts, 'products', 2, { sellerId });
    expect(bySeller.pages).toBe(3);
    expect(bySeller.items.map((p) => p.productId)).toEqual(mine); // in the order they were added
    expect(bySeller.items.map((p) => p.stock)).toEqual([10, 11, 12, 13, 14]);
    expect(bySeller.items.every((p) => p.version === 1)).toBe(true);

    const county = await allPages<any>(listProducts, 'products', 3);
    const ids = county.items.map((p) => p.productId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [...mine, theirs]) expect(ids).toContain(id);

    expect((await listProducts({ countyId: 'chengbu' }, xinhuang)).status).toBe(403);
    expect((await listProducts({ sellerId }, xinhuang)).body.products).toEqual([]); // Xinhuang's list has no Chengbu product
    expect((await readProduct(mine[0]!, xinhuang)).status).toBe(404);
    expect((await stock(mine[0]!, { deltaUnits: -1, reason: 'x' }, xinhuang)).status).toBe(404);
    expect((await patchProduct(mine[0]!, { version: 1, priceFen: 1 }, xinhuang)).status).toBe(404);
    expect((await listProducts({ countyId: 'chengbu', sellerId }, admin)).body.products).toHaveLength(5);
    // a cursor of one seller's list is not good for another's
    const page = await listProducts({ sellerId, limit: '1' });
    expect((await listProducts({ sellerId: other, cursor: page.body.nextCursor })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.cursor' });
    const unchanged = await readProduct(mine[0]!);
    expect(unchanged.body.product).toMatchObject({ stock: 10, priceFen: 1000, version: 1 });
    expect(unchanged.body.changes).toEqual([]);
  });

  it('concurrent price edits from the same version: one saved, the others VERSION_CONFLICT; nothing lost', async () => {
    const { sellerId } = await seller();
    const { productId } = await product(sellerId, 7, 3990);
    const results = await Promise.all([2990, 3490, 3590].map((priceFen) => patchProduct(productId, { version: 1, priceFen })));
    const saved = results.filter((r) => r.status === 200);
    expect(saved).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'VERSION_CONFLICT' && r.body.error.field === 'version')).toHaveLength(2);
    const read = (await readProduct(productId)).body.product;
    expect(read).toMatchObject({ priceFen: saved[0]!.body.priceFen, version: 2, stock: 7 });
    const again = await patchProduct(productId, { version: 2, name: 'Navel oranges 10 kg', unit: 'crate' });
    expect(again.body).toMatchObject({ priceFen: saved[0]!.body.priceFen, name: 'Navel oranges 10 kg', unit: 'crate', version: 3, stock: 7 });
  });

  it('stock added and removed with a reason, recorded; removing more than there is is refused and changes nothing', async () => {
    const { sellerId } = await seller();
    const { productId } = await product(sellerId, 5);
    const added = await stock(productId, { deltaUnits: 10, reason: 'second harvest' });
    expect(added.status).toBe(200);
    expect(added.body.product.stock).toBe(15);
    expect(added.body.change).toMatchObject({ productId, deltaUnits: 10, reason: 'second harvest', by: 'operator-chengbu' });

    const tooMany = await stock(productId, { deltaUnits: -16, reason: 'spoiled' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'OUT_OF_STOCK', field: 'deltaUnits' });
    expect((await readProduct(productId)).body.product.stock).toBe(15);

    expect((await stock(productId, { deltaUnits: -15, reason: 'spoiled in the rain' })).body.product.stock).toBe(0);
    const record = await readProduct(productId, chengbu, { limit: '1' });
    expect(record.body.product).toMatchObject({ stock: 0, version: 1 }); // stock moves by recorded deltas, not by version
    expect(record.body.changes).toHaveLength(1);
    expect(record.body.changes[0]).toMatchObject({ deltaUnits: -15, reason: 'spoiled in the rain', by: 'operator-chengbu' });
    const rest = await readProduct(productId, chengbu, { cursor: record.body.nextCursor });
    expect(rest.body.changes.map((c: any) => c.deltaUnits)).toEqual([10]); // newest first; the refusal left no record
    expect(rest.body.nextCursor).toBeUndefined();
  });

  it('a flash-sale product: removals take from its shards, never below zero, even concurrently; additions go where orders take from', async () => {
    const { sellerId } = await seller();
    const { productId } = await product(sellerId, 40);
    const show = await scheduledShow([{ productId, showPriceFen: 990 }]);
    expect((await invoke(putLineup, { method: 'PUT', pathParameters: { showId: show.showId }, body: { lineup: [{ productId, showPriceFen: 990, stockShards: 4 }] } })).status).toBe(200);
    expect([...(await stockByShard(productId)).values()]).toEqual([10, 10, 10, 10]);

    expect((await stock(productId, { deltaUnits: -25, reason: 'sold at the market' })).body.product.stock).toBe(15);
    expect((await stock(productId, { deltaUnits: -16, reason: 'x' })).body.error).toMatchObject({ code: 'OUT_OF_STOCK', field: 'deltaUnits' });
    expect([...(await stockByShard(productId)).values()].reduce((a, b) => a + b, 0)).toBe(15);

    // 8 concurrent removals of 3 from 15: exactly 5 go through, and no item goes below zero
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stock(productId, { deltaUnits: -3, reason: `box ${i} broken` })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'OUT_OF_STOCK')).toHaveLength(3);
    const shards = [...(await stockByShard(productId)).values()];
    expect(shards.every((n) => n >= 0)).toBe(true);
    expect((await readProduct(productId)).body.product.stock).toBe(0);

    const added = await stock(productId, { deltaUnits: 6, reason: 'late delivery' });
    expect(added.body.product.stock).toBe(6);
    expect([...(await stockByShard(productId)).values()].reduce((a, b) => a + b, 0)).toBe(6); // on a shard, where orders take from
    const changes = (await readProduct(productId, chengbu, { limit: '100' })).body.changes;
    expect(changes.map((c: any) => c.deltaUnits).reduce((a: number, b: number) => a + b, 0)).toBe(6 - 40);
  });

  it('bad input: 400 naming the field, and nothing changes', async () => {
    const { sellerId } = await seller();
    const { productId } = await product(sellerId, 5, 3990, 'Navel oranges 5 kg');
    const cases: [unknown, string][] = [
      [{ version: 1, priceFen: 12.5 }, 'priceFen'],
      [{ version: 1, priceFen: 0 }, 'priceFen'],
      [{ priceFen: 100 }, 'version'],
      [{ version: 1 }, 'name'],
      [{ version: 1, name: '' }, 'name'],
      [{ version: 1, unit: 'x'.repeat(21) }, 'unit'],
    ];
    for (const [body, field] of cases) {
      const res = await patchProduct(productId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    for (const [body, field] of [
      [{ deltaUnits: 0, reason: 'x' }, 'deltaUnits'],
      [{ deltaUnits: 1.5, reason: 'x' }, 'deltaUnits'],
      [{ deltaUnits: 3 }, 'reason'],
      [{ deltaUnits: 3, reason: 'x'.repeat(201) }, 'reason'],
    ] as [unknown, string][]) {
      const res = await stock(productId, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    const after = await readProduct(productId);
    expect(after.body.product).toMatchObject({ stock: 5, priceFen: 3990, name: 'Navel oranges 5 kg', unit: 'box', version: 1 });
    expect(after.body.changes).toEqual([]);
  });

  it('PATCH /products/{productId}: any one bad field among good ones is refused naming it, and the product stays as it was (property)', async () => {
    const { sellerId } = await seller();
    const { productId } = await product(sellerId, 5, 3990, 'Navel oranges 5 kg');
    const before = (await readProduct(productId)).body.product;
    const good = { version: fc.constant(1), name: fc.constantFrom('Oranges', '脐橙 5 斤'), unit: fc.constantFrom('box', '箱'), priceFen: fc.integer({ min: 1, max: 100_000_000 }) };
    const bad = {
      version: fc.oneof(fc.constant(0), fc.constant(-1), fc.double({ min: 1.01, max: 9.99, noInteger: true }), fc.constant('1'), fc.constant(null)),
      name: fc.oneof(fc.constant(''), fc.constant('   '), fc.string({ minLength: 101, maxLength: 120 }).filter((s) => s.trim().length > 100), fc.constant('a\u0000b'), fc.constant('a\u202Eb'), fc.integer()),
      unit: fc.oneof(fc.constant(''), fc.constant('x'.repeat(21)), fc.constant(true), fc.constant('\u200B')),
      priceFen: fc.oneof(fc.constant(0), fc.integer({ max: -1 }), fc.integer({ min: 100_000_001 }), fc.double({ min: 0.01, max: 1e6, noInteger: true }), fc.constant('3990')),
    };
    const fields = Object.keys(good) as (keyof typeof good)[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields).chain((badField) =>
          fc.record({ badField: fc.constant(badField), body: fc.record({ ...good, [badField]: bad[badField] } as typeof good) }),
        ),
        async ({ badField, body }) => {
          const res = await patchProduct(productId, body);
          expect(res.status).toBe(400);
          expect(res.body.error.code).toBe('VALIDATION_FAILED');
          expect(res.body.error.field).toBe(badField);
        },
      ),
      { numRuns: 40 },
    );
    expect((await readProduct(productId)).body.product).toEqual(before);
  });
});
