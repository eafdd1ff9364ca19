// MemoryStore: timed transitions applied lazily by an injected clock, channels, accounts, and the
// save/restore a state file is made of.
import { MemoryStore } from '../../src/emulator/store';

const base = {
  type: 't',
  account: 'a',
  region: 'r',
  status: 'Running',
  attributes: { x: 1 } as Record<string, unknown>,
  tags: {},
  name: 'n',
  createdAt: '2024-01-01T00:00:00.000Z',
};

describe('MemoryStore', () => {
  it('applies due transitions lazily, in order, and removes resources', () => {
    let clock = 1_000;
    const store = new MemoryStore(() => clock);
    store.put({ ...base, id: '1' });
    store.scheduleSequence('t', 'a', '1', [
      { afterMs: 100, status: 'Stopping' },
      { afterMs: 100, status: 'Stopped', attributes: { x: undefined, y: 2 } },
      { afterMs: 100, remove: true },
    ]);
    expect(store.get('t', 'a', '1')?.status).toBe('Running');
    clock += 150;
    expect(store.get('t', 'a', '1')?.status).toBe('Stopping');
    expect(store.hasPending('t', 'a', '1')).toBe(true);
    clock += 100;
    expect(store.get('t', 'a', '1')?.attributes).toEqual({ y: 2 });
    clock += 100;
    expect(store.get('t', 'a', '1')).toBeUndefined();
    expect(store.list('t', 'a')).toEqual([]);
  });

  it('schedule replaces every pending change; channels replace only their own', () => {
    let clock = 0;
    const store = new MemoryStore(() => clock);
    store.put({ ...base, id: '1' });
    store.scheduleSequence('t', 'a', '1', [{ afterMs: 100, status: 'Stopped' }], { channel: 'power' });
    store.scheduleSequence('t', 'a', '1', [{ afterMs: 100, attributes: { charge: 'PostPaid' } }], {
      channel: 'charge',
    });
    expect(store.hasPendingOn('t', 'a', '1', 'power')).toBe(true);
    clock = 100;
    expect(store.get('t', 'a', '1')).toMatchObject({
      status: 'Stopped',
      attributes: { x: 1, charge: 'PostPaid' },
    });

    store.scheduleSequence('t', 'a', '1', [{ afterMs: 50, status: 'Starting' }], { channel: 'power' });
    store.schedule('t', 'a', '1', 500, { remove: true });
    clock = 200;
    expect(store.get('t', 'a', '1')?.status).toBe('Stopped');
    clock = 600;
    expect(store.get('t', 'a', '1')).toBeUndefined();
  });

  it('keeps accounts apart', () => {
    const store = new MemoryStore();
    store.put({ ...base, id: '1' });
    store.put({ ...base, id: '1', account: 'b', status: 'Stopped' });
    expect(store.get('t', 'a', '1')?.status).toBe('Running');
    expect(store.get('t', 'b', '1')?.status).toBe('Stopped');
    expect(store.all('t')).toHaveLength(2);
  });

  it('saves resources with their pending changes unsettled; a restored store applies what fell due', () => {
    let clock = 0;
    const store = new MemoryStore(() => clock);
    store.put({ ...base, id: '1' });
    store.put({ ...base, id: '2' });
    store.scheduleSequence('t', 'a', '1', [
      { afterMs: 100, status: 'Stopped' },
      { afterMs: 100, remove: true },
    ]);
    const saved = store.save();
    expect(saved.find((e) => e.resource.id === '1')?.pending.map((p) => p.at)).toEqual([100, 200]);

    let later = 150;
    const resumed = new MemoryStore(() => later);
    resumed.restore(JSON.parse(JSON.stringify(saved)));
    expect(resumed.get('t', 'a', '1')?.status).toBe('Stopped');
    expect(resumed.hasPending('t', 'a', '1')).toBe(true);
    later = 200;
    expect(resumed.get('t', 'a', '1')).toBeUndefined();
    expect(resumed.all().map((r) => r.id)).toEqual(['2']);
    // The saved copy is not the live one.
    clock = 1_000;
    expect(store.get('t', 'a', '2')?.status).toBe('Running');
  });
});
