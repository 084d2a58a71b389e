/**
 * IAM offline (local/iam.ts): the evaluator agrees with documented IAM behaviour, the generated
 * policies say what each function may do, and a grant taken away makes the real call fail as AWS
 * would.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ddb } from '../../functions/adapters/dynamo.js';
import { AccessDeniedException, asFunction, enforceIam, IAM_POLICIES, type IamPolicies, iamModel, requestsOf } from '../../local/iam.js';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { type TableName, tables } from '../../province/wiring.js';
import { invoke, lambdaContext } from '../support/http.js';
import { enforceIamInTests } from '../support/iam.js';

const names = {
  region: 'ap-northeast-1',
  account: '000000000000',
  table: (t: TableName) => process.env[tables[t].env]!,
  bus: 'test-province-bus',
  paymentSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:000000000000:secret:test-payment',
};
const policies = JSON.parse(readFileSync(IAM_POLICIES, 'utf8')) as IamPolicies;
const tableArn = (t: TableName) => `arn:aws:dynamodb:${names.region}:${names.account}:table/${names.table(t)}`;
let uninstall: (() => void) | undefined;
afterEach(() => uninstall?.());

describe('IAM offline', () => {
  it('agrees with documented IAM: an identity allow allows; nothing allows → implicit deny; an explicit deny in a resource policy wins over an allow', async () => {
    const enforcement = enforceIam(iamModel(policies, names), names);
    uninstall = enforcement.uninstall;
    // the pay function's role allows UpdateItem on the orders table
    expect(await enforcement.decide('payOrder', { action: 'dynamodb:UpdateItem', resource: tableArn('orders') })).toBe('Allowed');
    // nothing grants the pay function the catalog, or Scan anywhere
    expect(await enforcement.decide('payOrder', { action: 'dynamodb:GetItem', resource: tableArn('catalog') })).toBe('ImplicitlyDenied');
    expect(await enforcement.decide('getOrder', { action: 'dynamodb:Scan', resource: tableArn('orders') })).toBe('ImplicitlyDenied');
    // the ledger's resource policy: settlement and refunds may append; an update is denied even to them
    expect(await enforcement.decide('settleShows', { action: 'dynamodb:PutItem', resource: tableArn('ledger') })).toBe('Allowed');
    expect(await enforcement.decide('refundOrder', { action: 'dynamodb:PutItem', resource: tableArn('ledger') })).toBe('Allowed');
    expect(await enforcement.decide('settleShows', { action: 'dynamodb:UpdateItem', resource: tableArn('ledger') })).toBe('ExplicitlyDenied');
    // a query on an index needs the index's ARN granted
    expect(await enforcement.decide('settleShows', { action: 'dynamodb:Query', resource: `${tableArn('orders')}/index/paidByShow` })).toBe('Allowed');
    expect(await enforcement.decide('getOrder', { action: 'dynamodb:Query', resource: `${tableArn('orders')}/index/paidByShow` })).toBe('ImplicitlyDenied');
  });

  it('maps SDK commands to the actions and resources IAM checks (a transaction: one per item)', () => {
    expect(requestsOf('DynamoDBDocumentClient', 'TransactWriteCommand', { TransactItems: [{ ConditionCheck: { TableName: 'shows' } }, { Update: { TableName: 'catalog' } }, { Put: { TableName: 'orders' } }] }, names)).toEqual([
      { action: 'dynamodb:ConditionCheckItem', resource: 'arn:aws:dynamodb:ap-northeast-1:000000000000:table/shows' },
      { action: 'dynamodb:UpdateItem', resource: 'arn:aws:dynamodb:ap-northeast-1:000000000000:table/catalog' },
      { action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:ap-northeast-1:000000000000:table/orders' },
    ]);
    expect(requestsOf('IvsClient', 'ListStreamsCommand', {}, names)).toEqual([{ action: 'ivs:ListStreams', resource: '*' }]);
    expect(requestsOf('EventBridgeClient', 'PutEventsCommand', { Entries: [{ EventBusName: 'b' }, { EventBusName: 'b' }] }, names)).toEqual([
      { action: 'events:PutEvents', resource: 'arn:aws:events:ap-northeast-1:000000000000:event-bus/b' },
    ]);
  });

  it('is on in every test: a handler run through the test support has its calls checked, and none was refused', async () => {
    const suite = enforceIamInTests();
    const before = suite.checked();
    const res = await invoke(getProduct, { pathParameters: { productId: 'no-such-product' } });
    expect(res.status).toBe(404);
    expect(suite.checked()).toBeGreaterThan(before); // the rate counter and the product read
    expect(suite.refused).toEqual([]);
  });

  it('a handler a test calls directly (an authorizer, an event target) runs as its function too', async () => {
    const { handler } = await import('../../functions/access/storefront-authorizer.js');
    expect((handler as unknown as { real?: unknown }).real).toBeTypeOf('function');
    const suite = enforceIamInTests();
    const before = suite.checked();
    const answer = await handler({ type: 'REQUEST', headers: { 'x-api-key': `sfk_0123456789abcdef_01234567_${'a'.repeat(43)}` } } as never, lambdaContext('authorizer'));
    expect(answer.isAuthorized).toBe(false);
    expect(suite.checked()).toBeGreaterThan(before); // its BatchGetItem on the access table was evaluated
    expect(suite.refused).toEqual([]);
  });

  it("each function sees only its own declared environment: another function's table or bus reads as unset", () => {
    expect(process.env.EVENT_BUS_NAME).toBeDefined(); // outside any function: the test's own view
    expect(asFunction('publishDomainEvents', () => process.env.EVENT_BUS_NAME)).toBeDefined();
    expect(asFunction('getOrder', () => process.env.EVENT_BUS_NAME)).toBeUndefined();
    expect(asFunction('getOrder', () => process.env[tables.orders.env])).toBeDefined();
    expect(asFunction('getOrder', () => process.env[tables.ledger.env])).toBeUndefined();
    expect(asFunction('getOrder', () => 'LEDGER_TABLE' in process.env)).toBe(false);
    expect(asFunction('getOrder', () => process.env.AWS_REGION)).toBeDefined(); // not the wiring's: kept
  });

  it("a grant taken away: the function's real call to DynamoDB Local fails with AccessDeniedException; with the grant it goes through", async () => {
    const key = { pk: 'PRODUCT#iam-test', sk: 'PRODUCT' };
    const update = () => ddb.send(new UpdateCommand({ TableName: names.table('catalog'), Key: key, UpdateExpression: 'SET stock = :s', ExpressionAttributeValues: { ':s': 1 } }));

    const granted = enforceIam(iamModel(policies, names), names);
    await expect(asFunction('createShow', update)).resolves.toBeDefined();
    granted.uninstall();

    const withoutCatalog: IamPolicies = structuredClone(policies);
    const role = withoutCatalog.roles.createShow!;
    role.policies = role.policies.map((p) => ({ ...p, Statement: p.Statement.filter((st: any) => !JSON.stringify(st.Resource).includes('TablesCatalog')) }));
    const enforcement = enforceIam(iamModel(withoutCatalog, names), names);
    uninstall = enforcement.uninstall;
    await expect(asFunction('createShow', update)).rejects.toBeInstanceOf(AccessDeniedException);
    await expect(asFunction('createShow', update)).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('dynamodb:UpdateItem') });
    expect(enforcement.refused).toContainEqual({ function: 'createShow', action: 'dynamodb:UpdateItem', resource: tableArn('catalog') });
    // outside a function (test set-up, tooling) nothing is checked
    await expect(ddb.send(new GetCommand({ TableName: names.table('catalog'), Key: key }))).resolves.toBeDefined();
  });
});
