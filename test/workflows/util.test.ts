import { chunk } from '../../src/workflows/util';

describe('chunk', () => {
  it('splits into batches of at most the given size, keeping order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(
      chunk(
        Array.from({ length: 250 }, (_, i) => i),
        100,
      ).map((b) => b.length),
    ).toEqual([100, 100, 50]);
  });

  it('refuses a non-positive size', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});
