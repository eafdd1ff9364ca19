// HTTP plumbing of the emulator: reading bounded bodies, JSON replies, listening.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, readBoundedBody } from '../http-body';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export { BodyTooLargeError };

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return readBoundedBody(req, MAX_BODY_BYTES);
}

export function jsonReply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Listens on host:port (0: any free port); a handler that throws still gets a 500 answer. */
export async function listen(
  host: string,
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[emulator] request failed', err);
      if (!res.headersSent) jsonReply(res, 500, { error: 'internal emulator error' });
      else res.end();
    });
  });
  // Keep-alive clients (the Alibaba SDK) must not hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
