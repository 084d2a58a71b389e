import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A start-up problem the person running the province can fix (the message says how). */
export class LocalProvinceError extends Error {}

export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new LocalProvinceError(`Port ${port} is already in use (${what}). Stop the other process, or choose another port: npm start -- --port ${port + 1}`));
      } else reject(error);
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Stops a server, dropping its open connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** An HTTP server on a free port of 127.0.0.1 handing each request, with its whole body, to `handle` (stand-ins for tests and benchmarks). */
export async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void>): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    await handle(req, res, body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
