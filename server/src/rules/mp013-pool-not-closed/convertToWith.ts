// The MP013 quick fix: turn `pool = Pool(...)` and the statements after it that use the pool
// into a `with` block, so that the pool is closed on every way out:
//
//     pool = mp.Pool(4)                     with mp.Pool(4) as pool:
//     results = pool.map(work, items)  →        results = pool.map(work, items)
//     print(results)                        print(results)
//
// The block takes the statements of the same suite from the creation to the last one that
// mentions the name. Offered only when the result is clearly the same program otherwise:
// - the creation is a plain `name = <creation>` statement on lines of its own;
// - every use of the name is in that range of the suite (none later, none in nested functions
//   or lambdas) and the range does not rebind it;
// - for a Pool, whose `with` exit calls terminate() (killing tasks still running), every use
//   is a call of a method that waits for its result (`map`, `starmap`, `apply`, `close`,
//   `join`), or the range ends with `pool.close()` then `pool.join()`; an executor's exit waits
//   for its tasks (shutdown(wait=True)), so any method calls do;
// - no syntax error lies in the range.

import type { TrackedObject } from '../../analysis/lifecycle';
import type { Block, Expression, SourceFile, Statement } from '../../parser';
import { statementBlocks, statementExpressions, unparenthesize, walkExpression } from '../../parser';
import type { RuleContext, RuleFix } from '../rule';
import { indentUnit, startsInsideString } from '../common/indentation';
import { ownsItsLines } from '../common/lifecycleFindings';

export const CONVERT_TO_WITH_TITLE = 'Manage the pool with a `with` block';

/** Pool methods that return only when the work is done (so `terminate()` at the block's end loses nothing). */
const WAITING_POOL_METHODS: ReadonlySet<string> = new Set(['map', 'starmap', 'apply', 'close', 'join']);

export function convertToWithFix(context: RuleContext, object: TrackedObject): RuleFix | undefined {
  const { source } = context;
  const found = creationStatement(object.body.block, object.site);
  if (found === undefined) return undefined;
  const { suite, index } = found;
  const creation = suite[index];
  if (creation.kind !== 'Assign' || creation.targets.length !== 1 || creation.annotation !== undefined) return undefined;
  const target = unparenthesize(creation.targets[0]);
  if (target.kind !== 'Name') return undefined;
  const name = target.name;
  if (!ownsItsLines(source, creation)) return undefined;

  // Every mention of the name in the body must sit in this suite, after the creation.
  let last = index;
  for (let at = 0; at < suite.length; at++) {
    if (at === index) continue;
    const uses = mentions(suite[at], name);
    if (uses === 'nested') return undefined;
    if (uses === 'yes') {
      if (at < index) return undefined;
      last = at;
    }
  }
  if (last === index) return undefined;
  const range = suite.slice(index + 1, last + 1);
  if (countMentions(object.body.block.statements, name) !== countMentions(suite.slice(index, last + 1), name)) return undefined;
  if (range.some((statement) => rebinds(statement, name) || statement.kind === 'Error')) return undefined;
  if (!range.every((statement) => ownsItsLines(source, statement))) return undefined;
  if (object.kind === 'pool' && !waitsForItsWork(range, name)) return undefined;
  if (source.hasErrorWithin({ from: creation.from, to: range[range.length - 1].to })) return undefined;
  return { title: CONVERT_TO_WITH_TITLE, edits: rewrite(source, creation, range, name, object.site) };
}

/** The suite holding the statement `name = <site>` and its index there. */
function creationStatement(block: Block, site: Expression): { suite: readonly Statement[]; index: number } | undefined {
  const statements = block.statements;
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index];
    if (site.from < statement.from || site.to > statement.to) continue;
    if (statement.kind === 'Assign' && statement.value && unparenthesize(statement.value) === site) return { suite: statements, index };
    if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') return undefined;
    for (const nested of statementBlocks(statement)) {
      const found = creationStatement(nested, site);
      if (found) return found;
    }
    return undefined;
  }
  return undefined;
}

/** Whether a statement mentions `name`: directly (`yes`), only inside a nested def or lambda (`nested`), or not. */
function mentions(statement: Statement, name: string): 'yes' | 'nested' | 'no' {
  let found: 'yes' | 'nested' | 'no' = 'no';
  const expression = (root: Expression, nested: boolean): void =>
    walkExpression(root, (node) => {
      if (node.kind === 'Name' && node.name === name) found = nested ? 'nested' : found === 'nested' ? 'nested' : 'yes';
      if (node.kind === 'Lambda') {
        expression(node.body, true);
        return false;
      }
      return true;
    });
  const visit = (current: Statement, nested: boolean): void => {
    if (current.kind === 'Error') {
      found = 'nested';
      return;
    }
    if ((current.kind === 'Global' || current.kind === 'Nonlocal') && current.names.some((identifier) => identifier.name === name)) {
      found = 'nested';
    }
    for (const inner of statementExpressions(current)) expression(inner, nested);
    const inside = nested || current.kind === 'FunctionDef' || current.kind === 'ClassDef';
    for (const block of statementBlocks(current)) for (const child of block.statements) visit(child, inside);
  };
  visit(statement, false);
  return found;
}

/** How often `name` appears anywhere in the statements, nested functions and lambdas included. */
function countMentions(statements: readonly Statement[], name: string): number {
  let count = 0;
  const expression = (root: Expression): void =>
    walkExpression(root, (node) => {
      if (node.kind === 'Name' && node.name === name) count++;
      if (node.kind === 'Lambda') expression(node.body);
    });
  const visit = (statement: Statement): void => {
    if (statement.kind === 'Error') {
      statement.expressions.forEach(expression);
      statement.statements.forEach(visit);
      return;
    }
    statementExpressions(statement).forEach(expression);
    if ((statement.kind === 'Global' || statement.kind === 'Nonlocal') && statement.names.some((identifier) => identifier.name === name)) count++;
    for (const block of statementBlocks(statement)) block.statements.forEach(visit);
  };
  statements.forEach(visit);
  return count;
}

/** The statement (or one nested in it) binds `name` again or deletes it. */
function rebinds(statement: Statement, name: string): boolean {
  let found = false;
  const target = (expression: Expression): void =>
    walkExpression(expression, (node) => {
      if (node.kind === 'Name' && node.name === name) found = true;
    });
  const visit = (current: Statement): void => {
    switch (current.kind) {
      case 'Assign':
        current.targets.forEach(target);
        break;
      case 'AugAssign':
        target(current.target);
        break;
      case 'Delete':
        current.targets.forEach(target);
        break;
      case 'For':
        target(current.target);
        break;
      case 'With':
        for (const item of current.items) if (item.target) target(item.target);
        break;
      case 'Import':
      case 'ImportFrom':
        if (current.names !== '*' && current.names.some((alias) => (alias.asName?.name ?? alias.name.split('.')[0]) === name)) found = true;
        break;
      case 'FunctionDef':
      case 'ClassDef':
        if (current.name.name === name) found = true;
        return;
      case 'Try':
        if (current.handlers.some((handler) => handler.name?.name === name)) found = true;
        break;
      default:
        break;
    }
    for (const expression of statementExpressions(current)) {
      walkExpression(expression, (node) => {
        if (node.kind === 'Named' && node.target.name === name) found = true;
      });
    }
    for (const block of statementBlocks(current)) block.statements.forEach(visit);
  };
  visit(statement);
  return found;
}

/** Every use of the pool waits for its work, or the range ends with `close()` then `join()`. */
function waitsForItsWork(range: readonly Statement[], name: string): boolean {
  const tail = range.slice(-2).map((statement) => (statement.kind === 'Expression' ? methodCalled(statement.value, name) : undefined));
  if (tail[0] === 'close' && tail[1] === 'join') return true;
  let waits = true;
  const expression = (root: Expression): void =>
    walkExpression(root, (node) => {
      if (node.kind === 'Call') {
        const method = methodCalled(node, name);
        if (method !== undefined) {
          if (!WAITING_POOL_METHODS.has(method)) waits = false;
          for (const argument of node.args) expression(argument.value);
          return false;
        }
      }
      // Any other mention (passed along, aliased, attribute read) could start work that outlives the block.
      if (node.kind === 'Name' && node.name === name) waits = false;
      return waits;
    });
  const visit = (statement: Statement): void => {
    for (const inner of statementExpressions(statement)) expression(inner);
    for (const block of statementBlocks(statement)) block.statements.forEach(visit);
  };
  range.forEach(visit);
  return waits;
}

/** `name.method(...)` → `method`. */
function methodCalled(expression: Expression, name: string): string | undefined {
  const node = unparenthesize(expression);
  if (node.kind !== 'Call') return undefined;
  const callee = unparenthesize(node.callee);
  if (callee.kind !== 'Attribute' || !callee.name) return undefined;
  const receiver = unparenthesize(callee.object);
  return receiver.kind === 'Name' && receiver.name === name ? callee.name.name : undefined;
}

function rewrite(source: SourceFile, creation: Statement, range: readonly Statement[], name: string, site: Expression) {
  const lines = source.lines;
  const unit = indentUnit(source);
  const header = `with ${source.text.slice(site.from, site.to)} as ${name}:`;
  const edits = [{ from: creation.from, to: creation.to, insert: header }];
  const firstLine = lines.lineOf(creation.to) + 1;
  const lastLine = lines.lineOf(range[range.length - 1].to);
  for (let line = firstLine; line <= lastLine; line++) {
    if (lines.lineText(line).trim() === '' || startsInsideString(source, line)) continue;
    const start = lines.lineStart(line);
    edits.push({ from: start, to: start, insert: unit });
  }
  return edits;
}
