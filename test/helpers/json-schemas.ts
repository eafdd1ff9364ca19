// Validates JSON against the committed schema/ files (what a caller in another language would use).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const SCHEMA_DIR = path.join(REPO_ROOT, 'schema');

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

/** The errors of `value` against schema/<file>, as "path message" lines; [] when it is valid. */
export function schemaErrors(file: string, value: unknown): string[] {
  const validate = ajv.getSchema(file) ?? compile(file);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

function compile(file: string) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')), file);
  return ajv.getSchema(file)!;
}
