import type { Server } from 'node:http';
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
