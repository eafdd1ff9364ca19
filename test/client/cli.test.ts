// The `teardown` CLI in-process (buildCli with the test stack's client): exit codes per final
// status, `--output json` shapes, request files, start times and postpone, selector flags, and the
// messages explainError gives the binary (it maps errors to exit codes only under require.main).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CliError, explainError, requestFromFlags } from '../../src/client/cli';
import { EXIT_CODES } from '../../src/client/format';
import {
  InvalidTeardownRequest,
  parseTeardownRequest,
  type TeardownClient,
  type TeardownReport,
} from '../../src/client';
import { FIXTURES } from '../helpers/kinds';
import { ecsFlags, runCli, seedEcs, type EcsSeed } from './cli-harness';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';

const fx = FIXTURES['alibabacloud.ecs.instance'];
const KIND = fx.kind;
const REGION = fx.region!;
const HOUR = 3_600_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'cli' });
});

afterAll(async () => {
  await stack?.stop();
});

/** Runs the CLI in-process against the test stack's client (see cli-harness.ts). */
function cli(args: string[], connect: () => Promise<TeardownClient> = () => Promise.resolve(stack.teardown)) {
  return runCli(args, connect);
}

const seed = (count: number, spec?: EcsSeed) => seedEcs(stack, count, spec);

/** The report of `id` once it satisfies `done` (undefined while the workflow does not exist yet). */
function progressUntil(
  id: string,
  done: (r: TeardownReport) => boolean,
  what: string,
): Promise<TeardownReport> {
  return eventually(async () => {
    const report = await stack.teardown.getProgress(id).catch((e: unknown) => {
      if (e instanceof WorkflowNotFoundError) return undefined;
      throw e;
    });
    return report && done(report) ? report : undefined;
  }, what);
}

function expectReportShape(report: any): void {
  expect(report).toEqual(
    expect.objectContaining({
      status: expect.any(String),
      phase: expect.any(String),
      totals: expect.objectContaining({
        requested: expect.any(Number),
        deleted: expect.any(Number),
        alreadyGone: expect.any(Number),
        failed: expect.any(Number),
        skipped: expect.any(Number),
        pending: expect.any(Number),
      }),
      resources: expect.any(Array),
    }),
  );
  for (const r of report.resources) {
    expect(r).toEqual(
      expect.objectContaining({
        kind: expect.any(String),
        region: expect.any(String),
        id: expect.any(String),
        outcome: expect.any(String),
      }),
    );
  }
}

describe('teardown start --wait exit codes', () => {
  it('exits 0 when the teardown completed', async () => {
    const ids = seed(2);
    const id = testId('cli-ok');
    const run = await cli(['start', id, ...ecsFlags(ids), '--wait']);
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(EXIT_CODES.ok);
    expect(run.stdout).toMatch(new RegExp(`^started: teardown-${id}\\n`));
    expect(run.stdout).toMatch(/completed \(done\): 2 requested, 2 deleted/);
  });

  it('exits 3 when it partially failed', async () => {
    const [ok] = seed(1);
    const [guarded] = seed(1, { attributes: { DeletionProtection: true } });
    const run = await cli(['start', testId('cli-partial'), ...ecsFlags([ok!, guarded!]), '--wait']);
    expect(run.exitCode).toBe(EXIT_CODES.partiallyFailed);
    expect(run.stdout).toMatch(/partially-failed/);
    expect(run.stdout).toMatch(/InvalidOperation\.DeletionProtection/);
  });

  it('exits 4 when it failed, and prints the report as JSON with --output json', async () => {
    const [guarded] = seed(1, { attributes: { DeletionProtection: true } });
    const run = await cli([
      '--output',
      'json',
      'start',
      testId('cli-failed'),
      ...ecsFlags([guarded!]),
      '--wait',
    ]);
    expect(run.exitCode).toBe(EXIT_CODES.failed);
    const report = JSON.parse(run.stdout);
    expectReportShape(report);
    expect(report).toMatchObject({
      status: 'failed',
      phase: 'done',
      totals: { requested: 1, failed: 1 },
      resources: [
        {
          kind: KIND,
          region: REGION,
          id: guarded,
          outcome: 'failed',
          errorCode: 'InvalidOperation.DeletionProtection',
        },
      ],
    });
  });

  it('exits 5 when it was cancelled by a rejected approval', async () => {
    const ids = seed(1);
    const id = testId('cli-reject');
    const running = cli(['-o', 'json', 'start', id, ...ecsFlags(ids), '--require-approval', '--wait']);
    await progressUntil(id, (r) => r.status === 'awaiting-approval', 'awaiting-approval');
    await stack.teardown.reject(id, { rejectedBy: 'carol', reason: 'wrong account' });
    const run = await running;
    expect(run.exitCode).toBe(EXIT_CODES.cancelled);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'cancelled',
      message: 'rejected by carol: wrong account',
    });
    expect(stack.emulator.resources(KIND).some((r) => r.id === ids[0])).toBe(true);
  });

  it.each([
    [
      'a missing region',
      (ids: string[]) => ['--kind', KIND, '--ids', ids.join(',')],
      /resources\[0\]\.region: is required/,
    ],
    [
      'a malformed id',
      () => ['--kind', KIND, '--region', REGION, '--ids', 'not-an-instance'],
      /resources\[0\]\.ids\[0\]: "not-an-instance" is not/,
    ],
    ['--ids without --kind', (ids: string[]) => ['--ids', ids.join(',')], /--ids needs --kind/],
    ['no request at all', () => [], /start needs --kind and --ids, or --select-kind/],
    [
      '--at in the past',
      (ids: string[]) => [...ecsFlags(ids), '--at', '2020-01-01T00:00:00Z'],
      /--at: 2020-01-01T00:00:00Z is in the past/,
    ],
    [
      '--at that is not a time',
      (ids: string[]) => [...ecsFlags(ids), '--at', 'friday'],
      /--at: "friday" is not a time/,
    ],
    [
      '--at and --after together',
      (ids: string[]) => [...ecsFlags(ids), '--at', '2099-01-01T00:00:00Z', '--after', '1h'],
      /either --at or --after/,
    ],
    [
      'a bad --after',
      (ids: string[]) => [...ecsFlags(ids), '--after', 'soon'],
      /--after: "soon" must be a positive duration/,
    ],
    [
      '--tag without --select-kind',
      (ids: string[]) => [...ecsFlags(ids), '--tag', 'env=ci'],
      /--tag select resources by discovery: add --select-kind/,
    ],
    [
      'a selector without criteria',
      () => ['--select-kind', KIND, '--region', REGION],
      /selectors\[0\]: needs at least one of tags, namePrefix or olderThan/,
    ],
    [
      'an unknown selector kind',
      () => ['--select-kind', 'aws.ec2.instance', '--tag', 'env=ci'],
      /selectors\[0\]\.kind: must be one of/,
    ],
    [
      'a bad --older-than',
      () => ['--select-kind', KIND, '--region', REGION, '--older-than', 'old'],
      /selectors\[0\]\.olderThan: "old" is malformed: give a positive duration/,
    ],
    [
      'a bad --max-resources',
      () => ['--select-kind', KIND, '--region', REGION, '--tag', 'a', '--max-resources', 'lots'],
      /--max-resources: "lots" must be a positive integer/,
    ],
    [
      '--file with --kind',
      (ids: string[]) => ['--file', '/nonexistent.yaml', ...ecsFlags(ids)],
      /use either --file or --kind\/--ids\/--region, not both/,
    ],
    [
      'an unreadable --file',
      () => ['--file', '/nonexistent/request.yaml'],
      /--file: cannot read \/nonexistent\/request\.yaml/,
    ],
  ])('exits 2 on %s, and starts nothing', async (_label, flags, message) => {
    const ids = seed(1);
    const id = testId('cli-bad');
    let connected = false;
    const run = await cli(['start', id, ...flags(ids), '--wait'], () => {
      connected = true;
      return Promise.resolve(stack.teardown);
    });
    expect(run.exitCode).toBe(EXIT_CODES.invalidInput);
    expect(explainError(run.error).message).toMatch(message);
    expect(connected).toBe(false);
    await expect(stack.teardown.getProgress(id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(stack.emulator.calls({}).filter((c) => JSON.stringify(c.params).includes(ids[0]!))).toEqual([]);
  });
});

describe('--output json', () => {
  it('prints start, status and list as JSON', async () => {
    const ids = seed(1);
    const id = testId('cli-json');
    const started = await cli(['-o', 'json', 'start', id, ...ecsFlags(ids)]);
    expect(started.exitCode).toBe(0);
    expect(JSON.parse(started.stdout)).toEqual({
      workflowId: `teardown-${id}`,
      runId: expect.any(String),
      started: true,
    });
    const again = await cli(['-o', 'json', 'start', id, ...ecsFlags(ids)]);
    expect(JSON.parse(again.stdout)).toMatchObject({ workflowId: `teardown-${id}`, started: false });

    const final = await stack.teardown.waitForReport(id);
    const status = await cli(['-o', 'json', 'status', id]);
    expect(status.exitCode).toBe(0);
    const report = JSON.parse(status.stdout);
    expectReportShape(report);
    expect(report).toEqual(JSON.parse(JSON.stringify(final)));
    expect(report).toMatchObject({ status: 'completed', totals: { deleted: 1 } });

    const rows = await eventually(async () => {
      const listed = JSON.parse(
        (await cli(['-o', 'json', 'list', '-q', `WorkflowId = "teardown-${id}"`])).stdout,
      );
      expect(listed.query).toBe(`WorkflowId = "teardown-${id}"`);
      const found = listed.teardowns;
      return found.length === 1 && found[0].teardownStatus === 'completed' ? found : undefined;
    }, 'the teardown in `list`');
    expect(rows[0]).toMatchObject({
      workflowId: `teardown-${id}`,
      status: 'COMPLETED',
      teardownStatus: 'completed',
      kinds: [KIND],
      resourceCount: 1,
      failedCount: 0,
      startTime: expect.any(String),
    });
  });

  it('status exits with the final status code of a finished teardown', async () => {
    const [guarded] = seed(1, { attributes: { DeletionProtection: true } });
    const id = testId('cli-status-code');
    await stack.teardown.startTeardown(
      id,
      parseTeardownRequest({ resources: [fx.group([guarded!])], options: { pollInterval: '300ms' } }),
    );
    await stack.teardown.waitForReport(id);
    const run = await cli(['status', id]);
    expect(run.exitCode).toBe(EXIT_CODES.failed);
    expect(run.stdout).toMatch(/^failed \(done\)/);
  });

  it('says "no such teardown" for an unknown id', async () => {
    const id = testId('cli-unknown');
    const run = await cli(['status', id]);
    expect(run.error).toBeInstanceOf(WorkflowNotFoundError);
    expect(explainError(run.error)).toEqual({
      message: `no such teardown: teardown-${id}`,
      exitCode: EXIT_CODES.error,
    });
  });
});

describe('start --file', () => {
  it('reads a YAML request, and option flags override its options', async () => {
    const ids = seed(2);
    const dir = mkdtempSync(path.join(tmpdir(), 'teardown-cli-'));
    const file = path.join(dir, 'request.yml');
    writeFileSync(
      file,
      [
        'resources:',
        `  - kind: ${KIND}`,
        `    region: ${REGION}`,
        '    ids:',
        ...ids.map((i) => `      - ${i}`),
        'options:',
        '  pollInterval: 300ms',
        'requestedBy: yaml-user',
        'reason: from a file',
        '',
      ].join('\n'),
    );

    const dry = await cli([
      '-o',
      'json',
      'start',
      testId('cli-yaml-dry'),
      '--file',
      file,
      '--dry-run',
      '--wait',
    ]);
    expect(dry.exitCode).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      status: 'dry-run',
      totals: { requested: 2, wouldDelete: 2 },
    });

    const id = testId('cli-yaml');
    const real = await cli(['-o', 'json', 'start', id, '--file', file, '--wait']);
    expect(real.exitCode).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({
      status: 'completed',
      totals: { requested: 2, deleted: 2 },
    });
    expect(stack.emulator.resources(KIND).filter((r) => ids.includes(r.id))).toEqual([]);
  });

  it('refuses a file that is not valid YAML, with exit code 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'teardown-cli-'));
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'resources: [\n  - kind: x\n');
    const run = await cli(['start', testId('cli-broken'), '--file', file]);
    expect(run.exitCode).toBe(EXIT_CODES.invalidInput);
    expect(explainError(run.error).message).toMatch(/is not valid YAML/);
  });
});

describe('start time', () => {
  it('--after sets options.startAt to now + the duration', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    const request = requestFromFlags(
      { kind: KIND, region: REGION, ids: ['i-bp1aaaaaaaaaaaaaaaaa'], after: '4h' },
      now,
    ) as any;
    expect(request.options.startAt).toBe('2026-11-27T14:00:00.000Z');
    expect(parseTeardownRequest(request).options?.startAt).toBe('2026-11-27T14:00:00.000Z');
    const at = requestFromFlags(
      { kind: KIND, region: REGION, ids: ['i-bp1aaaaaaaaaaaaaaaaa'], at: '2026-11-27T20:00:00+08:00' },
      now,
    ) as any;
    expect(at.options.startAt).toBe('2026-11-27T20:00:00+08:00');
    // 18:00 in UTC+8 is 10:00Z: not in the future.
    expect(() =>
      requestFromFlags(
        { kind: KIND, region: REGION, ids: ['i-bp1aaaaaaaaaaaaaaaaa'], at: '2026-11-27T18:00:00+08:00' },
        now,
      ),
    ).toThrow(/--at: 2026-11-27T18:00:00\+08:00 is in the past/);
  });

  it('start --after waits; postpone --by moves the start; postpone --until refuses the past; cancel ends it', async () => {
    const ids = seed(1);
    const id = testId('cli-after');
    const before = Date.now();
    const started = await cli(['-o', 'json', 'start', id, ...ecsFlags(ids), '--after', '1h']);
    const after = Date.now();
    expect(started.exitCode).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ started: true });

    const waiting = await progressUntil(id, (r) => r.phase === 'waiting', 'waiting');
    expect(waiting.status).toBe('running');
    const startAt = (await stack.teardown.scheduledStart(id))!.getTime();
    expect(startAt).toBeGreaterThanOrEqual(before + HOUR);
    expect(startAt).toBeLessThanOrEqual(after + HOUR);

    const postponed = await cli(['-o', 'json', 'postpone', id, '--by', '30m']);
    expect(postponed.exitCode).toBe(0);
    const target = new Date(startAt + 30 * 60_000).toISOString();
    expect(JSON.parse(postponed.stdout)).toMatchObject({
      workflowId: `teardown-${id}`,
      until: target,
      report: { phase: 'waiting' },
    });
    expect((await stack.teardown.scheduledStart(id))?.toISOString()).toBe(target);

    const text = await cli(['postpone', id, '--until', new Date(startAt + 2 * HOUR).toISOString()]);
    expect(text.stdout).toBe(
      `postponed teardown-${id} until ${new Date(startAt + 2 * HOUR).toISOString()}\n`,
    );

    for (const [flags, message] of [
      [['--until', '2020-01-01T00:00:00Z'], /--until: 2020-01-01T00:00:00Z is in the past/],
      [['--by', 'later'], /--by: "later" must be a positive duration/],
      [[], /postpone needs either --until <time> or --by <duration>/],
      [['--by', '1h', '--until', '2099-01-01T00:00:00Z'], /postpone needs either/],
    ] as const) {
      const bad = await cli(['postpone', id, ...flags]);
      expect([flags, bad.exitCode]).toEqual([flags, EXIT_CODES.invalidInput]);
      expect(explainError(bad.error).message).toMatch(message);
    }

    const cancelled = await cli(['cancel', id]);
    expect(cancelled.stdout).toBe(`cancellation requested: teardown-${id}\n`);
    const report = await stack.teardown.waitForReport(id);
    expect(report.status).toBe('cancelled');
    expect((await cli(['status', id])).exitCode).toBe(EXIT_CODES.cancelled);
    expect(stack.emulator.resources(KIND).some((r) => r.id === ids[0])).toBe(true);

    // A finished teardown can no longer be postponed, and the message says so.
    const late = await cli(['postpone', id, '--until', new Date(Date.now() + HOUR).toISOString()]);
    expect(late.exitCode).toBe(EXIT_CODES.error);
    expect(explainError(late.error).message).toBe(
      `teardown-${id} has already finished (see \`teardown status\`)`,
    );
  });

  it('postpone --by on a teardown started without a start time says there is nothing to postpone', async () => {
    const ids = seed(1);
    const id = testId('cli-nostart');
    await cli(['start', id, ...ecsFlags(ids), '--require-approval']);
    await progressUntil(id, (r) => r.status === 'awaiting-approval', 'awaiting-approval');
    const run = await cli(['postpone', id, '--by', '1h']);
    expect(run.exitCode).toBe(EXIT_CODES.error);
    expect(explainError(run.error).message).toBe(
      `teardown-${id} was started without a start time (--at/--after): nothing to postpone`,
    );
    await stack.teardown.reject(id, { rejectedBy: 'jest', reason: 'cleanup' });
  });
});

describe('selector flags', () => {
  it('build a request with only selectors', () => {
    const request = requestFromFlags({
      selectKind: KIND,
      region: REGION,
      tag: ['env=ci', 'team'],
      namePrefix: 'ci-',
      olderThan: '4h',
      maxResources: '50',
      protectTag: 'keep=yes',
      requestedBy: 'nightly',
    });
    expect(request).toEqual({
      resources: [],
      selectors: [
        { kind: KIND, region: REGION, tags: ['env=ci', 'team'], namePrefix: 'ci-', olderThan: '4h' },
      ],
      options: { maxResources: 50, protectTag: 'keep=yes' },
      requestedBy: 'nightly',
      reason: undefined,
    });
    expect(parseTeardownRequest(request).selectors).toHaveLength(1);
  });

  it('start a discovery teardown that deletes what matches and keeps the protected', async () => {
    const batch = testId('cli-sel');
    const old = new Date(Date.now() - 2 * HOUR).toISOString();
    const matched = seed(2, { tags: { run: batch }, name: 'ci-worker', createdAt: old });
    const [kept] = seed(1, { tags: { run: batch, keep: 'yes' }, name: 'ci-worker-kept', createdAt: old });
    const run = await cli([
      '-o',
      'json',
      'start',
      testId('cli-sel'),
      '--select-kind',
      KIND,
      '--region',
      REGION,
      '--tag',
      `run=${batch}`,
      '--name-prefix',
      'ci-',
      '--older-than',
      '1h',
      '--max-resources',
      '5',
      '--protect-tag',
      'keep=yes',
      '--poll-interval',
      '300ms',
      '--wait',
    ]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.status).toBe('completed');
    expect(report.resources.map((r: any) => [r.id, r.outcome]).sort()).toEqual(
      matched.map((i) => [i, 'deleted']).sort(),
    );
    expect(report.discovery).toEqual([
      {
        selector: 0,
        kind: KIND,
        region: REGION,
        matched: 2,
        excluded: [{ id: kept, name: 'ci-worker-kept', reason: 'protected by tag keep=yes' }],
      },
    ]);
    expect(stack.emulator.resources(KIND).some((r) => r.id === kept)).toBe(true);
  });

  it('--max-resources below the matches refuses the run: exit 4, nothing deleted', async () => {
    const batch = testId('cli-cap');
    const ids = seed(2, { tags: { run: batch } });
    const run = await cli([
      'start',
      testId('cli-cap'),
      '--select-kind',
      KIND,
      '--region',
      REGION,
      '--tag',
      `run=${batch}`,
      '--max-resources',
      '1',
      '--wait',
    ]);
    expect(run.exitCode).toBe(EXIT_CODES.failed);
    expect(stack.emulator.resources(KIND).filter((r) => ids.includes(r.id))).toHaveLength(2);
  });

  it('schedule create takes them too', async () => {
    const scheduleId = testId('cli-sched-sel');
    try {
      const run = await cli([
        'schedule',
        'create',
        scheduleId,
        '--every',
        '4h',
        '--paused',
        '--select-kind',
        KIND,
        '--region',
        REGION,
        '--tag',
        'env=ci',
        '--older-than',
        '4h',
      ]);
      expect(run.error).toBeUndefined();
      const described = await stack.teardown.schedules.describe(scheduleId);
      expect(described.request).toMatchObject({
        resources: [],
        selectors: [{ kind: KIND, region: REGION, tags: ['env=ci'], olderThan: '4h' }],
      });
      const text = await cli(['schedule', 'describe', scheduleId]);
      expect(text.stdout).toMatch(
        /request {2}1 selector\(s\) \(alibabacloud\.ecs\.instance tag env=ci older than 4h\)/,
      );
    } finally {
      await stack.teardown.schedules.delete(scheduleId).catch(() => undefined);
    }
  });
});

describe('approve and reject', () => {
  it("refuses approve on a teardown that needs none, with the workflow's reason", async () => {
    const ids = seed(1);
    const id = testId('cli-noapprove');
    await cli(['start', id, ...ecsFlags(ids), '--after', '1h']);
    await progressUntil(id, (r) => r.phase === 'waiting', 'waiting');
    try {
      const run = await cli(['approve', id, '--by', 'dave']);
      expect(run.error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(explainError(run.error)).toEqual({
        message: 'refused: this teardown was started without requireApproval; nothing to decide',
        exitCode: EXIT_CODES.error,
      });
    } finally {
      await stack.teardown.cancel(id);
    }
  });

  it('approves through the CLI', async () => {
    const ids = seed(1);
    const id = testId('cli-approve');
    await cli(['start', id, ...ecsFlags(ids), '--require-approval']);
    await progressUntil(id, (r) => r.status === 'awaiting-approval', 'awaiting-approval');
    const run = await cli(['approve', id, '--by', 'erin', '--comment', 'ok']);
    expect(run.stdout).toMatch(/^approved by erin\n/);
    expect(await stack.teardown.waitForReport(id)).toMatchObject({
      status: 'completed',
      message: 'approved by erin',
    });
    // Deciding a finished teardown again says it is finished, not that it does not exist.
    const late = await cli(['reject', id, '--by', 'erin', '--reason', 'changed my mind']);
    expect(late.exitCode).toBe(EXIT_CODES.error);
    expect(explainError(late.error).message).toBe(
      `teardown-${id} has already finished (see \`teardown status\`)`,
    );
  });
});

describe('explainError', () => {
  it('maps each error to a message that says what to fix and an exit code', () => {
    expect(explainError(new CliError('--at: bad', EXIT_CODES.invalidInput))).toEqual({
      message: '--at: bad',
      exitCode: 2,
    });
    expect(explainError(new CliError('boom'))).toEqual({ message: 'boom', exitCode: 1 });
    expect(explainError(new InvalidTeardownRequest('resources[0].region: is required for x'))).toEqual({
      message: 'invalid teardown request:\nresources[0].region: is required for x',
      exitCode: EXIT_CODES.invalidInput,
    });
    expect(explainError(new WorkflowNotFoundError('not found', 'teardown-x', undefined))).toEqual({
      message: 'no such teardown: teardown-x',
      exitCode: EXIT_CODES.error,
    });
    expect(
      explainError(
        new WorkflowUpdateFailedError(
          'Workflow Update failed',
          ApplicationFailure.create({ message: 'this teardown has already been decided' }),
        ),
      ),
    ).toEqual({
      message: 'refused: this teardown has already been decided',
      exitCode: EXIT_CODES.error,
    });
    expect(explainError(new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233')).message).toMatch(
      /^cannot reach Temporal .*set --address, TEMPORAL_ADDRESS or a temporal\.toml profile$/,
    );
    expect(explainError('plain')).toEqual({ message: 'plain', exitCode: EXIT_CODES.error });
  });
});
