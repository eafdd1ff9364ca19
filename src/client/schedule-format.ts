// Text forms of teardown schedules for the CLI (`schedule list`, `schedule describe`).
import type { ScheduleSpecText, TeardownScheduleDescription, TeardownScheduleSummary } from './schedules';

export function iso(date: Date | undefined): string {
  return date ? date.toISOString().replace('.000Z', 'Z') : '-';
}

export function formatSpec(spec: ScheduleSpecText): string {
  const parts = [
    ...(spec.cron ?? []).map((c) => `cron "${c}"`),
    ...(spec.every ? [`every ${spec.every}`] : []),
    ...(spec.calendars?.length ? [`${spec.calendars.length} calendar spec(s)`] : []),
  ];
  const text = parts.join(' + ') || '(no spec)';
  return [
    text,
    spec.timeZone ? `in ${spec.timeZone}` : spec.cron ? 'in UTC' : '',
    spec.startAt ? `from ${spec.startAt}` : '',
    spec.endAt ? `until ${spec.endAt}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function stateText(s: { paused: boolean; note?: string }): string {
  return `${s.paused ? 'paused' : 'active'}${s.note ? ` (${s.note})` : ''}`;
}

export function formatScheduleList(rows: TeardownScheduleSummary[]): string {
  if (rows.length === 0) return 'no teardown schedules';
  return rows
    .map(
      (r) =>
        `${r.scheduleId}  ${r.paused ? 'paused' : 'active'}  ${formatSpec(r.spec)}  next ${iso(r.nextRunTimes[0])}`,
    )
    .join('\n');
}

export function formatScheduleDescription(d: TeardownScheduleDescription): string {
  const request = d.request;
  const selectors = request?.selectors ?? [];
  const requestText = request
    ? [
        request.resources.length
          ? `${request.resources.reduce((n, r) => n + r.ids.length, 0)} resources (${[...new Set(request.resources.map((r) => r.kind))].join(', ')})`
          : '',
        selectors.length
          ? `${selectors.length} selector(s) (${selectors.map((s) => [s.kind, ...(s.tags ?? []).map((t) => `tag ${t}`), s.namePrefix ? `name ${s.namePrefix}*` : '', s.olderThan ? `older than ${s.olderThan}` : ''].filter(Boolean).join(' ')).join('; ')})`
          : '',
      ]
        .filter(Boolean)
        .join(' and ') +
      `${request.options?.dryRun ? ', dry run' : ''}${request.requestedBy ? ` for ${request.requestedBy}` : ''}`
    : '-';
  const lines: Array<[string, string]> = [
    ['schedule', d.scheduleId],
    ['state', stateText(d)],
    ['spec', formatSpec(d.spec)],
    ['overlap', d.overlap],
    [
      'runs',
      `teardown on task queue ${d.taskQueue}; workflow ids ${d.workflowIdPrefix ?? '?'}-<scheduled time>`,
    ],
    ['request', requestText],
    ['next', d.nextRunTimes.slice(0, 3).map(iso).join(', ') || '-'],
    [
      'taken',
      `${d.runsTaken} run(s), ${d.runsSkippedForOverlap} skipped (overlap), ${d.runsMissedCatchupWindow} missed`,
    ],
    ['running', d.runningWorkflowIds.join(', ') || '-'],
    ...d.recentRuns.map((r): [string, string] => ['recent', `${r.workflowId} (started ${iso(r.takenAt)})`]),
  ];
  return lines.map(([label, value]) => `${label.padEnd(9)}${value}`).join('\n');
}
