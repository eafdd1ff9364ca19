// The providers' API models as the emulator and the conformance tests read them: per action, the
// request parameters (wire name, type, required) and the response fields. The JSON files beside
// this one are generated from the official model packages by `npm run api-models` (scripts/api-models).
import { z } from 'zod';

export type ModelType =
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'any' }
  | { kind: 'array'; items: ModelType }
  | { kind: 'object'; fields: Record<string, ModelField> };

export interface ModelField {
  type: ModelType;
  required: boolean;
}

export interface ActionModel {
  request: Record<string, ModelField>;
  response: Record<string, ModelField>;
}

export interface ApiModel {
  provider: 'tencentcloud' | 'alibabacloud' | 'volcengine';
  service: string;
  version: string;
  /** Where the model comes from: a package and version, or a seed document. */
  source: string;
  actions: Record<string, ActionModel>;
}

const typeSchema: z.ZodType<ModelType> = z.lazy(() =>
  z.union([
    z.strictObject({ kind: z.enum(['string', 'integer', 'number', 'boolean', 'any']) }),
    z.strictObject({ kind: z.literal('array'), items: typeSchema }),
    z.strictObject({ kind: z.literal('object'), fields: z.record(z.string(), fieldSchema) }),
  ]),
);
const fieldSchema: z.ZodType<ModelField> = z.lazy(() =>
  z.strictObject({ type: typeSchema, required: z.boolean() }),
);

export const apiModelSchema = z.strictObject({
  provider: z.enum(['tencentcloud', 'alibabacloud', 'volcengine']),
  service: z.string().min(1),
  version: z.string().min(1),
  source: z.string().min(1),
  actions: z.record(
    z.string(),
    z.strictObject({
      request: z.record(z.string(), fieldSchema),
      response: z.record(z.string(), fieldSchema),
    }),
  ),
});

/** What is wrong with one parameter. */
export interface Violation {
  problem: 'unknown' | 'missing' | 'type';
  /** The parameter as sent (or, when missing, as the model names it). */
  name: string;
  /** The model's type, for 'type'. */
  expected?: string;
}

export function describeType(t: ModelType): string {
  if (t.kind === 'array') return `array of ${describeType(t.items)}`;
  return t.kind;
}

/** How a JSON value fits a model type (Tencent's JSON bodies). */
function jsonFits(t: ModelType, value: unknown): boolean {
  switch (t.kind) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && value.every((v) => jsonFits(t.items, v));
    case 'object':
      return (
        !!value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.entries(value).every(([k, v]) => Object.hasOwn(t.fields, k) && jsonFits(t.fields[k].type, v))
      );
  }
}

/** Checks a JSON body (Tencent): names, JSON types, required ones present. */
export function checkJsonParams(model: ActionModel, params: Record<string, unknown>): Violation[] {
  const out: Violation[] = [];
  for (const [name, value] of Object.entries(params)) {
    const field = Object.hasOwn(model.request, name) ? model.request[name] : undefined;
    if (!field) out.push({ problem: 'unknown', name });
    else if (!jsonFits(field.type, value))
      out.push({ problem: 'type', name, expected: describeType(field.type) });
  }
  for (const [name, field] of Object.entries(model.request))
    if (field.required && params[name] === undefined) out.push({ problem: 'missing', name });
  return out;
}

const SCALAR_TEXT: Record<string, RegExp> = {
  integer: /^-?\d+$/,
  number: /^-?\d+(\.\d+)?$/,
  boolean: /^(true|false)$/,
};

function textFits(t: ModelType, text: string): boolean {
  const pattern = SCALAR_TEXT[t.kind];
  return pattern ? pattern.test(text) : t.kind === 'string' || t.kind === 'any';
}

/**
 * Checks flattened query or form parameters (Alibaba RPC and ROA, Volcengine): a list is sent as
 * `Name.1`, `Name.2`, a list of objects as `Name.1.Field`; every value is text of the model's type.
 */
export function checkFlatParams(model: ActionModel, params: Record<string, unknown>): Violation[] {
  const out: Violation[] = [];
  const present = new Set<string>();
  for (const [name, raw] of Object.entries(params)) {
    const [base, ...rest] = name.split('.');
    if (typeof raw !== 'string' && rest.length === 0) {
      // A JSON body (Volcengine accepts one) carries typed values.
      const field = Object.hasOwn(model.request, base) ? model.request[base] : undefined;
      present.add(base);
      if (!field) out.push({ problem: 'unknown', name });
      else if (!jsonFits(field.type, raw))
        out.push({ problem: 'type', name, expected: describeType(field.type) });
      continue;
    }
    const text = String(raw);
    present.add(base);
    const field = Object.hasOwn(model.request, base) ? model.request[base] : undefined;
    if (!field) {
      out.push({ problem: 'unknown', name });
      continue;
    }
    const fits = flatFits(field.type, rest, text);
    if (fits === 'unknown') out.push({ problem: 'unknown', name });
    else if (!fits) out.push({ problem: 'type', name, expected: describeType(field.type) });
  }
  for (const [name, field] of Object.entries(model.request))
    if (field.required && !present.has(name)) out.push({ problem: 'missing', name });
  return out;
}

function flatFits(t: ModelType, path: string[], text: string): boolean | 'unknown' {
  if (path.length === 0) return t.kind !== 'array' && t.kind !== 'object' && textFits(t, text);
  const [head, ...rest] = path;
  if (t.kind === 'array')
    return /^\d+$/.test(head) && Number(head) >= 1 ? flatFits(t.items, rest, text) : false;
  if (t.kind === 'object') {
    const field = Object.hasOwn(t.fields, head) ? t.fields[head] : undefined;
    return field ? flatFits(field.type, rest, text) : 'unknown';
  }
  return false;
}

/** Response fields the model does not name, as dotted paths ('Instances.Instance[].Foo'). */
export function unknownResponseFields(
  fields: Record<string, ModelField>,
  value: unknown,
  path = '',
): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const out: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    const where = path ? `${path}.${name}` : name;
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!field) out.push(where);
    else out.push(...unknownInValue(field.type, v, where));
  }
  return out;
}

function unknownInValue(t: ModelType, v: unknown, where: string): string[] {
  if (t.kind === 'object') return unknownResponseFields(t.fields, v, where);
  if (t.kind === 'array' && Array.isArray(v))
    return v.flatMap((item) => unknownInValue(t.items, item, `${where}[]`));
  return [];
}
