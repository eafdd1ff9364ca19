// The worker's one HTTP port (TEARDOWN_METRICS_ADDRESS, host:port): GET /metrics and GET /healthz.
// The Temporal SDK's Prometheus exporter owns its own listener, so it is bound to a private
// loopback port and /metrics here relays its answer: the SDK's metrics and the project's (recorded
// through the SDK's meter, src/observability/metrics.ts) come out of one scrape. /healthz answers
// 200 while `health()` says ok, 503 otherwise, with its reason as the body.
import http from 'node:http';
import net from 'node:net';
import { z } from 'zod';

export interface Health {
  ok: boolean;
  detail: string;
}

export interface WorkerHttpOptions {
  /** Where to listen: 'host:port' (port 0 picks a free one). */
  address: string;
  /** host:port of the SDK's Prometheus exporter (src/workers/telemetry.ts binds it). */
  sdkMetricsAddress: string;
  health: () => Health;
}

export interface WorkerHttpServer {
  /** The bound 'host:port' (the real port when 0 was asked). */
  address: string;
  close(): Promise<void>;
}

const hostPort = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:9464');

/** Parses 'host:port'; throws an Error naming `variable` on anything else. */
export function parseHostPort(value: string, variable: string): { host: string; port: number } {
  const parsed = hostPort.safeParse(value);
  const port = parsed.success ? Number(parsed.data.slice(parsed.data.lastIndexOf(':') + 1)) : NaN;
  if (!parsed.success || port > 65_535) {
    throw new Error(
      `${variable}: "${value}" ${parsed.success ? 'has a port above 65535' : parsed.error.issues[0]?.message}`,
    );
  }
  const host = parsed.data.slice(0, parsed.data.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return { host, port };
}

/** A free loopback port for the SDK's exporter (it must be told a concrete address). */
export function freeLoopbackAddress(): Promise<string> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(`127.0.0.1:${port}`));
    });
  });
}

function relayMetrics(sdkMetricsAddress: string, res: http.ServerResponse): void {
  const upstream = http.get(`http://${sdkMetricsAddress}/metrics`, { timeout: 5_000 }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, {
      'content-type': answer.headers['content-type'] ?? 'text/plain; version=0.0.4',
    });
    answer.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
  upstream.on('error', (err) => {
    if (res.headersSent) return void res.destroy(err);
    res
      .writeHead(502, { 'content-type': 'text/plain' })
      .end(`the SDK's metrics exporter did not answer: ${err.message}\n`);
  });
}

export async function startWorkerHttpServer(opts: WorkerHttpOptions): Promise<WorkerHttpServer> {
  const { host, port } = parseHostPort(opts.address, 'TEARDOWN_METRICS_ADDRESS');
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      relayMetrics(opts.sdkMetricsAddress, res);
    } else if (path === '/healthz') {
      const health = opts.health();
      res.writeHead(health.ok ? 200 : 503, { 'content-type': 'text/plain' }).end(`${health.detail}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics or /healthz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as net.AddressInfo;
  return {
    address: `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
