// The compose `demo` profile's services, run on the production stack as compose would run them:
// the emulator with deploy/demo/seed.json, a worker with the demo-worker's environment, and the
// demo-teardown one-shot's command, all from the built JavaScript, each command and environment
// read from `docker-compose config` (container paths and host names mapped to this machine).
// The teardown completes and the UI server lists it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { parse as parseYaml } from 'yaml';
import { TeardownClient } from '../../src/client';
import { teardownDataConverter } from '../../src/codec';
import { readStack, ROOT, startWorker, type WorkerProcess } from './stack';

const stack = readStack();
let emulator: ChildProcess | undefined;
let worker: WorkerProcess | undefined;
let connection: Connection | undefined;

interface Service {
  command: string[];
  environment: Record<string, string>;
}

function demoServices(): Record<string, Service> {
  const out = execFileSync(
    process.env.DOCKER_COMPOSE_BIN ?? 'docker-compose',
    ['-f', 'docker-compose.yml', '--profile', 'demo', 'config'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, COMPOSE_PROJECT_NAME: 'cloud-teardown' } },
  );
  return (parseYaml(out) as { services: Record<string, Service> }).services;
}

/** A container's argv on this machine: the /demo mount is deploy/demo, loopback instead of 0.0.0.0. */
const local = (args: string[], port?: string) =>
  args.map((a) =>
    a
      .replace(/^\/demo\//, `${ROOT}/deploy/demo/`)
      .replace('0.0.0.0', '127.0.0.1')
      .replace(/^8787$/, port ?? a),
  );

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  emulator?.kill('SIGKILL');
  await connection?.close();
});

it('runs the compose demo: seeded emulator, demo worker, demo-teardown one-shot; the UI lists the teardown', async () => {
  const services = demoServices();
  const [node, ...emulatorArgs] = services.emulator!.command;
  expect(node).toBe('node');
  emulator = spawn(process.execPath, local(emulatorArgs, '0'), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let emulatorOut = '';
  emulator.stderr!.on('data', (d) => (emulatorOut += d));
  const url = await new Promise<string>((res, rej) => {
    emulator!.stdout!.on('data', (d) => {
      emulatorOut += d;
      const match = /listening on (http:\/\/\S+)/.exec(emulatorOut);
      if (match) res(match[1]!);
    });
    emulator!.once('exit', (code) => rej(new Error(`emulator exited (${code}):\n${emulatorOut}`)));
  });
  expect(emulatorOut).toMatch(/seeded \d+ resources/);

  // The demo services' environment, with compose's host names replaced by this machine's addresses.
  const env: Record<string, string> = {
    ...services['demo-worker']!.environment,
    TEMPORAL_ADDRESS: stack.address,
    TEMPORAL_NAMESPACE: stack.namespace,
    CLOUD_TEARDOWN_ENDPOINT: url,
  };
  worker = await startWorker({ ...env, TEARDOWN_WORKFLOW_BUNDLE: stack.workflowBundle }, 'demo');

  const [cli, ...cliArgs] = services['demo-teardown']!.command;
  expect(cli).toBe('node');
  const started = execFileSync(process.execPath, local(cliArgs), { cwd: ROOT, encoding: 'utf8', env });
  expect(started).toMatch(/demo/);

  connection = await Connection.connect({ address: stack.address });
  const client = new Client({ connection, namespace: stack.namespace, dataConverter: teardownDataConverter });
  const teardown = new TeardownClient(client, env.TEARDOWN_TASK_QUEUE);
  const report = await teardown.waitForReport('demo');
  expect(report.totals.pending).toBe(0);
  expect(report.totals.deleted).toBeGreaterThan(10);

  const query = encodeURIComponent('WorkflowId = "teardown-demo"');
  const listed = await fetch(`${stack.uiUrl}/api/v1/namespaces/${stack.namespace}/workflows?query=${query}`);
  expect(listed.status).toBe(200);
  const body = (await listed.json()) as { executions?: Array<{ execution: { workflowId: string } }> };
  expect(body.executions?.map((e) => e.execution.workflowId)).toContain('teardown-demo');
});
