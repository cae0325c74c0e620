// Finds, from a module's text, the code bodies that may hold a call creating a tracked object,
// so that the lifecycle analysis never walks the rest of a large module.

import type { ClassDefinition, Expression } from '../../parser';
import { unparenthesize } from '../../parser';
import type { CodeBody } from '../flow';
import type { Scope, ScopeTree } from '../scopes';
import { TRACKED_CONSTRUCTORS } from './trackedApi';

export class CreationSearch {
  private readonly aliasCache = new Map<Scope, Map<string, boolean>>();

  constructor(
    private readonly scopes: ScopeTree,
    private readonly text: string,
  ) {}

  /**
   * The bodies whose own code may hold a creating call, with where those calls start. Found
   * from the text, so that the rest of a large module is never walked: a constructor's name
   * (`Pool`, `Queue`…), a module-level name or a class name, followed by `(`. A bare name must
   * be bound (where the call is) by an import from multiprocessing/concurrent.futures, a class
   * statement, or an assignment of one of those (`P = mp.Pool`, `ctx = mp.get_context()`); a
   * dotted callee must end in a constructor's name and start with such a name or a call
   * (`get_context().Pool(`) — so `self.Process(` in a test suite does not count. A body is
   * selected when a match lies in its suite, and so is the body around it (decorators and
   * defaults run there).
   */
  bodiesWithCandidateCalls(bodies: readonly CodeBody[]): Map<CodeBody, number[]> {
    const selected = new Map<CodeBody, number[]>();
    const select = (body: CodeBody, offset: number): void => {
      const list = selected.get(body);
      if (list === undefined) selected.set(body, [offset]);
      else if (list[list.length - 1] !== offset) list.push(offset);
    };
    const interesting = new Set<string>(CONSTRUCTOR_NAMES);
    for (const name of this.scopes.moduleScope.bindings.keys()) interesting.add(name);
    for (const body of bodies) if (body.scope.kind === 'class') interesting.add((body.owner as ClassDefinition).name.name);
    // Names imported under another name anywhere, functions included (`from multiprocessing
    // import Pool as P` inside a test). Every `as name` in the text is taken (`with`/`except`
    // targets too): this only narrows which calls are looked at closely.
    for (const match of this.text.matchAll(AS_NAME)) interesting.add(match[1]);
    const starImports = this.scopes.moduleScope.starImports.length > 0;
    const matches: { name: string; at: number; root: string | undefined }[] = [];
    forEachCalledName(this.text, interesting, (name, at) => {
      const root = dottedRoot(this.text, at);
      if (root === undefined || CONSTRUCTOR_NAMES.has(name)) matches.push({ name, at, root });
    });
    if (matches.length === 0) return selected;
    // Bodies nest like brackets; sweep the sorted matches with a stack of the open suites.
    const parents = new Map<CodeBody, CodeBody | undefined>();
    const ordered = [...bodies].sort((a, b) => a.block.from - b.block.from || b.block.to - a.block.to);
    const open: CodeBody[] = [];
    let next = 0;
    for (const { name, at, root } of matches) {
      while (next < ordered.length && ordered[next].block.from <= at) {
        const body = ordered[next++];
        while (open.length > 0 && open[open.length - 1].block.to < body.block.from) open.pop();
        parents.set(body, open[open.length - 1]);
        open.push(body);
      }
      while (open.length > 0 && open[open.length - 1].block.to < at) open.pop();
      const innermost = open[open.length - 1];
      if (innermost === undefined) continue;
      const scope = innermost.scope;
      const accepted =
        root === undefined
          ? this.aliasLike(name, scope, 0) || (starImports && CONSTRUCTOR_NAMES.has(name) && scope.lookup(name) === undefined)
          : root === ')' || this.aliasLike(root, scope, 0);
      if (!accepted) continue;
      select(innermost, at);
      const parent = parents.get(innermost);
      if (parent) select(parent, at);
    }
    return selected;
  }

  /**
   * Whether `name`, used in `scope`, is bound to something that can lead to a tracked
   * constructor: an import from multiprocessing or concurrent(.futures), a class, or an
   * assignment of such a thing (followed a few steps).
   */
  private aliasLike(name: string, scope: Scope, depth: number): boolean {
    const owner = scope.lookup(name);
    if (owner === undefined || depth > 8) return false;
    let known = this.aliasCache.get(owner);
    if (known === undefined) {
      known = new Map();
      this.aliasCache.set(owner, known);
    }
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    known.set(name, false);
    let result = false;
    for (const binding of owner.bindings.get(name) ?? []) {
      if (binding.kind === 'import' || binding.kind === 'importFrom') {
        const qualified = binding.kind === 'import' ? binding.module : binding.qualifiedName;
        result = qualified !== undefined && PROCESS_PACKAGES.test(qualified);
      } else if (binding.kind === 'class') {
        result = true;
      } else if (binding.kind === 'assignment' && binding.value !== undefined) {
        const root = expressionRoot(binding.value);
        result = root !== undefined && root !== name && (CONSTRUCTOR_NAMES.has(root) || this.aliasLike(root, binding.site, depth + 1));
      }
      if (result) break;
    }
    known.set(name, result);
    return result;
  }
}

/**
 * For a name at `at` in `text`: the first name of the dotted callee it ends (`mp` for
 * `mp.pool.Pool`), `)` when the chain starts with a call's result, or undefined when the name
 * stands alone.
 */
function dottedRoot(text: string, at: number): string | undefined {
  let root: string | undefined;
  let index = at;
  for (;;) {
    let before = index - 1;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--;
    if (before < 0 || text[before] !== '.') return root;
    before--;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--;
    if (before >= 0 && text[before] === ')') return ')';
    let start = before;
    while (start >= 0 && /[A-Za-z0-9_]/.test(text[start])) start--;
    if (start === before) return root ?? '.';
    root = text.slice(start + 1, before + 1);
    index = start + 1;
  }
}

/** The last component of every tracked constructor's name: `Pool`, `Process`, `Queue`… */
const CONSTRUCTOR_NAMES: ReadonlySet<string> = new Set([...TRACKED_CONSTRUCTORS.keys()].map((name) => name.slice(name.lastIndexOf('.') + 1)));

/** Modules whose members can create tracked objects. */
/** `as name`, in imports (and `with`/`except`, harmlessly). */
const AS_NAME = /\bas\s+([A-Za-z_][A-Za-z0-9_]*)/g;

export const PROCESS_PACKAGES = /^(multiprocessing|concurrent)(\.|$)/;

/** The first name of a dotted expression or call chain: `mp` for `mp.get_context("spawn").Pool`. */
function expressionRoot(expression: Expression): string | undefined {
  let node = unparenthesize(expression);
  for (let steps = 0; steps < 50; steps++) {
    if (node.kind === 'Name') return node.name;
    if (node.kind === 'Attribute') node = unparenthesize(node.object);
    else if (node.kind === 'Call') node = unparenthesize(node.callee);
    else return undefined;
  }
  return undefined;
}

/**
 * Calls `visit(name, offset)` for every identifier of `names` in `text` followed (after spaces)
 * by `(`. A hand-written scan (a regular expression over a large module costs several times
 * more); identifiers whose first character or length no name has are not even sliced.
 */
function forEachCalledName(text: string, names: ReadonlySet<string>, visit: (name: string, at: number) => void): void {
  const firsts = new Set<number>();
  const lengths = new Set<number>();
  for (const name of names) {
    firsts.add(name.charCodeAt(0));
    lengths.add(name.length);
  }
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (!isIdentifierStart(code)) {
      index++;
      continue;
    }
    const start = index;
    while (index < length && isIdentifierPart(text.charCodeAt(index))) index++;
    if (!firsts.has(code) || !lengths.has(index - start)) continue;
    let after = index;
    while (after < length && (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9)) after++;
    if (after >= length || text.charCodeAt(after) !== 40 /* ( */) continue;
    const name = text.slice(start, index);
    if (names.has(name)) visit(name, start);
  }
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}
