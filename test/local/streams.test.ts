/** The stream pollers when DynamoDB Local stops answering: one clear message, backoff, and recovery when it returns. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { pollStream } from '../../local/streams.js';
import { eventually } from '../support/eventually.js';

describe('stream pollers', () => {
  let healthy = false;
  const requests: number[] = [];
  const server = createServer((req, res) => {
    requests.push(performance.now());
    req.resume();
    req.on('end', () => {
      if (!healthy) return void res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' }).end('{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"down"}');
      // a table without a stream: the poll succeeds and finds nothing to read
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ Table: { TableName: 't', TableStatus: 'ACTIVE' } }));
    });
  });
  afterAll(() => server.close());

  it('say once that reading fails, back off, and say once that it works again', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const errors: unknown[] = [];
    let recovered = 0;
    const poller = pollStream({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      tableName: 't',
      batchSize: 10,
      consume: async () => undefined,
      onError: (e) => errors.push(e),
      onRecovered: () => recovered++,
      intervalMs: 20,
      maxBackoffMs: 400,
    });
    try {
      await eventually(() => expect(requests.length).toBeGreaterThanOrEqual(7), { timeoutMs: 20_000 });
      expect(errors).toHaveLength(1); // one message for the outage, however many attempts
      // the waits between attempts grow: 40, 80, 160, 320, 400 ms (capped)
      const gaps = requests.slice(1, 7).map((t, i) => t - requests[i]!);
      expect(gaps[5]!).toBeGreaterThan(gaps[0]!);
      expect(gaps[5]!).toBeGreaterThanOrEqual(380);
      healthy = true;
      await eventually(() => expect(recovered).toBe(1), { timeoutMs: 10_000 });
      expect(errors).toHaveLength(1);
    } finally {
      await poller.stop();
    }
  }, 40_000);
});
