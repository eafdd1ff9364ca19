// `npm run dev-server` (scripts/dev-server.ts) starts a Temporal dev server with every search
// attribute of the contract registered, prints the address to use, and stops on Ctrl-C.
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../../src/search-attributes';
import { temporalCliPath } from '../../scripts/temporal-cli';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

it('registers every search attribute, prints TEMPORAL_ADDRESS, and stops on SIGINT', async () => {
  const [port, uiPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/dev-server.ts', '--port', String(port), '--ui-port', String(uiPort)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => stdout.includes('Ctrl-C stops the server') && resolve());
      void exited.then((code) => reject(new Error(`dev-server exited ${code}: ${stderr}`)));
    });
    expect(stdout).toContain(`export TEMPORAL_ADDRESS=127.0.0.1:${port}`);
    expect(stdout).toContain(`UI at http://127.0.0.1:${uiPort}`);

    const { stdout: listed } = await promisify(execFile)(temporalCliPath(), [
      'operator',
      'search-attribute',
      'list',
      '--address',
      `127.0.0.1:${port}`,
      '-o',
      'json',
    ]);
    const custom = JSON.parse(listed).customAttributes as Record<string, string>;
    expect(custom).toEqual(
      Object.fromEntries(ALL_SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, `INDEXED_VALUE_TYPE_${k.type}`])),
    );
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect(stdout).toContain('dev server stopped');
}, 120_000);
