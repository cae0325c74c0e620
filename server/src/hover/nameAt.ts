// The name under the cursor, and the scope it is evaluated in: a plain name (`Pool`), the
// attribute part of `mp.Pool` / `pool.map`, or a name in an import statement.

import { absoluteImportModule, type ModuleIdentity, type Scope, type ScopeTree } from '../analysis';
import type { AttributeExpression, Block, Expression, NameExpression, Span, Statement } from '../parser';
import { statementBlocks, statementExpressions, walkExpression } from '../parser';

export type NameAtOffset =
  | { readonly kind: 'expression'; readonly expression: NameExpression | AttributeExpression; readonly span: Span }
  /** A name in `import a.b` / `from a import b`: `qualifiedName` is what it imports. */
  | { readonly kind: 'import'; readonly qualifiedName: string; readonly span: Span };

function contains(span: Span, offset: number): boolean {
  return span.from <= offset && offset <= span.to;
}

export function nameAt(block: Block, identity: ModuleIdentity | undefined, offset: number): NameAtOffset | undefined {
  for (const statement of block.statements) {
    if (!contains(statement, offset)) continue;
    const found = inStatement(statement, identity, offset);
    if (found) return found;
  }
  return undefined;
}

function inStatement(statement: Statement, identity: ModuleIdentity | undefined, offset: number): NameAtOffset | undefined {
  if (statement.kind === 'Import') {
    const alias = statement.names.find((candidate) => contains(candidate, offset));
    return alias ? { kind: 'import', qualifiedName: alias.name, span: alias } : undefined;
  }
  if (statement.kind === 'ImportFrom') {
    if (statement.names === '*') return undefined;
    const alias = statement.names.find((candidate) => contains(candidate, offset));
    const module = absoluteImportModule(statement, identity);
    return alias && module ? { kind: 'import', qualifiedName: `${module}.${alias.name}`, span: alias } : undefined;
  }
  const expressions = statement.kind === 'Error' ? statement.expressions : statementExpressions(statement);
  for (const expression of expressions) {
    if (!contains(expression, offset)) continue;
    const found = inExpression(expression, offset);
    if (found) return found;
  }
  const blocks = statement.kind === 'Error' ? [{ ...emptyBlock(statement), statements: statement.statements }] : statementBlocks(statement);
  for (const nested of blocks) {
    if (!contains(nested, offset)) continue;
    const found = nameAt(nested, identity, offset);
    if (found) return found;
  }
  return undefined;
}

function inExpression(root: Expression, offset: number): NameAtOffset | undefined {
  let found: NameAtOffset | undefined;
  walkExpression(root, (node) => {
    if (!contains(node, offset)) return false;
    if (node.kind === 'Name') found = { kind: 'expression', expression: node, span: node };
    else if (node.kind === 'Attribute' && node.name && contains(node.name, offset)) found = { kind: 'expression', expression: node, span: node.name };
    return true;
  });
  return found;
}

function emptyBlock(span: Span): Block {
  return { from: span.from, to: span.to, statements: [], inline: false, recovered: true };
}

/** The innermost scope whose code contains `offset`. */
export function scopeAt(scopes: ScopeTree, offset: number): Scope {
  let scope = scopes.moduleScope;
  for (;;) {
    const inner = scope.children.find((child) => inScope(child, offset));
    if (inner === undefined) return scope;
    scope = inner;
  }
}

function inScope(scope: Scope, offset: number): boolean {
  const owner = scope.owner;
  if (!('kind' in owner)) return false;
  switch (owner.kind) {
    case 'FunctionDef':
    case 'ClassDef':
      return contains(owner.body, offset);
    case 'Lambda':
      return contains(owner.body, offset);
    case 'Comprehension': {
      if (!contains(owner, offset)) return false;
      // The first iterable is evaluated in the enclosing scope.
      const first = owner.clauses[0];
      return first === undefined || !contains(first.expression, offset);
    }
    default:
      return false;
  }
}
