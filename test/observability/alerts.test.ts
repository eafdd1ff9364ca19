// The alert rules and the dashboard (deploy/prometheus, deploy/grafana): promtool accepts the rules
// and their unit tests pass (each alert fires on the series that should fire it); every query names
// the project's metrics as src/observability/metrics.ts defines them. That the names (the SDK's
// too) are what a worker really exports is checked against a live scrape in worker-telemetry.test.ts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { METRIC_NAMES } from '../../src/observability/metrics';
import { REPO_ROOT } from '../helpers/temporal';
import { ALERTS_FILE, ALERT_TESTS_FILE, alertRules, dashboardQueries, metricNames } from './queries';

const PROMTOOL = process.env.PROMTOOL_PATH ?? path.join(REPO_ROOT, '.tools/promtool/promtool');
const havePromtool = fs.existsSync(PROMTOOL);
const inCI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const missing = `promtool not found at ${PROMTOOL}: run \`bash scripts/install-promtool.sh\` (or set PROMTOOL_PATH)`;
if (!havePromtool && !inCI) process.stderr.write(`[alerts.test] promtool checks SKIPPED: ${missing}\n`);
const promtoolTest = havePromtool || inCI ? it : it.skip;

function promtool(...args: string[]): string {
  if (!havePromtool) throw new Error(`${missing} (required when CI is set)`);
  return execFileSync(PROMTOOL, args, { cwd: path.dirname(ALERTS_FILE), encoding: 'utf8', stdio: 'pipe' });
}

/** teardown_* names the queries may use: the metrics, plus the histogram's series. */
const PROJECT_SERIES = new Set<string>([
  ...Object.values(METRIC_NAMES),
  ...['bucket', 'count', 'sum'].map((s) => `${METRIC_NAMES.providerCallSeconds}_${s}`),
]);

describe('alert rules and dashboard', () => {
  promtoolTest('promtool check rules accepts alerts.yml', () => {
    expect(promtool('check', 'rules', path.basename(ALERTS_FILE))).toMatch(/SUCCESS: \d+ rules found/);
  });

  promtoolTest('promtool test rules: every alert fires on its series (alerts.test.yml)', () => {
    expect(promtool('test', 'rules', path.basename(ALERT_TESTS_FILE))).toContain('SUCCESS');
  });

  it('has the alerts the runbook documents, each with a runbook anchor', () => {
    const names = alertRules().map((r) => r.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'TeardownBlocked',
        'TeardownIdempotentParameterMismatch',
        'TeardownAuthFailures',
        'TeardownThrottled',
      ]),
    );
    const runbook = fs.readFileSync(path.join(REPO_ROOT, 'docs/runbook.md'), 'utf8');
    for (const name of names) expect(runbook).toContain(`### ${name}`);
  });

  it('every alert and dashboard query names only metrics the project defines (teardown_*)', () => {
    const queries = [...alertRules().map((r) => r.expr), ...dashboardQueries().map((q) => q.expr)];
    expect(queries.length).toBeGreaterThan(10);
    const unknown = queries
      .flatMap(metricNames)
      .filter((n) => n.startsWith('teardown_') && !PROJECT_SERIES.has(n));
    expect(unknown).toEqual([]);
    // Every project metric is on the dashboard.
    const onDashboard = new Set(dashboardQueries().flatMap((q) => metricNames(q.expr)));
    for (const name of Object.values(METRIC_NAMES)) {
      expect({ name, shown: [...onDashboard].some((n) => n.startsWith(name)) }).toEqual({
        name,
        shown: true,
      });
    }
  });
});
