/** eslint.config.js keeps nondeterministic modules out of workflow code and leaves the rest of src alone. */
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';

// Loaded with require and passed in: ESLint's own config loader uses import(), which jest's VM does not allow.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(path.join(REPO_ROOT, 'eslint.config.js')) as Linter.Config[];
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfigFile: true, overrideConfig: config });

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  // Only this rule's messages count: the snippets' unused bindings do not matter here.
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, filePath) });
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('workflow determinism lint rule', () => {
  test.each([
    "import fs from 'fs';",
    "import { readFileSync } from 'node:fs';",
    "import { randomUUID } from 'crypto';",
    "import * as p from 'path';",
    "import { CommonClient } from 'tencentcloud-sdk-nodejs-common';",
    "import OpenApi from '@alicloud/openapi-client';",
    "import { Service } from '@volcengine/openapi';",
    "import { makeActivities } from '../activities';",
  ])('forbids in src/workflows: %s', async (code) => {
    const messages = await restrictedImports(code, 'src/workflows/example.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/workflow code must be deterministic/);
  });

  test.each([
    "import { proxyActivities } from '@temporalio/workflow';",
    "import type { TeardownActivities } from '../activities';",
    "import type { Service } from '@volcengine/openapi';",
  ])('allows in src/workflows: %s', async (code) => {
    expect(await restrictedImports(code, 'src/workflows/example.ts')).toEqual([]);
  });

  test('does not apply outside src/workflows', async () => {
    const code = "import fs from 'node:fs';";
    expect(await restrictedImports(code, 'src/activities/example.ts')).toEqual([]);
  });
});
