// The library as another project gets it: `npm pack`, installed from the tarball into a fresh
// project (offline: the tarball plus the npm cache that installed this checkout), a consumer
// compiled with tsc against the published types and run with plain node against the dev server.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES } from '../helpers/kinds';
import { startStack, testId, type Stack } from '../helpers/stack';
import { REPO_ROOT, testServerAddress } from '../helpers/temporal';

jest.setTimeout(600_000);

const fx = FIXTURES['alibabacloud.ecs.instance'];
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let stack: Stack;
let project: string;

/** Asynchronous: the consumer needs this process's workers to keep running meanwhile. */
async function runAsync(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return stdout;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' });
}

/**
 * A lock file for the consumer made from this checkout's: the package from the tarball, and every
 * non-dev package at the version (and integrity) already installed here, so `npm ci --offline`
 * finds each one in the npm cache.
 */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  const root = lock.packages[''];
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { 'cloud-teardown': `file:${tarball}` } },
    'node_modules/cloud-teardown': {
      version: root.version,
      resolved: `file:${tarball}`,
      dependencies: root.dependencies,
      bin: { teardown: 'dist/client/cli.js' },
    },
  };
  const registry = run(NPM, ['config', 'get', 'registry'], REPO_ROOT).trim().replace(/\/?$/, '/');
  for (const [key, entry] of Object.entries<any>(lock.packages)) {
    if (key === '' || entry.dev || entry.link) continue;
    const { devOptional: _devOptional, ...kept } = entry;
    // npm leaves `resolved` out of some entries; offline it must know the tarball (found by integrity).
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    kept.resolved ??= `${registry}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    packages[key] = kept;
  }
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

const CONSUMER = `
import { connectTeardownClient, KIND_NAMES, parseTeardownRequest, type TeardownReport } from 'cloud-teardown';

async function main(): Promise<void> {
  const [id, kind, region, instance] = process.argv.slice(2) as [string, string, string, string];
  if (!KIND_NAMES.includes(kind as never)) throw new Error('unknown kind ' + kind);
  const request = parseTeardownRequest({ resources: [{ kind, region, ids: [instance] }], requestedBy: 'consumer' });
  const client = await connectTeardownClient({ taskQueue: process.env.TEARDOWN_TASK_QUEUE });
  const started = await client.startTeardown(id, request);
  const report: TeardownReport = await client.waitForReport(id);
  process.stdout.write(JSON.stringify({ started, status: report.status, totals: report.totals, workflows: require.resolve('cloud-teardown/workflows') }));
  await client.client.connection.close();
}
main().catch((err) => { process.stderr.write(String(err?.stack ?? err)); process.exit(1); });
`;

beforeAll(async () => {
  stack = await startStack({ prefix: 'package' });
  const work = mkdtempSync(path.join(tmpdir(), 'cloud-teardown-package-'));
  // prepack builds dist/ first.
  const packed = run(NPM, ['pack', '--silent', '--pack-destination', work], REPO_ROOT)
    .trim()
    .split('\n')
    .pop()!;
  const tarball = path.join(work, packed);
  project = path.join(work, 'consumer');
  run('mkdir', ['-p', project], work);
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      private: true,
      dependencies: { 'cloud-teardown': `file:${tarball}` },
    }),
  );
  writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(consumerLock(tarball)));
  run(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the packed package', () => {
  it('ships built JavaScript, declarations and the JSON schemas, and no TypeScript sources', () => {
    const installed = path.join(project, 'node_modules', 'cloud-teardown');
    expect(existsSync(path.join(installed, 'dist', 'client', 'index.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'dist', 'client', 'index.d.ts'))).toBe(true);
    expect(existsSync(path.join(installed, 'dist', 'workflows', 'index.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'schema', 'teardown-request.json'))).toBe(true);
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
    const version = run(
      path.join(project, 'node_modules', '.bin', 'teardown'),
      ['--version'],
      project,
    ).trim();
    expect(version).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('compiles a consumer with tsc and runs it with plain node: a teardown against the dev server', async () => {
    writeFileSync(path.join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          skipLibCheck: true,
          outDir: 'out',
          typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    run(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      project,
    );

    const instance = fx.newId();
    stack.emulator.seed([
      {
        type: fx.kind,
        region: fx.region!,
        id: instance,
        status: 'Stopped',
        attributes: { InstanceChargeType: 'PostPaid' },
      },
    ]);
    const id = testId('consumer');
    const out = await runAsync(
      process.execPath,
      ['out/consumer.js', id, fx.kind, fx.region!, instance],
      project,
      {
        TEMPORAL_ADDRESS: testServerAddress(),
        TEMPORAL_NAMESPACE: 'default',
        TEARDOWN_TASK_QUEUE: stack.taskQueue,
      },
    );
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      started: { workflowId: `teardown-${id}`, started: true },
      status: 'completed',
      totals: { requested: 1, deleted: 1 },
    });
    expect(result.workflows).toContain(
      path.join('node_modules', 'cloud-teardown', 'dist', 'workflows', 'index.js'),
    );
  });
});
