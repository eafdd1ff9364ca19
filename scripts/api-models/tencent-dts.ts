// Tencent's models from npm (tencentcloud-sdk-nodejs): `<Action>Request` / `<Action>Response`
// interfaces in the service's *_models.d.ts; a member without `?` is required.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import type { ActionModel, ModelField, ModelType } from '../../src/emulator/models/model';

export function tencentModels(file: string, actions: string[]): Record<string, ActionModel> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });

  const typeOf = (node: ts.TypeNode | undefined, seen: string[]): ModelType => {
    if (!node) return { kind: 'any' };
    if (node.kind === ts.SyntaxKind.StringKeyword) return { kind: 'string' };
    if (node.kind === ts.SyntaxKind.NumberKeyword) return { kind: 'number' };
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return { kind: 'boolean' };
    if (ts.isArrayTypeNode(node)) return { kind: 'array', items: typeOf(node.elementType, seen) };
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(source);
      if (name === 'Array') return { kind: 'array', items: typeOf(node.typeArguments?.[0], seen) };
      const target = interfaces.get(name);
      if (target && !seen.includes(name))
        return { kind: 'object', fields: fieldsOf(target, [...seen, name]) };
    }
    return { kind: 'any' };
  };
  const fieldsOf = (decl: ts.InterfaceDeclaration, seen: string[]): Record<string, ModelField> => {
    const out: Record<string, ModelField> = {};
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member) || !member.name) continue;
      out[member.name.getText(source)] = { type: typeOf(member.type, seen), required: !member.questionToken };
    }
    return out;
  };
  const fieldsNamed = (name: string) => {
    const decl = interfaces.get(name);
    if (!decl) throw new Error(`${file} has no interface ${name}`);
    return fieldsOf(decl, [name]);
  };

  return Object.fromEntries(
    actions.map((action) => [
      action,
      { request: fieldsNamed(`${action}Request`), response: fieldsNamed(`${action}Response`) },
    ]),
  );
}
