// Determinism against the past: every history committed under test/fixtures/histories/ (recorded
// by `npm run record-histories` from earlier builds: every kind, approval and rejection, cancel,
// selectors, dry run, start time, a worker SIGKILLed mid-delete) replays with the current workflow
// bundle. A workflow change that would break running teardowns fails here; one meant to break
// them is guarded with patched() or, when that is not possible, comes with re-recorded histories
// (README, "Replay histories").
//
// Shown once (a deliberately non-deterministic change, 2026-12-03): with `await sleep(1)` added
// as the first line of `teardown` in src/workflows/teardown.ts, the replay test failed, every
// parent history with
//   [TMPRL1100] Nondeterminism error: Timer machine does not handle this event:
//   HistoryEvent(id: 5, UpsertWorkflowSearchAttributes)
// (the new timer met the recorded search-attribute upsert); the children replayed as before.
import { Worker } from '@temporalio/worker';
import { teardownDataConverter } from '../../src/codec';
import { EMULATOR_ACCOUNTS } from '../../src/emulator/accounts';
import { KIND_NAMES } from '../../src/kinds';
import { committedHistories } from '../helpers/histories';
import { workflowBundle } from '../helpers/temporal';

const histories = committedHistories();

it('has committed histories of every kind and of each representative scenario', () => {
  const scenarios = new Set(histories.map((h) => h.scenario));
  for (const kind of KIND_NAMES) expect(scenarios).toContain(`kind-${kind}`);
  for (const scenario of ['approval', 'cancel', 'selectors', 'crash']) expect(scenarios).toContain(scenario);
});

it('replays every committed history with the current workflow code', async () => {
  const failures: Array<{ workflowId: string; error: string }> = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: workflowBundle(), dataConverter: teardownDataConverter },
    histories.map(({ workflowId, history }) => ({ workflowId, history })),
  )) {
    replayed++;
    if (result.error) failures.push({ workflowId: result.workflowId, error: String(result.error) });
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
}, 300_000);

it('holds no credential in any committed history', () => {
  const secrets = EMULATOR_ACCOUNTS.flatMap((a) => [a.accessKeyId, a.accessKeySecret]);
  const leaks = histories.flatMap(({ workflowId, history }) => {
    const text = JSON.stringify(history);
    return secrets.filter((s) => text.includes(s)).map((s) => `${workflowId}: ${s.slice(0, 4)}…`);
  });
  expect(leaks).toEqual([]);
});
