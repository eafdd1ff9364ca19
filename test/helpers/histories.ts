// The committed workflow histories (test/fixtures/histories/<scenario>/<workflow id>.json), as
// `npm run record-histories` writes them and the replay test reads them. The format is protobufjs'
// plain object of temporal.api.history.v1.History (enums by name, 64-bit numbers and bytes as
// strings). Not the CLI's proto-JSON: @temporalio/common's historyToJSON fails with the two copies
// of protobufjs this install holds ("type must be a Type").
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { REPO_ROOT } from './temporal';

type History = temporal.api.history.v1.IHistory;
const HistoryType = temporal.api.history.v1.History;

export const HISTORIES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'histories');

/** File name of a workflow id ('/' cannot be in a name; '~' is in none of our ids). */
export const fileNameOf = (workflowId: string) => `${workflowId.replaceAll('/', '~')}.json`;
const workflowIdOf = (fileName: string) => fileName.replace(/\.json$/, '').replaceAll('~', '/');

export function historyToText(history: History): string {
  const plain = HistoryType.toObject(HistoryType.fromObject(history), {
    enums: String,
    longs: String,
    bytes: String,
  });
  return `${JSON.stringify(plain, null, 1)}\n`;
}

export interface CommittedHistory {
  scenario: string;
  workflowId: string;
  history: History;
}

/** Every committed history, scenario by scenario, in name order. */
export function committedHistories(dir = HISTORIES_DIR): CommittedHistory[] {
  if (!fs.existsSync(dir)) return [];
  const out: CommittedHistory[] = [];
  for (const scenario of fs.readdirSync(dir).sort()) {
    const scenarioDir = path.join(dir, scenario);
    if (!fs.statSync(scenarioDir).isDirectory()) continue;
    for (const file of fs
      .readdirSync(scenarioDir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const plain: unknown = JSON.parse(fs.readFileSync(path.join(scenarioDir, file), 'utf8'));
      out.push({
        scenario,
        workflowId: workflowIdOf(file),
        history: HistoryType.fromObject(plain as object),
      });
    }
  }
  return out;
}
