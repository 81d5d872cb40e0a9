import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starting and stopping a sandbox's HTTP server (shared by the amoCRM and LPTracker sandboxes). */

/** Listens on `port` (0: any free one) and answers the URL clients use (`http://127.0.0.1:<port>`). */
export async function listenLocally(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  const publicHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${publicHost}:${bound}`;
}

/** Stops listening and cuts every open connection. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
