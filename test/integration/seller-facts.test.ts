import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogStore } from '../../functions/adapters/catalog-store.js';
import { settlementStore } from '../../functions/adapters/settlement-store.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { handler as createProduct } from '../../functions/catalog/create-product.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as products } from '../../functions/catalog/products.js';
import { handler as sellers } from '../../functions/catalog/sellers.js';
import { showEventForChange } from '../../functions/contracts/events.js';
import { settlementDeps } from '../../functions/settlement/deps.js';
import { handler as scheduleSettlement } from '../../functions/settlement/schedule-settlement.js';
import { settleShow } from '../../functions/settlement/service.js';
import { useOwnTables } from '../support/fixtures.js';
import { invoke, lambdaContext, operatorAuth } from '../support/http.js';
import { endedShow, makeOrders, writeOrders } from '../support/settlement-data.js';

const chengbu = operatorAuth('chengbu');
beforeEach(useOwnTables);

async function settle(showId: string) {
  const show = (await showStore.getShow(showId))!;
  const e = showEventForChange({ ...show, status: 'LIVE' }, show)!;
  await scheduleSettlement({ version: '0', id: randomUUID(), source: e.source, 'detail-type': e.detailType, time: e.time, resources: [], detail: e.detail, account: '1', region: 'ap-northeast-1' }, lambdaContext());
  const due = Date.parse((await settlementStore.get(showId))!.dueAt) + 1000;
  expect(await settleShow({ ...settlementDeps(), now: () => new Date(due) }, showId)).toBe('settled');
}

describe('facts officials count', () => {
  it('validated by kind, naming the field; shown on the seller and product; edited with the version', async () => {
    const bad = [
      [{ kind: 'farmer', householdsBroughtAlong: 3 }, 'householdsBroughtAlong'],
      [{ kind: 'cooperative', household: { registeredPoor: true } }, 'household'],
      [{ kind: 'enterprise', householdsBroughtAlong: -1 }, 'householdsBroughtAlong'],
      [{ kind: 'farmer', household: { registeredPoor: 'yes' } }, 'household.registeredPoor'],
    ] as const;
    for (const [body, field] of bad) {
      const res = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: 'x', ...body }, authorizer: chengbu });
      expect(res.status, field).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    const farmer = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: '杨秀英', kind: 'farmer', household: { registeredPoor: true } }, authorizer: chengbu });
    expect(farmer.status).toBe(201);
    expect(farmer.body.household).toEqual({ registeredPoor: true });
    const coop = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: '合作社', kind: 'cooperative', householdsBroughtAlong: 12 }, authorizer: chengbu });
    expect(coop.body.householdsBroughtAlong).toBe(12);
    const wrongEdit = await invoke(sellers, { method: 'PATCH', path: `/sellers/${coop.body.sellerId}`, pathParameters: { sellerId: coop.body.sellerId }, body: { version: 1, household: { registeredPoor: true } }, authorizer: chengbu });
    expect(wrongEdit.status).toBe(400);
    expect(wrongEdit.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'household' });
    const edited = await invoke(sellers, { method: 'PATCH', path: `/sellers/${coop.body.sellerId}`, pathParameters: { sellerId: coop.body.sellerId }, body: { version: 1, householdsBroughtAlong: 15 }, authorizer: chengbu });
    expect(edited.body).toMatchObject({ householdsBroughtAlong: 15, version: 2 });

    const badProduct = await invoke(createProduct, { method: 'POST', body: { sellerId: farmer.body.sellerId, name: '脐橙', unit: '箱', priceFen: 100, stock: 1, povertyAlleviation: { certified: true, certificateNo: 'bad no!' } }, authorizer: chengbu });
    expect(badProduct.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'povertyAlleviation.certificateNo' });
    const product = await invoke(createProduct, { method: 'POST', body: { sellerId: farmer.body.sellerId, name: '脐橙', unit: '箱', priceFen: 100, stock: 1, povertyAlleviation: { certified: true, certificateNo: 'FP-2026/0431' } }, authorizer: chengbu });
    expect(product.status).toBe(201);
    expect(product.body.povertyAlleviation).toEqual({ certified: true, certificateNo: 'FP-2026/0431' });
    const unCertified = await invoke(products, { method: 'PATCH', path: `/products/${product.body.productId}`, pathParameters: { productId: product.body.productId }, body: { version: 1, povertyAlleviation: { certified: false } }, authorizer: chengbu });
    expect(unCertified.body).toMatchObject({ povertyAlleviation: { certified: false }, version: 2 });
  });

  it("the statement keeps the facts as of the settlement: a later edit of the seller or product changes nothing", async () => {
    const farmer = (await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: '杨秀英', kind: 'farmer', household: { registeredPoor: true } }, authorizer: chengbu })).body.sellerId as string;
    const coop = (await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: '合作社', kind: 'cooperative', householdsBroughtAlong: 7 }, authorizer: chengbu })).body.sellerId as string;
    const now = new Date().toISOString();
    await catalogStore.putProduct({ productId: `${farmer}-p0`, sellerId: farmer, countyId: 'chengbu', name: '脐橙', unit: '箱', priceFen: 100, stock: 0, povertyAlleviation: { certified: true }, createdAt: now, version: 1 });
    const showId = await endedShow();
    await writeOrders(makeOrders(showId, [farmer, coop], 20, 3));
    await settle(showId);
    await invoke(sellers, { method: 'PATCH', path: `/sellers/${farmer}`, pathParameters: { sellerId: farmer }, body: { version: 1, household: { registeredPoor: false } }, authorizer: chengbu });
    const { statements } = await settlementStore.getWithStatements(showId);
    const byId = new Map(statements.map((s) => [s.sellerId, s]));
    expect(byId.get(farmer)!.facts).toEqual({ kind: 'farmer', registeredPoor: true });
    expect(byId.get(coop)!.facts).toEqual({ kind: 'cooperative', householdsBroughtAlong: 7 });
    for (const line of byId.get(farmer)!.lines) expect(line.certified).toBe(line.productId === `${farmer}-p0`);
    expect(byId.get(coop)!.lines.every((l) => l.certified === false)).toBe(true);
  });
});
