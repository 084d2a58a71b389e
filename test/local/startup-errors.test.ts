import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertJava } from '../../local/dynamodb-local.js';
import { LocalProvinceError, startLocalProvince } from '../../local/province.js';

describe('local province start-up errors say what to do', () => {
  it('missing Java names the package to install', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => assertJava()).toThrow(/Java 17 or newer[\s\S]*apt-get install -y default-jre-headless/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('a busy port names the port and the option to change it, and starts nothing', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const start = startLocalProvince({ port, stateDir: '/tmp/unused-province-state' });
      await expect(start).rejects.toBeInstanceOf(LocalProvinceError);
      await expect(start).rejects.toThrow(`Port ${port} is already in use (API). Stop the other process, or choose another port: npm start -- --port ${port + 1}`);
    } finally {
      blocker.close();
    }
  });
});
