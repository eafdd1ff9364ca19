// `npm run api-models`: regenerates src/emulator/models/*.json from the pinned official model
// packages (after changing a pin). The conformance test fails when the files and packages differ.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModels, modelFileName } from './catalog';

const OUT = join(__dirname, '../../src/emulator/models');
const files = buildModels().map((model) => {
  const file = join(OUT, modelFileName(model));
  writeFileSync(file, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`${modelFileName(model)}: ${Object.keys(model.actions).length} actions from ${model.source}`);
  return file;
});
// The files are checked by `npm run lint` like the rest of src/.
execFileSync(require.resolve('prettier/bin/prettier.cjs'), ['--write', ...files], { stdio: 'inherit' });
