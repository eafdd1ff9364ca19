// Preloaded into every Node process the server suites start (NODE_OPTIONS --require, set by
// test/global-setup.ts): a teardown worker process (tests' worker-process.ts, src/workers/main.ts,
// dist/workers/main.js) also writes what it prints to TEARDOWN_TEST_SCAN_DIR/logs, so the global
// teardown's secrets scan reads every worker log the tests produced. Other processes are untouched.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.TEARDOWN_TEST_SCAN_DIR;
const entry = (process.argv[1] || '').split(path.sep).join('/');
const WORKER_ENTRIES = /(test\/helpers\/worker-process\.ts|src\/workers\/main\.ts|dist\/workers\/main\.js)$/;

if (dir && WORKER_ENTRIES.test(entry)) {
  const file = path.join(dir, 'logs', `worker-${process.pid}.log`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a');
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      try {
        fs.writeSync(fd, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      } catch {
        // A full disk must not change what the worker does.
      }
      return write(chunk, ...rest);
    };
  }
}
