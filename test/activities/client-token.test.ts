import { clientToken, type ClientTokenParts } from '../../src/activities/client-token';

const base: ClientTokenParts = {
  teardownId: 'teardown-a',
  step: 'delete',
  kind: 'alibabacloud.ecs.instance',
  region: 'cn-hangzhou',
  ids: ['i-b', 'i-a'],
  params: { force: true },
  generation: 0,
};

describe('clientToken', () => {
  it('is at most 64 ASCII characters', () => {
    const token = clientToken(base);
    expect(token).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(token).toHaveLength(64);
  });

  it('is a pure function of the call: same parts (ids in any order) give the same token', () => {
    expect(clientToken({ ...base, ids: ['i-a', 'i-b'] })).toBe(clientToken(base));
  });

  it('changes with every part that changes the call', () => {
    const tokens = new Set([
      clientToken(base),
      clientToken({ ...base, teardownId: 'teardown-b' }),
      clientToken({ ...base, step: 'prepare:stop' }),
      clientToken({ ...base, ids: ['i-a'] }),
      clientToken({ ...base, params: { force: false } }),
      clientToken({ ...base, generation: 1 }),
      clientToken({ ...base, region: 'cn-beijing' }),
    ]);
    expect(tokens.size).toBe(7);
  });
});
