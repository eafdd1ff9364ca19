// Alibaba's Tea models from npm (@alicloud/ecs20140526): each Request / ResponseBody class names
// its fields' wire names (names()) and types (types()); "This parameter is required." in a field's
// doc comment (the .d.ts) marks the required ones.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ActionModel, ModelField, ModelType } from '../../src/emulator/models/model';

interface TeaClass {
  name: string;
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}

const isTeaClass = (v: unknown): v is TeaClass =>
  typeof v === 'function' && typeof (v as Partial<TeaClass>).names === 'function';

/** The doc comment right before `prop?:` in a class declaration, per property. */
function requiredProps(dts: string, className: string): Set<string> {
  const start = dts.indexOf(`class ${className} `);
  if (start < 0) return new Set();
  const end = dts.indexOf('\n}', start);
  const body = dts.slice(start, end < 0 ? undefined : end);
  const out = new Set<string>();
  for (const m of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\??:/g))
    if (/This parameter is required\./.test(m[1])) out.add(m[2]);
  return out;
}

export function teaModels(pkg: string, actions: string[]): Record<string, ActionModel> {
  // The Tea classes themselves (names(), types()): the package is CommonJS.
  const mod = createRequire(__filename)(pkg) as Record<string, unknown>;
  const modelsDir = join(dirname(require.resolve(pkg)), 'models');
  const dtsOf = (className: string, fallback: string): string => {
    const own = join(modelsDir, `${className}.d.ts`);
    return readFileSync(existsSync(own) ? own : join(modelsDir, `${fallback}.d.ts`), 'utf8');
  };

  const typeOf = (t: unknown, file: string): ModelType => {
    if (t === 'string') return { kind: 'string' };
    if (t === 'number') return { kind: 'number' };
    if (t === 'boolean') return { kind: 'boolean' };
    if (isTeaClass(t)) return { kind: 'object', fields: fieldsOf(t, file) };
    if (t && typeof t === 'object' && (t as { type?: string }).type === 'array')
      return { kind: 'array', items: typeOf((t as { itemType: unknown }).itemType, file) };
    return { kind: 'any' };
  };
  const fieldsOf = (cls: TeaClass, file: string): Record<string, ModelField> => {
    const required = requiredProps(dtsOf(cls.name, file), cls.name);
    const names = cls.names();
    const types = cls.types();
    return Object.fromEntries(
      Object.entries(names).map(([prop, wire]) => [
        wire,
        { type: typeOf(types[prop], file), required: required.has(prop) },
      ]),
    );
  };

  return Object.fromEntries(
    actions.map((action) => {
      const request = mod[`${action}Request`];
      const response = mod[`${action}ResponseBody`];
      if (!isTeaClass(request) || !isTeaClass(response)) throw new Error(`${pkg} has no model of ${action}`);
      return [
        action,
        {
          request: fieldsOf(request, `${action}Request`),
          response: fieldsOf(response, `${action}ResponseBody`),
        },
      ];
    }),
  );
}
