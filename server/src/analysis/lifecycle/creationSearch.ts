// Finds, from a module's text, the code bodies that may hold a call creating a tracked object,
// so that the lifecycle analysis never walks the rest of a large module.

import type { ClassDefinition, Expression } from '../../parser';
import { unparenthesize } from '../../parser';
import { type CodeBody, unitBodies } from '../flow/codeBodies';
import type { ModuleUnit } from '../moduleUnits';
import type { Scope, ScopeTree } from '../scopes';
import { TRACKED_CONSTRUCTORS } from './trackedApi';

/**
 * Where a unit's code may create tracked objects (see `CreationSearch.unitSelection`). Offsets
 * count from the start of the unit's statement, which moves when text before it changes.
 */
export interface UnitSelection {
  /** Candidate calls in the module's own code (the top-level statement outside its defs and classes). */
  readonly module: readonly number[];
  /** The unit's bodies with candidate calls in their own code, with the offsets of those calls. */
  readonly bodies: ReadonlyMap<CodeBody, readonly number[]>;
}

export class CreationSearch {
  private readonly aliasCache = new Map<Scope, Map<string, boolean>>();
  private readonly interesting: ReadonlySet<string>;
  private readonly firsts = new Set<number>();
  private readonly lengths = new Set<number>();
  private readonly starImports: boolean;

  /**
   * `asNames`: every `as name` of the text (imports under another name anywhere, functions
   * included: `from multiprocessing import Pool as P` inside a test; `with`/`except` targets
   * too, harmlessly: this only narrows which calls are looked at closely).
   */
  constructor(
    private readonly scopes: ScopeTree,
    private readonly text: string,
    asNames: ReadonlySet<string>,
  ) {
    const interesting = new Set<string>(CONSTRUCTOR_NAMES);
    for (const name of scopes.moduleScope.bindings.keys()) interesting.add(name);
    for (const unit of scopes.units) for (const body of unitBodies(unit)) if (body.scope.kind === 'class') interesting.add((body.owner as ClassDefinition).name.name);
    for (const name of asNames) interesting.add(name);
    this.interesting = interesting;
    for (const name of interesting) {
      this.firsts.add(name.charCodeAt(0));
      this.lengths.add(name.length);
    }
    this.starImports = scopes.moduleScope.starImports.length > 0;
  }

  /**
   * The calls of one unit that may create a tracked object, found from its text, so that the
   * rest of a large module is never walked: a constructor's name (`Pool`, `Queue`…), a
   * module-level name or a class name, followed by `(`. A bare name must be bound (where the
   * call is) by an import from multiprocessing/concurrent.futures, a class statement, or an
   * assignment of one of those (`P = mp.Pool`, `ctx = mp.get_context()`); a dotted callee must
   * end in a constructor's name and start with such a name or a call (`get_context().Pool(`)
   * — so `self.Process(` in a test suite does not count. Each match belongs to the innermost
   * body whose suite holds it (the module's own code when none of the unit's does).
   */
  unitSelection(unit: ModuleUnit): UnitSelection {
    const moduleOffsets: number[] = [];
    const selected = new Map<CodeBody, number[]>();
    const matches: { name: string; at: number; root: string | undefined }[] = [];
    forEachCalledName(this.text, unit.statement.from, unit.statement.to, this.interesting, this.firsts, this.lengths, (name, at) => {
      const root = dottedRoot(this.text, at);
      if (root === undefined || CONSTRUCTOR_NAMES.has(name)) matches.push({ name, at, root });
    });
    if (matches.length === 0) return { module: moduleOffsets, bodies: selected };
    // Bodies nest like brackets; sweep the sorted matches with a stack of the open suites.
    const ordered = [...unitBodies(unit)].sort((a, b) => a.block.from - b.block.from || b.block.to - a.block.to);
    const open: CodeBody[] = [];
    let next = 0;
    for (const { name, at, root } of matches) {
      while (next < ordered.length && ordered[next].block.from <= at) {
        const body = ordered[next++];
        while (open.length > 0 && open[open.length - 1].block.to < body.block.from) open.pop();
        open.push(body);
      }
      while (open.length > 0 && open[open.length - 1].block.to < at) open.pop();
      const innermost = open[open.length - 1] as CodeBody | undefined;
      const scope = innermost?.scope ?? this.scopes.moduleScope;
      const accepted =
        root === undefined
          ? this.aliasLike(name, scope, 0) || (this.starImports && CONSTRUCTOR_NAMES.has(name) && scope.lookup(name) === undefined)
          : root === ')' || this.aliasLike(root, scope, 0);
      if (!accepted) continue;
      const relative = at - unit.statement.from;
      if (innermost === undefined) {
        if (moduleOffsets[moduleOffsets.length - 1] !== relative) moduleOffsets.push(relative);
        continue;
      }
      const list = selected.get(innermost);
      if (list === undefined) selected.set(innermost, [relative]);
      else if (list[list.length - 1] !== relative) list.push(relative);
    }
    return { module: moduleOffsets, bodies: selected };
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
 * Calls `visit(name, offset)` for every identifier of `names` in `text` between `from` and `to`
 * followed (after spaces) by `(`. A hand-written scan (a regular expression over a large module
 * costs several times more); identifiers whose first character or length no name has are not
 * even sliced.
 */
function forEachCalledName(
  text: string,
  from: number,
  to: number,
  names: ReadonlySet<string>,
  firsts: ReadonlySet<number>,
  lengths: ReadonlySet<number>,
  visit: (name: string, at: number) => void,
): void {
  const length = text.length;
  let index = from;
  while (index < to) {
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
