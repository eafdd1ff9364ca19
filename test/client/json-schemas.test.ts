// The committed JSON Schemas (schema/) are what `npm run schemas` generates from the zod schemas, and
// they accept what our validation accepts and refuse what it refuses, on the points JSON Schema can say.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaFiles } from '../../src/client/json-schemas';
import {
  computeTotals,
  parseTeardownRequest,
  resourcesQuerySchema,
  type ResourcesPage,
  type TeardownReport,
} from '../../src/contract';
import { SCHEMA_DIR, schemaErrors } from '../helpers/json-schemas';

describe('schema/', () => {
  it('holds exactly the generated schemas, up to date (run `npm run schemas` after changing a zod schema)', () => {
    const generated = jsonSchemaFiles();
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(generated.map((g) => g.file).sort());
    for (const { file, text } of generated) {
      expect({ file, text: readFileSync(path.join(SCHEMA_DIR, file), 'utf8') }).toEqual({ file, text });
    }
  });

  it('accepts a request our validation accepts, with defaults left out', () => {
    const request = {
      resources: [
        { kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids: ['i-bp1a2b3c4d5e6f7g8h9i'] },
      ],
      options: { dryRun: true, deadline: '2h', startAt: '2030-01-01T00:00:00Z' },
      requestedBy: 'svc-x',
    };
    expect(() => parseTeardownRequest(request)).not.toThrow();
    expect(schemaErrors('teardown-request.json', request)).toEqual([]);
    expect(
      schemaErrors('teardown-request.json', {
        selectors: [{ kind: 'volcengine.ecs.instance', tags: ['env=ci'] }],
      }),
    ).toEqual([]);
  });

  it.each([
    ['an unknown kind', { resources: [{ kind: 'aws.ec2', ids: ['i-1'] }] }, /resources\/0\/kind/],
    ['an unknown field', { resources: [], colour: 'red' }, /must NOT have additional properties/],
    [
      'a bad region',
      { resources: [{ kind: 'alibabacloud.ecs.instance', region: 'Hangzhou', ids: ['i-1'] }] },
      /region/,
    ],
    ['no ids', { resources: [{ kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', ids: [] }] }, /ids/],
    ['a start time that is not a time', { resources: [], options: { startAt: 'tomorrow' } }, /startAt/],
  ])('refuses %s, as our validation does', (_label, request, where) => {
    expect(() => parseTeardownRequest(request)).toThrow();
    expect(schemaErrors('teardown-request.json', request).join('\n')).toMatch(where);
  });

  it('describes the report, and the updates’ arguments', () => {
    const resources: TeardownReport['resources'] = [
      {
        kind: 'alibabacloud.ecs.instance',
        region: 'cn-hangzhou',
        id: 'i-bp1a',
        outcome: 'deleted',
        attempts: 1,
      },
      {
        kind: 'tencentcloud.ms.scan',
        region: '',
        id: 'app-1',
        outcome: 'failed',
        errorCode: 'InternalError',
      },
    ];
    const report: TeardownReport = {
      status: 'partially-failed',
      phase: 'done',
      totals: computeTotals(resources),
      resources,
    };
    expect(schemaErrors('teardown-report.json', report)).toEqual([]);
    expect(schemaErrors('teardown-report.json', { ...report, status: 'fine' }).join('\n')).toMatch(/status/);
    expect(schemaErrors('update-approve.json', { approvedBy: 'alice', comment: 'ok' })).toEqual([]);
    expect(schemaErrors('update-approve.json', {})).not.toEqual([]);
    expect(schemaErrors('update-reject.json', { rejectedBy: 'bob', reason: 'wrong env' })).toEqual([]);
    expect(schemaErrors('update-postpone.json', { until: '2030-01-01T00:00:00Z' })).toEqual([]);
    expect(schemaErrors('update-postpone.json', { until: 'later' })).not.toEqual([]);
  });

  it('describes the `resources` query’s argument and answer, as our validation parses them', () => {
    const query = { outcome: 'failed', kind: 'alibabacloud.ecs.instance', offset: 0, limit: 1000 };
    expect(resourcesQuerySchema.safeParse(query).success).toBe(true);
    expect(schemaErrors('query-resources.json', query)).toEqual([]);
    expect(schemaErrors('query-resources.json', {})).toEqual([]);
    for (const bad of [{ limit: 1001 }, { offset: -1 }, { outcome: 'gone' }, { page: 2 }]) {
      expect(resourcesQuerySchema.safeParse(bad).success).toBe(false);
      expect({ bad, errors: schemaErrors('query-resources.json', bad).length > 0 }).toEqual({
        bad,
        errors: true,
      });
    }
    const page: ResourcesPage = {
      total: 2,
      resources: [
        { kind: 'alibabacloud.ecs.instance', region: 'cn-hangzhou', id: 'i-bp1a', outcome: 'failed' },
      ],
    };
    expect(schemaErrors('query-resources-answer.json', page)).toEqual([]);
    expect(schemaErrors('query-resources-answer.json', { resources: [] }).join('\n')).toMatch(/total/);
  });
});
