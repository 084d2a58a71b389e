/** The local API Gateway emulation refuses what API Gateway refuses, before any function runs. */
import { describe, expect, it } from 'vitest';
import { apiGateway } from '../../local/api-gateway.js';
import { LocalIdentityProvider } from '../../local/auth.js';

describe('local API Gateway', () => {
  const invoked: string[] = [];
  const gateway = apiGateway({ invoke: async (name) => (invoked.push(name), { statusCode: 200, body: '{}' }), idp: new LocalIdentityProvider('http://127.0.0.1/_local/cognito', 'local') });

  it('a malformed percent-escape in a path is 400 {"message":"Bad Request"}, with or without credentials, and reaches no function', async () => {
    for (const path of ['/products/%ZZ', '/shows/%', '/orders/%E0%A4%A']) {
      const answer = await gateway({ method: 'GET', path, headers: {} });
      expect(answer, path).toMatchObject({ statusCode: 400, body: JSON.stringify({ message: 'Bad Request' }) });
    }
    expect(invoked).toEqual([]);
  });

  it("credentials are checked before a function runs: none is 401, in the gateway's own shape", async () => {
    expect(await gateway({ method: 'GET', path: '/products/p1', headers: {} })).toMatchObject({ statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) });
    expect(await gateway({ method: 'GET', path: '/nowhere', headers: {} })).toBeUndefined();
    expect(invoked).toEqual([]);
  });
});
