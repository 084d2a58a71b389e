/**
 * Where a seller's payouts go: the full details are written apart (the payees table, which IAM
 * lets only the functions that pay read); every answer shows them masked; a payee that does not
 * fit the seller (a farmer is paid by WeChat, a cooperative or enterprise by bank) is refused and
 * nothing is written.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddb } from '../../functions/adapters/dynamo.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as setPayee } from '../../functions/catalog/set-payee.js';
import { maskPayee } from '../../functions/domain/payout.js';
import { invoke, operatorAuth } from '../support/http.js';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const ACCOUNT = '6222 0212 3456 7890 1234';
const full = async (table: 'PAYEES_TABLE' | 'CATALOG_TABLE', sellerId: string, sk: string) =>
  (await ddb.send(new GetCommand({ TableName: process.env[table], Key: { pk: `SELLER#${sellerId}`, sk }, ConsistentRead: true }))).Item;

describe('payee details', () => {
  it('a farmer paid by WeChat: kept in full apart, answered and stored on the seller masked', async () => {
    const res = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: '杨大姐 Yang', kind: 'farmer', payee: { kind: 'wechat', openid: OPENID, realName: '杨秀英' } }, authorizer: operatorAuth('chengbu') });
    expect(res.status).toBe(201);
    expect(res.body.payee).toEqual({ kind: 'wechat', openid: 'oUpF********eS6o', realName: '杨**' });
    expect(JSON.stringify(res.body)).not.toContain(OPENID);
    expect((await full('PAYEES_TABLE', res.body.sellerId, 'PAYEE'))!.payee).toEqual({ kind: 'wechat', openid: OPENID, realName: '杨秀英' });
    const seller = await full('CATALOG_TABLE', res.body.sellerId, 'SELLER');
    expect(JSON.stringify(seller)).not.toContain(OPENID);
    expect(JSON.stringify(seller)).not.toContain('秀英');
  });

  it('a cooperative paid by bank; corrected by an operator of its county only; a payee that does not fit is refused and writes nothing', async () => {
    const res = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: '城步脐橙合作社', kind: 'cooperative', payee: { kind: 'bank', accountName: '城步县脐橙专业合作社', accountNumber: ACCOUNT, bank: '中国农业银行', branch: '城步支行' } }, authorizer: operatorAuth('chengbu') });
    expect(res.status).toBe(201);
    expect(res.body.payee).toMatchObject({ kind: 'bank', accountNumber: '6222 **** **** 1234', bank: '中国农业银行' });
    const sellerId: string = res.body.sellerId;

    const farmerByBank = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: 'x', kind: 'farmer', payee: { kind: 'bank', accountName: 'x', accountNumber: ACCOUNT, bank: 'b', branch: 'c' } }, authorizer: operatorAuth('chengbu') });
    expect(farmerByBank.status).toBe(400);
    expect(farmerByBank.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'payee.kind' });

    const corrected = { kind: 'bank', accountName: '城步县脐橙专业合作社', accountNumber: '6228480402564890018', bank: '中国农业银行', branch: '儒林支行' };
    expect((await invoke(setPayee, { method: 'PUT', pathParameters: { sellerId }, body: corrected, authorizer: operatorAuth('xinhuang') })).status).toBe(404);
    expect((await full('PAYEES_TABLE', sellerId, 'PAYEE'))!.payee.accountNumber).toBe(ACCOUNT);
    const wrongKind = await invoke(setPayee, { method: 'PUT', pathParameters: { sellerId }, body: { kind: 'wechat', openid: OPENID }, authorizer: operatorAuth('chengbu') });
    expect(wrongKind.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'payee.kind' });
    const ok = await invoke(setPayee, { method: 'PUT', pathParameters: { sellerId }, body: corrected, authorizer: operatorAuth('chengbu') });
    expect(ok.status).toBe(200);
    expect(ok.body.payee).toMatchObject({ accountNumber: '6228 **** **** 0018', branch: '儒林支行' });
    expect((await full('PAYEES_TABLE', sellerId, 'PAYEE'))!.payee).toEqual(corrected);
  });

  it('masking shows at most the first and last four characters of an account or an openid (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 30, unit: fc.constantFrom(...'0123456789') }), fc.string({ minLength: 6, maxLength: 128, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-') }), (account, openid) => {
        const bank = maskPayee({ kind: 'bank', accountName: 'n', accountNumber: account, bank: 'b', branch: 'c' });
        expect(bank.kind === 'bank' && bank.accountNumber).toBe(`${account.slice(0, 4)} **** **** ${account.slice(-4)}`);
        const wechat = maskPayee({ kind: 'wechat', openid });
        const shown = wechat.kind === 'wechat' ? wechat.openid.replaceAll('*', '') : '';
        expect(shown.length).toBeLessThanOrEqual(8);
        if (openid.length > 8) expect(shown).toBe(`${openid.slice(0, 4)}${openid.slice(-4)}`);
      }),
    );
  });
});
