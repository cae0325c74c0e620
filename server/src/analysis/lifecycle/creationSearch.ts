// Finds, from a module's text, the code bodies that may hold a call creating a tracked object,
// so that the lifecycle analysis never walks the rest of a large module.

import type { ClassDefinition, Expression, Identifier } from '../../parser';
import { unparenthesize } from '../../parser';
import { type CodeBody, unitBodies } from '../flow/codeBodies';
import { factKey, type ModuleUnit } from '../moduleUnits';
import { unitVisits } from '../scopedWalk';
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
    this.starImports = scopes.moduleScope.starImports.length > 0;
  }

  /**
   * The calls of one unit that may create a tracked object, judged by how they are written so
   * that most calls of a large module are never resolved: the callee is a constructor's name
   * (`Pool`, `Queue`…), a module-level name, a class name or an `as` name, written right before
   * `(`. A bare name must be bound (where the call is) by an import from
   * multiprocessing/concurrent.futures, a class statement, or an assignment of one of those
   * (`P = mp.Pool`, `ctx = mp.get_context()`); a dotted callee must end in a constructor's name
   * and start with such a name or a call (`get_context().Pool(`) — so `self.Process(` in a test
   * suite does not count. Each call belongs to the body whose own code runs it (the module's
   * own code when none of the unit's does); calls in lambda bodies belong to none.
   */
  unitSelection(unit: ModuleUnit): UnitSelection {
    const moduleOffsets: number[] = [];
    const selected = new Map<CodeBody, number[]>();
    const bodies = unit.syntax(BODIES_BY_SCOPE, () => new Map(unitBodies(unit).map((body) => [body.scope, body])));
    const { nodes, scopes: nodeScopes } = unitVisits(unit, this.scopes);
    for (let index = 0; index < nodes.length; index++) {
      const call = nodes[index];
      if (call.kind !== 'Call') continue;
      let owner: Scope | undefined = nodeScopes[index];
      while (owner?.kind === 'comprehension') owner = owner.parent;
      if (owner === undefined || owner.kind === 'lambda') continue;
      const callee = unparenthesize(call.callee);
      const identifier = callee.kind === 'Name' ? callee : callee.kind === 'Attribute' ? callee.name : undefined;
      if (identifier === undefined || !this.interesting.has(identifier.name) || !calledAsWritten(this.text, identifier)) continue;
      const at = identifier.from;
      const name = identifier.name;
      const root = dottedRoot(this.text, at);
      if (root !== undefined && !CONSTRUCTOR_NAMES.has(name)) continue;
      const accepted =
        root === undefined
          ? this.aliasLike(name, owner, 0) || (this.starImports && CONSTRUCTOR_NAMES.has(name) && owner.lookup(name) === undefined)
          : root === ')' || this.aliasLike(root, owner, 0);
      if (!accepted) continue;
      const relative = at - unit.statement.from;
      const body = bodies.get(owner);
      if (body === undefined) moduleOffsets.push(relative);
      else {
        const list = selected.get(body);
        if (list === undefined) selected.set(body, [relative]);
        else list.push(relative);
      }
    }
    for (const list of selected.values()) sortUnique(list);
    return { module: sortUnique(moduleOffsets), bodies: selected };
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
 * Whether the callee's name is written as a plain (ASCII) identifier followed, after spaces or
 * tabs only, by `(`: how the search recognises calls it looks at (see `unitSelection`).
 */
function calledAsWritten(text: string, identifier: Identifier): boolean {
  const { from, to, name } = identifier;
  if (to - from !== name.length || name.length === 0) return false;
  if (!startsScannedIdentifier(text, from)) return false;
  for (let index = from + 1; index < to; index++) if (!isIdentifierPart(text.charCodeAt(index))) return false;
  let after = to;
  while (after < text.length && (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9)) after++;
  return after < text.length && text.charCodeAt(after) === 40 /* ( */ && !isIdentifierPart(text.charCodeAt(to));
}

/**
 * Whether a left-to-right scan of the text that reads `[A-Za-z_][A-Za-z0-9_]*` runs (skipping
 * anything else one character at a time) starts a run at `at`: `at` holds a letter or `_`,
 * and no letter or `_` precedes it in the same stretch of identifier characters.
 */
function startsScannedIdentifier(text: string, at: number): boolean {
  if (!isIdentifierStart(text.charCodeAt(at))) return false;
  for (let index = at - 1; index >= 0 && isIdentifierPart(text.charCodeAt(index)); index--) {
    if (isIdentifierStart(text.charCodeAt(index))) return false;
  }
  return true;
}

function sortUnique(offsets: number[]): number[] {
  offsets.sort((a, b) => a - b);
  let kept = 0;
  for (const offset of offsets) if (kept === 0 || offsets[kept - 1] !== offset) offsets[kept++] = offset;
  offsets.length = kept;
  return offsets;
}

/** Each body of a unit, by the scope its names live in. */
const BODIES_BY_SCOPE = factKey<ReadonlyMap<Scope, CodeBody>>('bodies by scope');

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}
