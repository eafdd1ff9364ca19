// JSON log lines (src/observability/logger.ts): one parseable object per line with the operator's
// fields under stable names, and no credential, whether it comes as a field, inside a message or
// inside an error.
import { JsonLogger, REDACTED, Redactor } from '../../src/observability/logger';

const SECRET = 'EmuAlibabaDefaultSecret000000001';
const KEY_ID = 'LTAI5tEmuDefault0000000001';

function capture(level: 'DEBUG' | 'INFO' = 'INFO') {
  const lines: string[] = [];
  const logger = new JsonLogger({
    level,
    secrets: [SECRET, KEY_ID, undefined, ''],
    write: (l) => lines.push(l),
    now: () => new Date('2026-12-03T10:00:00.000Z'),
  });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, time, message and the operator fields', () => {
    const { logger, lines, parsed } = capture();
    logger.warn('DeleteInstances answered ServiceUnavailable', {
      workflowId: 'teardown-x/delete/alibabacloud.ecs.instance/cn-hangzhou/0',
      workflowRunId: 'run-1',
      activityType: 'deleteResources',
      kind: 'alibabacloud.ecs.instance',
      region: 'cn-hangzhou',
      action: 'DeleteInstances',
      code: 'ServiceUnavailable',
      taskToken: 'opaque',
      attempt: 3,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].trimEnd()).not.toContain('\n');
    expect(parsed()[0]).toEqual({
      level: 'WARN',
      time: '2026-12-03T10:00:00.000Z',
      message: 'DeleteInstances answered ServiceUnavailable',
      workflowId: 'teardown-x/delete/alibabacloud.ecs.instance/cn-hangzhou/0',
      runId: 'run-1',
      activity: 'deleteResources',
      kind: 'alibabacloud.ecs.instance',
      region: 'cn-hangzhou',
      action: 'DeleteInstances',
      code: 'ServiceUnavailable',
      attempt: 3,
    });
  });

  it('drops lines below its level', () => {
    const { logger, lines } = capture('INFO');
    logger.debug('noise');
    logger.trace('more noise');
    logger.error('kept');
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['kept']);
  });

  it('never writes a credential: secret-named fields, secret values in text, in errors and nested', () => {
    const { logger, lines, parsed } = capture('DEBUG');
    const err = new Error(`signature mismatch for ${KEY_ID}`);
    logger.error(`call failed with key ${KEY_ID}:${SECRET}`, {
      credentials: { accessKeyId: 'x', accessKeySecret: 'y' },
      config: { clouds: { alibabacloud: { secretKey: 'anything', endpoint: '127.0.0.1:1' } } },
      headers: { Authorization: 'Bearer abc' },
      apiKey: 'k',
      error: err,
      list: [SECRET, 'fine'],
    });
    const text = lines.join('');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(KEY_ID);
    expect(text).not.toContain('Bearer abc');
    const [entry] = parsed();
    expect(entry.message).toBe(`call failed with key ${REDACTED}:${REDACTED}`);
    expect(entry.credentials).toBe(REDACTED);
    expect(entry.apiKey).toBe(REDACTED);
    expect(entry.config).toEqual({
      clouds: { alibabacloud: { secretKey: REDACTED, endpoint: '127.0.0.1:1' } },
    });
    expect((entry.error as { message: string }).message).toBe(`signature mismatch for ${REDACTED}`);
    expect(entry.list).toEqual([REDACTED, 'fine']);
  });

  it('replaces a longer secret whole when it contains a shorter one', () => {
    const r = new Redactor(['abcd', 'abcdefgh']);
    expect(r.text('x abcdefgh y abcd')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });
});
