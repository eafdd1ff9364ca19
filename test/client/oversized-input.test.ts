// The CLI never echoes an oversized value in full: commander's own refusals, caller ids and the
// request schema's messages all quote a short prefix and the length. Nothing connects.
import { EXIT_CODES } from '../../src/client/format';
import { CommanderError } from 'commander';
import { explainError } from '../../src/client/cli';
import { runCli } from './cli-harness';

const KIND = 'alibabacloud.ecs.instance';
const LONG = 'i' + 'x'.repeat(9_999);
const neverConnect = () => Promise.reject(new Error('a usage error must not connect'));

/** What the binary would print for this run: commander's own lines, or the thrown error's message (cli.ts main). */
async function refusal(args: string[]): Promise<string> {
  const run = await runCli(args, neverConnect);
  expect(run.exitCode).toBe(EXIT_CODES.invalidInput);
  const printedByCommander = run.error === undefined || run.error instanceof CommanderError;
  return printedByCommander ? run.stderr : explainError(run.error).message;
}

describe('oversized values on the command line', () => {
  it.each([
    [
      'a 10,000-character teardown id',
      ['status', LONG],
      /^error: .*"ix{63}…" \(10000 characters\) must be 1-200/,
    ],
    [
      'a 10,000-character kind',
      ['start', 'a', '--kind', LONG, '--ids', 'i-1'],
      /argument "ix{63}…" \(10000 characters\) is invalid/,
    ],
    [
      'a 10,000-character resource id',
      ['start', 'a', '--kind', KIND, '--region', 'cn-hangzhou', '--ids', `i-${LONG}`],
      /resources\[0\]\.ids\[0\]: "i-ix{61}…" \(10002 characters\) is not an instance id/,
    ],
    [
      'a 10,000-character deadline',
      ['start', 'a', '--kind', KIND, '--region', 'cn-hangzhou', '--ids', 'i-bp1aaaaaaa', '--deadline', LONG],
      /options\.deadline: "ix{63}…" \(10000 characters\) is malformed/,
    ],
    [
      'a 10,000-character --after',
      ['start', 'a', '--kind', KIND, '--ids', 'i-1', '--after', LONG],
      /--after: "ix{63}…" \(10000 characters\) must be/,
    ],
  ])('%s is quoted as a short prefix and its length', async (_label, args, message) => {
    const text = await refusal(args);
    expect(text).toMatch(message);
    expect(text).not.toContain('x'.repeat(100));
    expect(text.length).toBeLessThan(600);
  });

  it('a malformed --deadline is called malformed, not too long', async () => {
    const text = await refusal([
      'start',
      'a',
      '--kind',
      KIND,
      '--region',
      'cn-hangzhou',
      '--ids',
      'i-bp1aaaaaaa',
      '--deadline',
      'tomorrow',
    ]);
    expect(text).toMatch(/options\.deadline: "tomorrow" is malformed/);
    expect(text).not.toMatch(/at most 7d/);
  });
});
