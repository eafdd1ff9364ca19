// The `teardown` CLI follows the `temporal` CLI's conventions: usage errors exit 2 with one line and a
// hint, connection flags win over the environment, -o text|json|jsonl, `list` as a table, colours
// only on a TTY; same id with another request is a conflict; a person at a terminal confirms.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { connectConfig, profileWith, type ConnectOptions } from '../../src/client/connection';
import { BLOCKED_QUERY, FAILED_QUERY } from '../../src/client/teardown-commands';
import { EXIT_CODES, colorsFor } from '../../src/client/format';
import { requestFromFlags } from '../../src/client/request-flags';
import { FIXTURES } from '../helpers/kinds';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';
import { ecsFlags, runCli, seedEcs, type CliRun } from './cli-harness';

const fx = FIXTURES['alibabacloud.ecs.instance'];
const KIND = fx.kind;
const REGION = fx.region!;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'cliconv' });
});

afterAll(async () => {
  await stack?.stop();
});

const seed = (count: number, attributes: Record<string, unknown> = {}) =>
  seedEcs(stack, count, { attributes });
const cli = (args: string[], terminal?: Parameters<typeof runCli>[2]) =>
  runCli(args, () => Promise.resolve(stack.teardown), terminal);

describe('usage errors', () => {
  it.each([
    ['an unknown flag', ['start', 'x', '--colour', 'red'], /unknown option '--colour'/],
    ['an unknown command', ['destroy', 'x'], /unknown command 'destroy'/],
    [
      'an unknown kind',
      ['start', 'x', '--kind', 'aws.ec2', '--ids', 'i-1'],
      /argument 'aws\.ec2' is invalid/,
    ],
    ['an empty id', ['status', ''], /"" must be 1-200 characters/],
    [
      'an id with a space',
      ['start', 'a b', '--kind', KIND, '--ids', 'i-1'],
      /"a b" must be 1-200 characters/,
    ],
    ['reject without --by', ['reject', 'x', '--reason', 'no'], /required option '--by <who>' not specified/],
    ['a bad output format', ['-o', 'yaml', 'list'], /argument 'yaml' is invalid/],
    ['a bad --limit', ['list', '--limit', '0'], /must be a positive integer/],
  ])('exit 2 with one line and a hint, without connecting: %s', async (_label, args, message) => {
    let connected = false;
    const run = await runCli(args, () => {
      connected = true;
      return Promise.resolve(stack.teardown);
    });
    expect(run.exitCode).toBe(EXIT_CODES.invalidInput);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toMatch(/teardown <command> --help/);
    expect(connected).toBe(false);
  });

  it('--help and --version exit 0', async () => {
    expect((await cli(['--version'])).exitCode).toBe(0);
    const help = await cli(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/--address <host:port>/);
    expect(help.stdout).toMatch(/--tls-ca-path <path>/);
  });
});

describe('connection flags', () => {
  it('win over the environment and the profile', async () => {
    const ca = path.join(mkdtempSync(path.join(tmpdir(), 'cli-tls-')), 'ca.pem');
    writeFileSync(ca, 'not really a certificate');
    let seen: ConnectOptions | undefined;
    const run = await runCli(
      ['--address', 'flag:7233', '-n', 'ns-flag', '--api-key', 'k', '--tls-ca-path', ca, 'list'],
      (options) => {
        seen = options;
        return Promise.resolve(stack.teardown);
      },
    );
    expect(run.exitCode).toBe(0);
    const saved = { ...process.env };
    try {
      process.env.TEMPORAL_ADDRESS = 'env:7233';
      process.env.TEMPORAL_NAMESPACE = 'ns-env';
      const config = connectConfig({ ...seen, configFile: path.join(tmpdir(), 'absent.toml') });
      expect(config.namespace).toBe('ns-flag');
      expect(config.connectionOptions).toMatchObject({ address: 'flag:7233', apiKey: 'k' });
      const tls = config.connectionOptions.tls as { serverRootCACertificate?: Uint8Array };
      expect(Buffer.from(tls.serverRootCACertificate!).toString()).toBe('not really a certificate');
      const fromEnv = connectConfig({ configFile: path.join(tmpdir(), 'absent.toml') });
      expect(fromEnv).toMatchObject({ namespace: 'ns-env', connectionOptions: { address: 'env:7233' } });
    } finally {
      process.env = saved;
    }
    expect(profileWith({ address: 'a', tls: { disabled: true } }, { tls: true, tlsCertPath: '/c' })).toEqual({
      address: 'a',
      tls: { clientCert: { path: '/c' } },
    });
    expect(profileWith({ tls: { clientCert: { path: '/c' } } }, { tls: false }).tls).toEqual({
      disabled: true,
    });
  });
});

describe('same id, different request', () => {
  it('is refused with the conflict exit code; the same request returns the existing teardown', async () => {
    const [first, second] = seed(2);
    const id = testId('cli-conflict');
    expect((await cli(['start', id, ...ecsFlags([first!])])).exitCode).toBe(0);
    const same = await cli(['-o', 'json', 'start', id, ...ecsFlags([first!])]);
    expect(same.exitCode).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ workflowId: `teardown-${id}`, started: false });

    const other = await cli(['start', id, ...ecsFlags([second!])]);
    expect(other.exitCode).toBe(EXIT_CODES.conflict);
    expect((other.error as Error).message).toMatch(
      new RegExp(`teardown-${id} already exists with a different request`),
    );
    await expect(
      stack.teardown.startTeardown(id, { resources: [fx.group([second!])], options: { dryRun: true } }),
    ).rejects.toMatchObject({ name: 'TeardownConflictError', workflowId: `teardown-${id}` });
    const report = await stack.teardown.waitForReport(id);
    expect(report.resources.map((r) => r.id)).toEqual([first]);
  });
});

describe('list', () => {
  it('prints a header and aligned columns; -o jsonl one teardown a line; --blocked/--failed show their query', async () => {
    const [guarded] = seed(1, { DeletionProtection: true });
    const id = testId('cli-list');
    const run = await cli(['start', id, ...ecsFlags([guarded!]), '--requested-by', 'svc-list', '--wait']);
    expect(run.exitCode).toBe(EXIT_CODES.failed);
    const query = `WorkflowId = "teardown-${id}"`;
    const text = await eventually(async () => {
      const out = (await cli(['list', '-q', query])).stdout;
      return /failed/.test(out) ? out : undefined;
    }, 'the failed teardown in list');
    const [header, row] = text.trimEnd().split('\n') as [string, string];
    expect(header.split(/\s{2,}/)).toEqual([
      'ID',
      'STATUS',
      'KINDS',
      'RESOURCES',
      'FAILED',
      'BLOCKED ON',
      'STARTED',
      'REQUESTED BY',
    ]);
    expect(row.indexOf(`teardown-${id}`)).toBe(header.indexOf('ID'));
    expect(row.indexOf('failed')).toBe(header.indexOf('STATUS'));
    expect(row).toMatch(/svc-list$/);
    expect(text).not.toContain('\u001b['); // not a TTY: no colours

    const jsonl = (await cli(['-o', 'jsonl', 'list', '-q', query])).stdout.trimEnd().split('\n');
    expect(jsonl.map((line) => JSON.parse(line).workflowId)).toEqual([`teardown-${id}`]);

    const failed = JSON.parse((await cli(['-o', 'json', 'list', '--failed', '-q', query])).stdout);
    expect(failed.query).toBe(`(${FAILED_QUERY}) AND (${query})`);
    expect(failed.teardowns.map((t: any) => t.workflowId)).toEqual([`teardown-${id}`]);
    const blocked = JSON.parse((await cli(['-o', 'json', 'list', '--blocked', '-q', query])).stdout);
    expect(blocked).toEqual({ query: `(${BLOCKED_QUERY}) AND (${query})`, teardowns: [] });
  });

  it("passes the server's reason for a bad query through, as a usage error", async () => {
    const run = await cli(['list', '-q', 'NoSuchAttribute = 1']);
    expect(run.exitCode).toBe(EXIT_CODES.invalidInput);
    expect((run.error as Error).message).toMatch(/^--query "NoSuchAttribute = 1": .*NoSuchAttribute/);
  });
});

describe('output', () => {
  it('colours only on a TTY, never with NO_COLOR', () => {
    expect(colorsFor({ isTTY: true }, {}).isColorSupported).toBe(true);
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '1' }).isColorSupported).toBe(false);
    expect(colorsFor({ isTTY: false }, {}).isColorSupported).toBe(false);
    expect(colorsFor({}, { FORCE_COLOR: '1' }).isColorSupported).toBe(false);
  });

  it('--file reads JSON or YAML by content, whatever the file is called', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-file-'));
    const request = { resources: [{ kind: KIND, region: REGION, ids: ['i-bp1a2b3c4d5e6f7g8h9i'] }] };
    const yamlNamedJson = path.join(dir, 'request.yaml');
    writeFileSync(yamlNamedJson, JSON.stringify(request));
    const txtHoldingYaml = path.join(dir, 'request.txt');
    writeFileSync(
      txtHoldingYaml,
      `resources:\n  - kind: ${KIND}\n    region: ${REGION}\n    ids: [i-bp1a2b3c4d5e6f7g8h9i]\n`,
    );
    expect(requestFromFlags({ file: yamlNamedJson })).toMatchObject(request);
    expect(requestFromFlags({ file: txtHoldingYaml })).toMatchObject(request);
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, '{"resources": [');
    expect(() => requestFromFlags({ file: broken })).toThrow(/is not valid JSON/);
  });
});

describe('watch', () => {
  it('leaves with the exit code of a teardown that ended badly', async () => {
    const [guarded] = seed(1, { DeletionProtection: true });
    const id = testId('cli-watch-bad');
    await cli(['start', id, ...ecsFlags([guarded!])]);
    const run = await cli(['watch', id]);
    expect(run.exitCode).toBe(EXIT_CODES.failed);
    expect(run.stdout).toMatch(/^failed \(done\)/m);
  });
});

describe('confirmation before deleting', () => {
  function terminal(answer: string) {
    const asked: string[] = [];
    return {
      asked,
      terminal: { interactive: () => true, ask: async (q: string) => (asked.push(q), answer) },
    };
  }

  it('in a TTY: a preflight shows counts and first ids, and a wrong number starts nothing', async () => {
    const ids = seed(2);
    const id = testId('cli-confirm-no');
    const { asked, terminal: tty } = terminal('1');
    const run: CliRun = await cli(['start', id, ...ecsFlags(ids)], tty);
    expect(asked).toEqual(['Type 2 to delete them (anything else stops):']);
    expect(run.stdout).toMatch(/would delete 2 resource\(s\)/);
    expect(run.stdout).toMatch(
      new RegExp(`${KIND.replace(/\./g, '\\.')}\\s+${REGION}\\s+2\\s+${ids[0]}, ${ids[1]}`),
    );
    expect(run.exitCode).toBe(EXIT_CODES.error);
    expect((run.error as Error).message).toMatch(/not confirmed .*nothing was started/);
    await expect(stack.teardown.getProgress(id)).rejects.toMatchObject({ name: 'WorkflowNotFoundError' });
    expect(
      stack.emulator
        .calls({})
        .filter(
          (c) =>
            c.action === 'DeleteInstances' &&
            JSON.stringify(c.params).includes(ids[0]!) &&
            !JSON.stringify(c.params).includes('"DryRun":"true"'),
        ),
    ).toEqual([]);
  });

  it('in a TTY: the right number starts it; --yes and no TTY ask nothing', async () => {
    const [a, b, c] = seed(3);
    const { asked, terminal: tty } = terminal('1');
    const yes = await cli(['start', testId('cli-confirm-yes'), ...ecsFlags([a!]), '--wait'], tty);
    expect(yes.exitCode).toBe(0);
    expect(asked).toEqual(['Type 1 to delete them (anything else stops):']);

    const skipped = terminal('never');
    const flagged = await cli(
      ['start', testId('cli-confirm-flag'), ...ecsFlags([b!]), '--yes', '--wait'],
      skipped.terminal,
    );
    expect(flagged.exitCode).toBe(0);
    expect(skipped.asked).toEqual([]);

    const piped = await cli(['start', testId('cli-confirm-pipe'), ...ecsFlags([c!]), '--wait']);
    expect(piped.exitCode).toBe(0);
  });
});

describe('approve', () => {
  it('defaults --by to the OS user and prints the report after the approval took effect', async () => {
    const ids = seed(1);
    const id = testId('cli-approve-default');
    await cli(['start', id, ...ecsFlags(ids), '--require-approval']);
    await eventually(
      async () =>
        (await stack.teardown.getProgress(id).catch(() => undefined))?.status === 'awaiting-approval'
          ? true
          : undefined,
      'awaiting-approval',
    );
    const run = await cli(['-o', 'json', 'approve', id]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.status).not.toBe('awaiting-approval');
    expect((await stack.teardown.waitForReport(id)).message).toBe(`approved by ${userInfo().username}`);
  });
});
