/**
 * The WeChat Pay stand-in through the province's own WeChat Pay adapter (signed requests, signed
 * answers), on a journal as `npm start -- --data` gives it: a restart remembers its keys, payments
 * and transfers (WeChat Pay does not forget), and finishes what was under way.
 */
import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wechatPay } from '../../functions/adapters/wechatpay/client.js';
import { ProvinceJournal } from '../../local/journal.js';
import { WechatPayStandIn } from '../../local/wechatpay.js';
import { eventually } from '../support/eventually.js';
import { serve as serveHttp } from '../../local/servers.js';

const merchant = { appId: 'wx0123456789abcdef', mchId: '1900000199' };
const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** The province's own WeChat Pay adapter, talking to the stand-in over HTTP. */
async function serve(standIn: WechatPayStandIn) {
  const { server, url } = await serveHttp((req, res, body) => standIn.handleHttp(req, res, body));
  servers.push(server);
  return wechatPay({ ...merchant, secret: async () => standIn.secret(), apiUrl: url });
}

describe('the WeChat Pay stand-in on --data', () => {
  it('a restart keeps its keys, payments and transfers, and finishes a transfer under way', async () => {
    const journal = new ProvinceJournal(mkdtempSync(join(tmpdir(), 'wechatpay-')));
    const store = { load: () => journal.wechatPay(), saveKeys: (k: never) => journal.saveWechatPayKeys(k), saveTrade: (t: never) => journal.saveWechatPayTrade(t), saveTransfer: (t: never) => journal.saveWechatPayTransfer(t) };
    const first = new WechatPayStandIn(merchant, { store, real: () => 60_000 }); // nothing finishes before the "kill"
    const api = await serve(first);
    const orderId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const { prepayId } = await api.prepay({ orderId, description: '脐橙', totalFen: 2990, expiresAt: new Date(Date.now() + 900_000).toISOString(), payerOpenId: 'oBuyer000001', notifyUrl: 'http://127.0.0.1:1/notify' });
    expect(await api.transfer({ reference: 'PO0123456789abcdef0123456789abcd', openid: 'oFarmer00001', realName: '杨秀英', amountFen: 450_000, remark: 'sales' })).toMatchObject({ state: 'ACCEPTED' });
    first.stop(); // killed

    const second = new WechatPayStandIn(merchant, { store, real: (ms) => Math.min(ms, 20) });
    expect(second.merchant.serial).toBe(first.merchant.serial);
    expect(second.transfers.get('PO0123456789abcdef0123456789abcd')).toMatchObject({ realName: '杨秀英', amountFen: 450_000, state: 'ACCEPTED' });
    const again = await serve(second);
    expect((await again.query(orderId))).toMatchObject({ state: 'NOTPAY', totalFen: 2990 });
    // the same prepay and the same transfer are answered as before: nothing is made twice
    expect((await again.prepay({ orderId, description: '脐橙', totalFen: 2990, expiresAt: new Date(Date.now() + 900_000).toISOString(), payerOpenId: 'oBuyer000001', notifyUrl: 'http://127.0.0.1:1/notify' })).prepayId).toBe(prepayId);
    second.resume();
    await eventually(async () => expect(await again.queryTransfer('PO0123456789abcdef0123456789abcd')).toMatchObject({ state: 'SUCCESS' }));
    expect(second.transfers.size).toBe(1);
    second.stop();
  });
});
