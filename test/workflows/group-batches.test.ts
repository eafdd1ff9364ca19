// How many ids a describe batch and a child take: a listing kind (MS) a whole group per call, in
// groups of its own groupLimit, once the workflow runs the describe-by-listing patch.
import { KINDS } from '../../src/kinds';
import { describeBatchLimit, DESCRIBE_BY_LISTING, groupLimitOf } from '../../src/workflows/group/batches';

const MS = KINDS['tencentcloud.ms.scan']!;
const ECS = KINDS['alibabacloud.ecs.instance']!;
const patchedIs = (on: boolean) => (id: string) => on && id === DESCRIBE_BY_LISTING;

test('a listing kind describes its whole group per call once patched; older histories keep describeLimit', () => {
  expect(describeBatchLimit({ meta: MS, patched: patchedIs(true) })).toBe(MS.describesByListing!.groupLimit);
  expect(describeBatchLimit({ meta: MS, patched: patchedIs(false) })).toBe(MS.describeLimit);
  expect(describeBatchLimit({ meta: ECS, patched: patchedIs(true) })).toBe(ECS.describeLimit);
});

test("a listing kind's children take groupLimit ids, the others GROUP_SIZE", () => {
  expect(groupLimitOf(MS, 500, patchedIs(true))).toBe(20_000);
  expect(groupLimitOf(MS, 500, patchedIs(false))).toBe(500);
  expect(groupLimitOf(ECS, 500, patchedIs(true))).toBe(500);
});
