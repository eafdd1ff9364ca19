// The emulator's state file: an emulator restarted mid-way resumes its resources, pending
// transitions, ClientTokens, products' memory, faults, settings, clock and call log, in-process
// (stateFile / saveState) and as a process (--state-file, saved on SIGTERM).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRODUCTS } from '../../src/emulator/registry';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import type { ProductHandler } from '../../src/emulator/types';
import { adminRequest as admin, alibabaSdk, callAlibabaRpc } from '../helpers/provider-harness';
import { startEmulatorProcess } from '../helpers/emulator-process';

const TYPE = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';

// A product keeping a counter in its memory, standing for change orders and delete tasks.
const counterProduct: ProductHandler = {
  provider: 'alibabacloud',
  service: 'counter',
  version: '2099-01-01',
  actions: {
    Count: (_call, ctx) => {
      const next = ((ctx.memory.get('n') as number | undefined) ?? 0) + 1;
      ctx.memory.set('n', next);
      return { N: next };
    },
  },
};
const products = [...PRODUCTS, counterProduct];

let dir: string;
const opened: Emulator[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-state-'));
});
afterEach(async () => {
  // A test may have closed one already (a restart).
  await Promise.all(opened.splice(0).map((e) => e.close().catch(() => undefined)));
  await rm(dir, { recursive: true, force: true });
});

async function open(stateFile?: string): Promise<Emulator> {
  const emulator = await startEmulator({ products, stateFile });
  opened.push(emulator);
  return emulator;
}

function rpc(em: Emulator, action: string, query: Record<string, string>, version?: string) {
  return callAlibabaRpc(alibabaSdk(em.endpoint, em.accounts.alibabacloud), action, query, { version });
}

describe('state file', () => {
  it('an emulator restarted mid-way resumes where the saved one stopped', async () => {
    const file = join(dir, 'state.json');
    const first = await open(file);
    first.setSettings({ durations: { 'alibabacloud.ecs.delete': 5_000 } });
    first.seed(
      ['i-state0001', 'i-state0002'].map((id) => ({ type: TYPE, id, region: REGION, status: 'Stopped' })),
    );
    first.clock.freeze();
    const remove = (em: Emulator, id: string) =>
      rpc(em, 'DeleteInstances', { RegionId: REGION, ClientToken: 'tok-state', 'InstanceId.1': id });
    expect((await remove(first, 'i-state0001')).ok).toBe(true);
    expect((await rpc(first, 'Count', {}, '2099-01-01')).body.N).toBe(1);
    first.injectFault({ action: 'DescribeInstances', code: 'InternalError', count: 2 });
    first.clock.advance(1_000);
    expect(await first.saveState()).toBe(file);
    const savedCalls = first.calls();
    await first.close();

    const second = await open(file);
    expect(second.clock.state()).toMatchObject({ frozen: true, now: first.clock.now() });
    expect(second.settings().durations['alibabacloud.ecs.delete']).toBe(5_000);
    expect(second.resources(TYPE).map((r) => r.id)).toEqual(['i-state0001', 'i-state0002']);
    expect(second.faults()).toMatchObject([{ action: 'DescribeInstances', remaining: 2 }]);
    expect(second.calls()).toEqual(savedCalls);
    // The token still answers the first delete; other ids under it are a mismatch.
    expect((await remove(second, 'i-state0001')).ok).toBe(true);
    expect(second.stats().idempotentReplays).toBe(1);
    expect((await remove(second, 'i-state0002')).code).toBe('IdempotentParameterMismatch');
    // The pending release completes at its time on the resumed clock.
    second.clock.advance(3_999);
    expect(second.resources(TYPE).map((r) => r.id)).toEqual(['i-state0001', 'i-state0002']);
    second.clock.advance(1);
    expect(second.resources(TYPE).map((r) => r.id)).toEqual(['i-state0002']);
    // Products' memory carries on; the call log keeps counting.
    expect((await rpc(second, 'Count', {}, '2099-01-01')).body.N).toBe(2);
    expect(second.calls().at(-1)?.seq).toBe(savedCalls.length + 3);
  });

  it('copies state over HTTP (GET/PUT /_emulator/state) and saves only to the configured file', async () => {
    const source = await open();
    source.seed([{ type: TYPE, id: 'i-state0003', region: REGION }]);
    expect((await admin(source, 'POST', '/_emulator/state/save')).status).toBe(400);
    const snapshot = (await admin(source, 'GET', '/_emulator/state')).body;
    expect(snapshot.format).toBe('cloud-teardown-emulator-state/1');

    const target = await open(join(dir, 'target.json'));
    expect((await admin(target, 'PUT', '/_emulator/state', snapshot)).status).toBe(200);
    expect(target.resources(TYPE).map((r) => r.id)).toEqual(['i-state0003']);
    expect((await admin(target, 'POST', '/_emulator/state/save')).body.file).toBe(join(dir, 'target.json'));
    const written = JSON.parse(await readFile(join(dir, 'target.json'), 'utf8'));
    expect(written.resources.map((e: any) => e.resource.id)).toEqual(['i-state0003']);
    target.reset();
    expect((await admin(target, 'POST', '/_emulator/state/load')).body.loaded).toBe(true);
    expect(target.resources(TYPE)).toHaveLength(1);
  });

  it('refuses a state that is not one, naming the field, and changes nothing', async () => {
    const em = await open();
    em.seed([{ type: TYPE, id: 'i-state0004', region: REGION }]);
    const snapshot = em.snapshot();
    const broken = { ...snapshot, resources: [{ resource: { id: 'x' }, pending: [] }] };
    const refused = await admin(em, 'PUT', '/_emulator/state', broken);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/resources/);
    expect(() => em.restore({ format: 'something else' })).toThrow(/format/);
    expect(em.resources(TYPE).map((r) => r.id)).toEqual(['i-state0004']);

    const file = join(dir, 'bad.json');
    await writeFile(file, '{"format":');
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/bad\.json: not JSON/);
    // A missing file is a first start.
    expect((await open(join(dir, 'none-yet.json'))).resources()).toEqual([]);
  });

  it('npm run emulator -- --state-file F saves on SIGTERM and resumes on start', async () => {
    const file = join(dir, 'process.json');
    const first = await startEmulatorProcess(['--port', '0', '--state-file', file]);
    try {
      const seeded = await admin(first, 'POST', '/_emulator/resources', [
        { type: TYPE, id: 'i-proc0001', region: REGION },
      ]);
      expect(seeded.status).toBe(200);
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    expect(first.output()).toContain(`state saved to ${file}`);

    const second = await startEmulatorProcess(['--port', '0', '--state-file', file]);
    try {
      const listed = await admin(second, 'GET', `/_emulator/resources?type=${TYPE}`);
      expect(listed.body.resources.map((r: any) => r.id)).toEqual(['i-proc0001']);
      expect(second.output()).toContain('1 resources resumed');
    } finally {
      await second.stop('SIGTERM');
    }
  }, 60_000);
});
