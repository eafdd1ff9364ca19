// Test only: sends connections for fixed hosts the SDKs hard-code (instance metadata such as
// metadata.tencentyun.com or 100.100.100.200, public STS hosts) to a local port instead, as plain
// HTTP. It patches the createConnection of Node's http and https agents (every agent, including the
// SDKs' private keep-alive ones), so the SDK code runs unchanged; the Host header still names the
// real host. Other hosts connect as before. Restore in afterEach/afterAll.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

type CreateConnection = (options: { host?: string; servername?: string }, cb?: unknown) => unknown;

export function redirectHosts(hosts: readonly string[], port: number): () => void {
  const protos = [http.Agent.prototype, https.Agent.prototype] as unknown as Array<{
    createConnection: CreateConnection;
  }>;
  const originals = protos.map((p) => p.createConnection);
  protos.forEach((proto, i) => {
    const original = originals[i]!;
    proto.createConnection = function (this: unknown, options, cb) {
      const host = options.host ?? options.servername ?? '';
      if (!hosts.includes(host)) return original.call(this, options, cb);
      return net.createConnection({ host: '127.0.0.1', port });
    };
  });
  return () =>
    protos.forEach((proto, i) => {
      proto.createConnection = originals[i]!;
    });
}
