// The PromQL of the alert rules and the Grafana dashboard, and the metric names they use, so tests
// can check those names against what a worker really exports.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../helpers/temporal';

export const ALERTS_FILE = path.join(REPO_ROOT, 'deploy/prometheus/alerts.yml');
export const ALERT_TESTS_FILE = path.join(REPO_ROOT, 'deploy/prometheus/alerts.test.yml');
export const DASHBOARD_FILE = path.join(REPO_ROOT, 'deploy/grafana/cloud-teardown.json');

interface Rule {
  alert?: string;
  expr: string;
}

export function alertRules(): Rule[] {
  const doc = YAML.parse(fs.readFileSync(ALERTS_FILE, 'utf8')) as { groups: Array<{ rules: Rule[] }> };
  return doc.groups.flatMap((g) => g.rules);
}

export function dashboardQueries(): Array<{ panel: string; expr: string }> {
  const doc = JSON.parse(fs.readFileSync(DASHBOARD_FILE, 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr?: string }> }>;
  };
  return doc.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? '' })));
}

/** The project's and the SDK's metric names a query reads (not `up`, functions or labels). */
export function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...new Set(withoutStrings.match(/\b(?:teardown|temporal)_[a-z0-9_]+\b/g) ?? [])];
}
