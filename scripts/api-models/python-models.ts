// Model packages only PyPI ships, read as text from .tools/api-models (installed by
// scripts/install-api-models.sh; never imported or run):
// - Alibaba darabonba models (alibabacloud_sae20190506): `class X(DaraModel)` with typed
//   `__init__` arguments, "This parameter is required." in the comment above `self.x = x`, and
//   wire names in to_map (`result['Wire'] = self.x`);
// - Volcengine swagger models (volcenginesdkecs): `swagger_types` and `attribute_map` dicts,
//   required when the setter refuses None.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionModel, ModelField, ModelType } from '../../src/emulator/models/model';

export const API_MODELS_DIR = join(__dirname, '../../.tools/api-models');

/** Every class of a models folder: name -> its source text. */
function classesIn(dir: string): Map<string, string> {
  if (!existsSync(dir))
    throw new Error(`${dir} is missing: run bash scripts/install-api-models.sh (npm run setup)`);
  const out = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const parts = text.split(/^(?=class \w+\()/m);
    for (const part of parts) {
      const m = /^class (\w+)\(/.exec(part);
      if (m) out.set(m[1], part);
    }
  }
  return out;
}

const SCALARS: Record<string, ModelType['kind']> = {
  str: 'string',
  int: 'integer',
  float: 'number',
  bool: 'boolean',
  object: 'any',
};

type Resolve = (className: string) => Record<string, ModelField>;

function pythonType(text: string, resolve: Resolve, seen: string[]): ModelType {
  const t = text.trim();
  const list = /^(?:List\[|list\[)(.*)\]$/.exec(t);
  if (list) return { kind: 'array', items: pythonType(list[1], resolve, seen) };
  if (/^(Dict\[|dict\()/.test(t)) return { kind: 'any' };
  if (Object.hasOwn(SCALARS, t)) return { kind: SCALARS[t] } as ModelType;
  const name = t.replace(/^main_models\./, '');
  if (seen.includes(name)) return { kind: 'any' };
  return { kind: 'object', fields: resolve(name) };
}

/** darabonba models: typed __init__, required comments, wire names from to_map. */
export function darabonbaModels(dir: string, actions: string[]): Record<string, ActionModel> {
  const classes = classesIn(dir);
  const fieldsOf = (name: string, seen: string[]): Record<string, ModelField> => {
    const source = classes.get(name);
    if (source === undefined) throw new Error(`${dir} has no class ${name}`);
    const init = /def __init__\(\s*self,([\s\S]*?)\):/.exec(source)?.[1] ?? '';
    const types = new Map([...init.matchAll(/(\w+): ([^=\n]+?) = None/g)].map((m) => [m[1], m[2]]));
    const wires = new Map(
      [...source.matchAll(/self\.(\w+)[^\n]*\n\s*result\['(\w+)'\]/g)].map((m) => [m[1], m[2]]),
    );
    // Lists are emptied first in to_map (`result['X'] = []` then `for k in self.x`).
    for (const m of source.matchAll(/result\['(\w+)'\] = \[\]\s*\n\s*if self\.(\w+) is not None/g))
      wires.set(m[2], m[1]);
    const required = new Set(
      [...source.matchAll(/((?:[ \t]*#[^\n]*\n)+)\s*self\.(\w+) = \2\b/g)]
        .filter((m) => /This parameter is required\./.test(m[1]))
        .map((m) => m[2]),
    );
    const resolve: Resolve = (child) => fieldsOf(child, [...seen, child]);
    const out: Record<string, ModelField> = {};
    for (const [attr, type] of types) {
      const wire = wires.get(attr);
      if (wire) out[wire] = { type: pythonType(type, resolve, seen), required: required.has(attr) };
    }
    return out;
  };
  return Object.fromEntries(
    actions.map((a) => [
      a,
      {
        request: fieldsOf(`${a}Request`, [`${a}Request`]),
        response: fieldsOf(`${a}ResponseBody`, [`${a}ResponseBody`]),
      },
    ]),
  );
}

function pythonDict(source: string, name: string): Map<string, string> {
  const body = new RegExp(`${name} = \\{([^}]*)\\}`).exec(source)?.[1] ?? '';
  return new Map([...body.matchAll(/'(\w+)': '([^']+)'/g)].map((m) => [m[1], m[2]]));
}

/** swagger models: swagger_types + attribute_map; required when the setter refuses None. */
export function swaggerModels(dir: string, actions: string[]): Record<string, ActionModel> {
  const classes = classesIn(dir);
  const fieldsOf = (name: string, seen: string[]): Record<string, ModelField> => {
    const source = classes.get(name);
    if (source === undefined) throw new Error(`${dir} has no class ${name}`);
    const types = pythonDict(source, 'swagger_types');
    const wires = pythonDict(source, 'attribute_map');
    const resolve: Resolve = (child) => fieldsOf(child, [...seen, child]);
    const out: Record<string, ModelField> = {};
    for (const [attr, type] of types) {
      const refusesNone = new RegExp(`Invalid value for \`${attr}\`, must not be \`None\``).test(source);
      out[wires.get(attr) ?? attr] = { type: pythonType(type, resolve, seen), required: refusesNone };
    }
    return out;
  };
  return Object.fromEntries(
    actions.map((a) => [
      a,
      {
        request: fieldsOf(`${a}Request`, [`${a}Request`]),
        response: fieldsOf(`${a}Response`, [`${a}Response`]),
      },
    ]),
  );
}
