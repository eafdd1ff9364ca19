// Which test files need a Temporal server and which do not, decided from what they import, so a new
// test lands in the right run without a list to maintain.
//
// A suite "needs a server" when it, or a test/ helper it imports (transitively), imports one of
// SERVER_MODULES: the stack and Temporal helpers (they connect to the dev server of the global setup
// or start a time-skipping test server) or a Temporal SDK package that talks to a server.
// `import type` lines are ignored (they vanish at compile time). Everything else is a unit suite:
// jest.unit.config.js runs those with no global setup, and the server config runs the rest.
const fs = require('node:fs');
const path = require('node:path');

const TEST_ROOT = path.join(__dirname, 'test');

/** Import specifiers (or their endings, for relative ones) that mean "needs a Temporal server". */
const SERVER_MODULES = [
  '@temporalio/client',
  '@temporalio/testing',
  '@temporalio/worker',
  'helpers/stack',
  'helpers/temporal',
  'helpers/worker-process',
];

const IMPORT_RE =
  /^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]|\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = [];
  for (const m of text.matchAll(IMPORT_RE)) found.push(m[1] ?? m[2]);
  return found;
}

function isServerModule(specifier) {
  return SERVER_MODULES.some((m) => specifier === m || specifier.endsWith(`/${m}`));
}

/** The .ts file a relative specifier of `from` names, when it lies under test/. */
function resolveTestModule(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  if (!base.startsWith(TEST_ROOT + path.sep)) return undefined;
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Whether `file` (a test or a test helper) needs a Temporal server, following test/ imports. */
function needsServer(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  return importsOf(file).some((specifier) => {
    if (isServerModule(specifier)) return true;
    const helper = resolveTestModule(file, specifier);
    return helper !== undefined && needsServer(helper, seen);
  });
}

function allTestFiles(dir = TEST_ROOT) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // test/prod-stack and test/reliability have their own runs (npm run test:prod-stack, test:reliability).
      if (!['fixtures', 'node_modules', 'prod-stack', 'reliability'].includes(entry.name))
        out.push(...allTestFiles(full));
    } else if (entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

/** { unit, server }: absolute paths of every test file, split by whether it needs a server. */
function partitionSuites() {
  const unit = [];
  const server = [];
  for (const file of allTestFiles()) (needsServer(file) ? server : unit).push(file);
  return { unit, server };
}

/** A jest testPathIgnorePatterns entry matching exactly these files. */
function exactPathPatterns(files) {
  return files.map((f) => `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

module.exports = { SERVER_MODULES, needsServer, partitionSuites, exactPathPatterns };
