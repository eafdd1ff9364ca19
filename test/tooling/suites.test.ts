// The split between `npm run test:unit` (no server) and the server run (jest.suites.js): every test
// file is in exactly one run, and a suite is a server suite exactly when it (or a test helper it
// imports) imports a Temporal server module.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const suites = require('../../jest.suites.js') as {
  needsServer(file: string): boolean;
  partitionSuites(): { unit: string[]; server: string[] };
};

const rel = (files: string[]) => files.map((f) => path.relative(path.join(__dirname, '..', '..'), f));

it('puts every test file in exactly one of the two runs', () => {
  const { unit, server } = suites.partitionSuites();
  expect(unit.filter((f) => server.includes(f))).toEqual([]);
  expect(rel(unit)).toContain('test/contract.test.ts');
  expect(rel(unit)).toContain('test/tooling/suites.test.ts');
  expect(rel(server)).toContain('test/workflows/regressions.test.ts');
  expect(rel(server)).toContain('test/tooling/temporal-server.test.ts');
});

describe('what needs a server', () => {
  let dir: string;
  beforeAll(() => {
    // Under test/ (only test/ helpers are followed), removed afterwards.
    dir = fs.mkdtempSync(path.join(__dirname, '.suites-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('follows test helpers transitively and ignores type-only imports', () => {
    write(
      'server-helper.ts',
      "import { startStack } from '../../helpers/stack';\nexport const s = startStack;\n",
    );
    write('middle.ts', "export { s } from './server-helper';\n");
    expect(suites.needsServer(write('a.ts', "import { s } from './middle';\n"))).toBe(true);
    expect(suites.needsServer(write('b.ts', "import type { Stack } from '../../helpers/stack';\n"))).toBe(
      false,
    );
    expect(suites.needsServer(write('c.ts', "import { Client } from '@temporalio/client';\n"))).toBe(true);
    expect(suites.needsServer(write('d.ts', `const t = ${'require'}('../../helpers/temporal');\n`))).toBe(
      true,
    );
    expect(suites.needsServer(write('e.ts', "import { z } from 'zod';\nimport './middle-less';\n"))).toBe(
      false,
    );
  });

  it('does not follow modules outside test/', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'suites-'));
    try {
      fs.writeFileSync(path.join(outside, 'x.ts'), "import '@temporalio/testing';\n");
      const spec = path.relative(dir, path.join(outside, 'x'));
      expect(suites.needsServer(write('f.ts', `import '${spec}';\n`))).toBe(false);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
