// setupFilesAfterEnv of the server suites: after each test file, the secrets its in-process workers
// learned (assumed roles' keys, session tokens: src/observability/runtime-secrets.ts) are written
// where the global teardown's secrets scan reads them (TEARDOWN_TEST_SCAN_DIR/secrets).
import fs from 'node:fs';
import path from 'node:path';
import { runtimeSecrets } from '../../src/observability/runtime-secrets';

const dir = process.env.TEARDOWN_TEST_SCAN_DIR;
if (dir) {
  afterAll(() => {
    const values = [...runtimeSecrets()];
    if (values.length === 0) return;
    const file = path.join(
      dir,
      'secrets',
      `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(values));
  });
}
