// Writes schema/*.json from the zod schemas (src/client/json-schemas.ts): `npm run schemas`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaFiles } from '../src/client/json-schemas';

const dir = path.resolve(__dirname, '..', 'schema');
mkdirSync(dir, { recursive: true });
for (const { file, text } of jsonSchemaFiles()) {
  writeFileSync(path.join(dir, file), text);
  process.stdout.write(`wrote schema/${file}\n`);
}
