// Teardown schedules end to end: real dev server (Temporal Schedules), a real worker, the emulator.
// Runs are started with `trigger` (the cron is far away) and found through visibility.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidTeardownRequest, type TeardownRequest } from '../../src/contract';
import { buildCli, explainError } from '../../src/client/cli';
import { EXIT_CODES } from '../../src/client/format';
import {
  InvalidScheduleOptions,
  ScheduleNotFoundError,
  type CreateTeardownScheduleOptions,
} from '../../src/client';
import { eventually, FAST_DURATIONS, startStack, testId, type Stack } from '../helpers/stack';

const REGION = 'cn-hangzhou';
const KIND = 'alibabacloud.ecs.instance';
/** Once a year (Jan 1st, 00:00 UTC): never due while the tests run; runs come from `trigger`. */
const FAR_CRON = '0 0 1 1 *';

let stack: Stack;
let seq = 0;
/** Caller ids of every schedule a test may have created; all deleted in afterAll. */
const scheduleIds = new Set<string>();

function newScheduleId(label: string): string {
  const id = testId(`sched-${label}`);
  scheduleIds.add(id);
  return id;
}

function newInstanceId(): string {
  seq++;
  return `i-bp1${Date.now().toString(36)}${String(seq).padStart(5, '0')}`;
}

function seed(status: string): string {
  const id = newInstanceId();
  stack.emulator.seed([
    { type: KIND, region: REGION, id, status, attributes: { InstanceChargeType: 'PostPaid' } },
  ]);
  return id;
}

function ecsRequest(
  ids: string[],
  requestedBy: string,
  options: Record<string, unknown> = {},
): TeardownRequest {
  return {
    resources: [{ kind: KIND, region: REGION, ids }],
    options: { pollInterval: '300ms', deadline: '2m', ...options },
    requestedBy,
  };
}

function create(options: Omit<CreateTeardownScheduleOptions, 'scheduleId'>, label: string) {
  const scheduleId = newScheduleId(label);
  return { scheduleId, created: stack.teardown.schedules.create({ scheduleId, ...options }) };
}

async function expectNotCreated(scheduleId: string): Promise<void> {
  await expect(stack.teardown.schedules.describe(scheduleId)).rejects.toBeInstanceOf(ScheduleNotFoundError);
  const listed = await stack.teardown.schedules.list();
  expect(listed.filter((s) => s.scheduleId === `teardown-${scheduleId}`)).toEqual([]);
}

/** Runs the CLI in-process against the test stack; returns what it printed on stdout. */
async function runCli(args: string[]): Promise<string> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await buildCli(() => Promise.resolve(stack.teardown)).parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
  return chunks.join('');
}

beforeAll(async () => {
  stack = await startStack({ prefix: 'sched' });
});

afterAll(async () => {
  if (!stack) return;
  for (const id of scheduleIds) {
    await stack.teardown.schedules.delete(id).catch((err) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
  }
  await stack.stop();
});

describe('teardown schedules', () => {
  it('runs the teardown when triggered; the run is found by search attribute and by schedule', async () => {
    const instance = seed('Stopped');
    const who = `jest-${testId('who')}`;
    const { scheduleId, created } = create(
      { spec: { cron: [FAR_CRON] }, request: ecsRequest([instance], who) },
      'trigger',
    );
    expect(await created).toEqual({
      scheduleId: `teardown-${scheduleId}`,
      workflowIdPrefix: `teardown-schedule-${scheduleId}`,
      taskQueue: stack.taskQueue,
      paused: false,
    });

    await stack.teardown.schedules.trigger(scheduleId);
    const [run] = await eventually(async () => {
      const rows = await stack.teardown.listTeardowns(`TeardownRequestedBy = "${who}"`);
      return rows.length ? rows : undefined;
    }, 'the triggered run in visibility');
    // Temporal appends the scheduled time to the action's workflow id.
    expect(run!.workflowId).toMatch(
      new RegExp(`^teardown-schedule-${scheduleId}-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`),
    );
    expect(run!.kinds).toEqual([KIND]);
    expect(run!.resourceCount).toBe(1);

    const report = await stack.teardown.waitForReport(run!.workflowId);
    expect(report.status).toBe('completed');
    expect(report.resources).toEqual([expect.objectContaining({ id: instance, outcome: 'deleted' })]);
    expect(stack.emulator.resources(KIND).some((r) => r.id === instance)).toBe(false);

    const byScheduler = await eventually(async () => {
      const rows = await stack.teardown.schedules.runs(scheduleId);
      return rows.some((r) => r.teardownStatus === 'completed') ? rows : undefined;
    }, 'the run listed by TemporalScheduledById with its final status');
    expect(byScheduler.map((r) => r.workflowId)).toEqual([run!.workflowId]);

    const description = await stack.teardown.schedules.describe(scheduleId);
    expect(description.runsTaken).toBe(1);
    expect(description.recentRuns.map((r) => r.workflowId)).toEqual([run!.workflowId]);
    expect(description.runningWorkflowIds).toEqual([]);
  });

  it('describes the spec as written; pause and unpause show in describe and list', async () => {
    const { scheduleId, created } = create(
      {
        spec: { cron: ['0 18 * * 5'], timeZone: 'Asia/Shanghai' },
        request: ecsRequest([newInstanceId()], 'jest-describe', { dryRun: true }),
        paused: true,
        note: 'created paused',
      },
      'pause',
    );
    await created;
    const described = await stack.teardown.schedules.describe(scheduleId);
    expect(described).toMatchObject({
      scheduleId: `teardown-${scheduleId}`,
      paused: true,
      note: 'created paused',
      spec: { cron: ['0 18 * * 5'], timeZone: 'Asia/Shanghai' },
      overlap: 'skip',
      taskQueue: stack.taskQueue,
      workflowIdPrefix: `teardown-schedule-${scheduleId}`,
      request: { requestedBy: 'jest-describe', options: { dryRun: true } },
      runsTaken: 0,
    });
    // Friday 18:00 in Shanghai (UTC+8) is Friday 10:00 UTC.
    const next = described.nextRunTimes[0]!;
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([5, 10, 0]);

    await stack.teardown.schedules.unpause(scheduleId, 'back on');
    expect(await stack.teardown.schedules.describe(scheduleId)).toMatchObject({
      paused: false,
      note: 'back on',
    });
    await eventually(async () => {
      const rows = await stack.teardown.schedules.list();
      return rows.find((s) => s.scheduleId === `teardown-${scheduleId}` && !s.paused);
    }, 'the unpaused schedule in the list');

    await stack.teardown.schedules.pause(scheduleId, 'freeze week');
    expect(await stack.teardown.schedules.describe(scheduleId)).toMatchObject({
      paused: true,
      note: 'freeze week',
    });
    const listed = await eventually(async () => {
      const rows = await stack.teardown.schedules.list();
      return rows.find((s) => s.scheduleId === `teardown-${scheduleId}` && s.paused);
    }, 'the paused schedule in the list');
    expect(listed).toMatchObject({
      note: 'freeze week',
      spec: { cron: ['0 18 * * 5'], timeZone: 'Asia/Shanghai' },
    });
  });

  it('skips a trigger while the previous run is still going (overlap skip)', async () => {
    // A running instance without force is stopped first; a 5s stop keeps the first run busy.
    stack.emulator.setSettings({ durations: { 'alibabacloud.ecs.stop': 5_000 } });
    try {
      const instance = seed('Running');
      const who = `jest-${testId('overlap')}`;
      const { scheduleId, created } = create(
        { spec: { every: '12h' }, request: ecsRequest([instance], who) },
        'overlap',
      );
      await created;

      await stack.teardown.schedules.trigger(scheduleId);
      const [first] = await eventually(async () => {
        const d = await stack.teardown.schedules.describe(scheduleId);
        return d.runningWorkflowIds.length ? d.runningWorkflowIds : undefined;
      }, 'the first run to be running');

      await stack.teardown.schedules.trigger(scheduleId);
      await stack.teardown.schedules.trigger(scheduleId);
      const skipped = await eventually(async () => {
        const d = await stack.teardown.schedules.describe(scheduleId);
        return d.runsSkippedForOverlap >= 2 ? d : undefined;
      }, 'both triggers to be skipped for overlap');
      expect(skipped.runningWorkflowIds).toEqual([first]);

      const report = await stack.teardown.waitForReport(first!);
      expect(report.status).toBe('completed');
      expect(report.resources).toEqual([expect.objectContaining({ id: instance, outcome: 'deleted' })]);

      const after = await stack.teardown.schedules.describe(scheduleId);
      expect(after.runsTaken).toBe(1);
      expect(after.recentRuns.map((r) => r.workflowId)).toEqual([first]);
      const runs = await eventually(async () => {
        const rows = await stack.teardown.listTeardowns(`TeardownRequestedBy = "${who}"`);
        return rows.length && rows.every((r) => r.status !== 'RUNNING') ? rows : undefined;
      }, 'the finished run in visibility');
      expect(runs.map((r) => r.workflowId)).toEqual([first]);
    } finally {
      stack.emulator.setSettings({
        durations: { 'alibabacloud.ecs.stop': FAST_DURATIONS['alibabacloud.ecs.stop']! },
      });
    }
  });

  it('refuses a schedule whose teardown request is invalid, naming the field, and creates nothing', async () => {
    const { scheduleId, created } = create(
      {
        spec: { every: '4h' },
        request: { resources: [{ kind: KIND, ids: [newInstanceId()] }], options: { deadline: 'soon' } },
      },
      'invalid-request',
    );
    const err: unknown = await created.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTeardownRequest);
    expect((err as Error).message).toMatch(
      /resources\[0\]\.region: is required for alibabacloud\.ecs\.instance/,
    );
    expect((err as Error).message).toMatch(/options\.deadline: ".*" is malformed: give a positive duration/);
    await expectNotCreated(scheduleId);
  });

  it.each([
    [
      'a cron with 4 fields',
      { cron: ['0 18 * *'] },
      /spec\.cron\[0\]: "0 18 \* \*" has 4 field\(s\); expected 5/,
    ],
    [
      'a time zone inside the cron',
      { cron: ['CRON_TZ=Asia/Shanghai 0 18 * * 5'] },
      /spec\.cron\[0\]: .*--time-zone/,
    ],
    [
      'an unknown time zone',
      { cron: ['0 18 * * 5'], timeZone: 'Mars/Olympus' },
      /spec\.timeZone: "Mars\/Olympus" is not a known IANA time zone/,
    ],
    ['a malformed interval', { every: '4 hours' }, /spec\.every: "4 hours" must be a duration/],
    ['no cron and no interval', {}, /spec: needs a cron expression .* or an interval/],
    [
      'an end before the start',
      { every: '1h', startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00Z' },
      /spec\.endAt: must be after spec\.startAt/,
    ],
  ])('refuses %s and creates nothing', async (_label, spec, message) => {
    const { scheduleId, created } = create(
      { spec, request: ecsRequest([newInstanceId()], 'jest') },
      'bad-spec',
    );
    const err: unknown = await created.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidScheduleOptions);
    expect((err as Error).message).toMatch(message);
    await expectNotCreated(scheduleId);
  });

  it('maps the server refusing a cron value to a clear error naming the cron', async () => {
    const { scheduleId, created } = create(
      { spec: { cron: ['99 18 * * 5'] }, request: ecsRequest([newInstanceId()], 'jest') },
      'server-cron',
    );
    const err: unknown = await created.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidScheduleOptions);
    expect((err as Error).message).toMatch(
      /spec: Temporal refused the schedule \(cron "99 18 \* \* 5"\): Minute is not in range \[0-59\]/,
    );
    await expectNotCreated(scheduleId);
  });

  it('refuses a malformed schedule id', async () => {
    const err: unknown = await stack.teardown.schedules
      .create({
        scheduleId: 'nightly ci',
        spec: { every: '4h' },
        request: ecsRequest([newInstanceId()], 'jest'),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidScheduleOptions);
    expect((err as Error).message).toMatch(/scheduleId: "nightly ci" must be 1-200 characters/);
  });

  describe('CLI', () => {
    it('creates, describes, triggers and deletes a schedule with --output json', async () => {
      const scheduleId = newScheduleId('cli');
      const instance = seed('Stopped');
      const who = `jest-${testId('cli')}`;
      const createdOut = JSON.parse(
        await runCli([
          '--output',
          'json',
          'schedule',
          'create',
          scheduleId,
          '--cron',
          '0 18 * * 5',
          '--time-zone',
          'Asia/Shanghai',
          '--kind',
          KIND,
          '--region',
          REGION,
          '--ids',
          instance,
          '--poll-interval',
          '300ms',
          '--requested-by',
          who,
        ]),
      );
      expect(createdOut).toMatchObject({
        scheduleId: `teardown-${scheduleId}`,
        workflowIdPrefix: `teardown-schedule-${scheduleId}`,
        taskQueue: stack.taskQueue,
        paused: false,
      });
      expect(new Date(createdOut.nextRunTimes[0]).getUTCHours()).toBe(10);

      const described = JSON.parse(await runCli(['schedule', 'describe', scheduleId, '--output', 'json']));
      expect(described).toMatchObject({
        scheduleId: `teardown-${scheduleId}`,
        paused: false,
        overlap: 'skip',
        spec: { cron: ['0 18 * * 5'], timeZone: 'Asia/Shanghai' },
        request: { resources: [{ kind: KIND, region: REGION, ids: [instance] }], requestedBy: who },
      });
      const text = await runCli(['schedule', 'describe', scheduleId]);
      expect(text).toContain(`spec     cron "0 18 * * 5" in Asia/Shanghai`);
      expect(text).toContain(`1 resources (${KIND}) for ${who}`);

      expect(
        JSON.parse(await runCli(['-o', 'json', 'schedule', 'pause', scheduleId, '--note', 'hold'])),
      ).toEqual({
        scheduleId: `teardown-${scheduleId}`,
        paused: true,
        note: 'hold',
      });
      // A paused schedule still runs when triggered.
      await runCli(['schedule', 'trigger', scheduleId]);
      const [run] = await eventually(async () => {
        const rows = await stack.teardown.listTeardowns(`TeardownRequestedBy = "${who}"`);
        return rows.length ? rows : undefined;
      }, 'the run triggered from the CLI');
      expect((await stack.teardown.waitForReport(run!.workflowId)).status).toBe('completed');

      const listed = await eventually(async () => {
        const rows = JSON.parse(await runCli(['-o', 'json', 'schedule', 'list']));
        return rows.find(
          (r: { scheduleId: string; paused: boolean }) =>
            r.scheduleId === `teardown-${scheduleId}` && r.paused,
        );
      }, 'the schedule in `schedule list`');
      expect(listed.spec).toEqual({ cron: ['0 18 * * 5'], timeZone: 'Asia/Shanghai' });

      expect(JSON.parse(await runCli(['-o', 'json', 'schedule', 'delete', scheduleId]))).toEqual({
        scheduleId: `teardown-${scheduleId}`,
        deleted: true,
      });
      const gone: unknown = await runCli(['schedule', 'describe', scheduleId]).catch((e: unknown) => e);
      expect(explainError(gone)).toEqual({
        message: `no such schedule: teardown-${scheduleId} (see \`teardown schedule list\`)`,
        exitCode: EXIT_CODES.error,
      });
    });

    it('reads the request from a YAML file and takes --every and --overlap', async () => {
      const scheduleId = newScheduleId('cli-yaml');
      const dir = mkdtempSync(path.join(tmpdir(), 'teardown-schedule-'));
      const file = path.join(dir, 'request.yaml');
      writeFileSync(
        file,
        [
          'resources:',
          `  - kind: ${KIND}`,
          `    region: ${REGION}`,
          `    ids: [${newInstanceId()}]`,
          'options:',
          '  dryRun: true',
          'requestedBy: ci-nightly',
          'reason: nightly CI cleanup',
          '',
        ].join('\n'),
      );
      const out = await runCli([
        'schedule',
        'create',
        scheduleId,
        '--every',
        '4h',
        '--overlap',
        'buffer-one',
        '--file',
        file,
      ]);
      expect(out).toMatch(
        new RegExp(
          `^created teardown-${scheduleId}: runs are teardown-schedule-${scheduleId}-<scheduled time> on `,
        ),
      );
      const described = await stack.teardown.schedules.describe(scheduleId);
      expect(described).toMatchObject({
        overlap: 'buffer-one',
        spec: { every: '4h' },
        request: { requestedBy: 'ci-nightly', reason: 'nightly CI cleanup', options: { dryRun: true } },
      });
    });

    it.each([
      [
        'a bad cron',
        ['--cron', '0 18 * *', '--kind', KIND, '--region', REGION, '--ids', 'i-bp1aaaaaaaaaaaaaaaaa'],
        /spec\.cron\[0\]/,
      ],
      [
        'a bad time zone',
        [
          '--cron',
          '0 18 * * 5',
          '--time-zone',
          'Asia/Atlantis',
          '--kind',
          KIND,
          '--region',
          REGION,
          '--ids',
          'i-bp1aaaaaaaaaaaaaaaaa',
        ],
        /spec\.timeZone/,
      ],
      [
        'an invalid request',
        ['--every', '4h', '--kind', KIND, '--ids', 'i-bp1aaaaaaaaaaaaaaaaa'],
        /resources\[0\]\.region: is required/,
      ],
      [
        'an unknown overlap policy',
        [
          '--every',
          '4h',
          '--overlap',
          'queue',
          '--kind',
          KIND,
          '--region',
          REGION,
          '--ids',
          'i-bp1aaaaaaaaaaaaaaaaa',
        ],
        /--overlap: "queue" must be one of: skip, /,
      ],
      ['no request', ['--every', '4h'], /schedule create needs --kind and --ids/],
    ])('exits with 2 on %s and creates nothing', async (_label, flags, message) => {
      const scheduleId = newScheduleId('cli-bad');
      const err: unknown = await runCli(['schedule', 'create', scheduleId, ...flags]).catch(
        (e: unknown) => e,
      );
      const explained = explainError(err);
      expect(explained.exitCode).toBe(EXIT_CODES.invalidInput);
      expect(explained.message).toMatch(message);
      await expect(stack.teardown.schedules.describe(scheduleId)).rejects.toBeInstanceOf(
        ScheduleNotFoundError,
      );
    });
  });
});
