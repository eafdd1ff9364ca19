// Bundles the workflow code ahead of time (image build, prod-stack.sh), so a worker loads one file
// with workflowBundle: { codePath } instead of running webpack at every start.
//   node dist/workers/bundle.js dist/workflow-bundle.js
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export async function writeWorkflowBundle(outFile: string): Promise<number> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  mkdirSync(dirname(outFile), { recursive: true });
  // Write-then-rename: a running worker may be reading the previous bundle.
  const tmp = `${outFile}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, outFile);
  return code.length;
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node dist/workers/bundle.js <output file>');
    process.exit(2);
  }
  const started = Date.now();
  writeWorkflowBundle(resolve(out)).then(
    (bytes) =>
      console.log(`workflow bundle ${out}: ${Math.round(bytes / 1024)} KiB in ${Date.now() - started} ms`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
