// What the analysis of one document keeps from one version to the next (see `moduleUnits.ts`):
// the scope tree, whose units carry their facts. Each new version re-uses the units of the
// unchanged top-level statements and drops the facts that may have changed:
//
// - Resolution. A unit's code can only reach another unit through a name of the module scope:
//   resolution follows the name's bindings into the unit that made them (and from there, by the
//   names that code uses, further). So the module-scope names the changed units bind (before
//   and after the change, `global` names of their functions included) are "changed"; a kept
//   unit that mentions a changed name loses its resolution facts, and the module-scope names it
//   binds become changed too, until nothing more changes. A changed star import reaches every
//   name: then every unit starts over.
// - Name filters (see `NameFilter`). A name that enters or leaves one of those sets (a def
//   named `f` appears where there was none) drops the facts that consult the set from the units
//   that mention the name.

import type { SourceFile, Statement } from '../parser';
import { forEachStatementName } from '../parser/visit';
import { factKey, type ModuleUnit, type NameFilter } from './moduleUnits';
import { type ModuleIdentity, sameIdentity, ScopeTree } from './scopes';

const MENTIONED_NAMES = factKey<ReadonlySet<string>>('mentioned names');
const MODULE_NAMES = factKey<ReadonlySet<string>>('module names bound');
const DEF_NAMES = factKey<readonly string[]>('def names');
const CLASS_NAMES = factKey<readonly string[]>('class names');

/** `as name` anywhere in the text (imports, and `with`/`except` targets): see CreationSearch. */
const AS_NAME = /\bas\s+([A-Za-z_][A-Za-z0-9_]*)/g;

export class AnalysisCache {
  private tree: ScopeTree | undefined;
  private source: SourceFile | undefined;
  private asNamesOfSource: ReadonlySet<string> | undefined;
  /** How many defs, and how many classes, bear each name (across all units of the current version). */
  private readonly defCounts = new Map<string, number>();
  private readonly classCounts = new Map<string, number>();
  /** Numbers the lifecycle analysis's tracked objects: unique across versions, as cached objects live on. */
  private objectCount = 0;

  /**
   * The scope tree of `source`: the previous version's units re-used where the statements are
   * unchanged, their facts dropped where a change may reach them.
   */
  scopeTree(source: SourceFile, identity: ModuleIdentity | undefined): ScopeTree {
    if (this.tree !== undefined && this.source === source && sameIdentity(this.tree.identity, identity)) return this.tree;
    const tree = new ScopeTree(source.module, identity, this.tree);
    const asNames = textAsNames(source.text);
    const fresh = tree.added.length === tree.units.length;
    if (fresh) {
      this.defCounts.clear();
      this.classCounts.clear();
    }
    const definedDelta = new Set<string>();
    const classDelta = new Set<string>();
    for (const unit of fresh ? [] : tree.removed) {
      count(this.defCounts, unit.syntax(DEF_NAMES, () => ownerNames(unit, 'FunctionDef')), -1, definedDelta);
      count(this.classCounts, unit.syntax(CLASS_NAMES, () => ownerNames(unit, 'ClassDef')), -1, classDelta);
    }
    for (const unit of tree.added) {
      count(this.defCounts, unit.syntax(DEF_NAMES, () => ownerNames(unit, 'FunctionDef')), 1, definedDelta);
      count(this.classCounts, unit.syntax(CLASS_NAMES, () => ownerNames(unit, 'ClassDef')), 1, classDelta);
    }
    if (!fresh) {
      const previousAsNames = this.asNamesOfSource ?? new Set<string>();
      for (const name of asNames) if (!previousAsNames.has(name)) classDelta.add(name);
      for (const name of previousAsNames) if (!asNames.has(name)) classDelta.add(name);
      const kept = invalidateResolution(tree);
      forgetFiltered(kept, definedDelta, 'defined functions');
      forgetFiltered(kept, classDelta, 'classes and as names');
    }
    this.tree = tree;
    this.source = source;
    this.asNamesOfSource = asNames;
    return tree;
  }

  /** Every `as name` in the text of `source` (see CreationSearch). */
  asNames(source: SourceFile): ReadonlySet<string> {
    return this.source === source && this.asNamesOfSource !== undefined ? this.asNamesOfSource : textAsNames(source.text);
  }

  nextObjectId(): number {
    return this.objectCount++;
  }
}

function textAsNames(text: string): ReadonlySet<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(AS_NAME)) names.add(match[1]);
  return names;
}

/** Adds `step` to each name's count; names whose count leaves or reaches zero go to `delta`. */
function count(counts: Map<string, number>, names: readonly string[], step: number, delta: Set<string>): void {
  for (const name of names) {
    const before = counts.get(name) ?? 0;
    const after = before + step;
    if (after === 0) counts.delete(name);
    else counts.set(name, after);
    if ((before === 0) !== (after === 0)) delta.add(name);
  }
}

/** Drops the resolution facts of the kept units a change may reach; returns the units that keep theirs. */
function invalidateResolution(tree: ScopeTree): ModuleUnit[] {
  const added = new Set(tree.added);
  let pending = tree.units.filter((unit) => !added.has(unit));
  const changed = new Set<string>();
  for (const unit of [...tree.added, ...tree.removed]) {
    if (unit.scopes.starImports.length > 0) {
      for (const kept of pending) kept.invalidate();
      return [];
    }
    for (const name of moduleNames(unit)) changed.add(name);
  }
  while (changed.size > 0 && pending.length > 0) {
    const clean: ModuleUnit[] = [];
    let grew = false;
    for (const unit of pending) {
      if (!mentionsAny(unit, changed)) {
        clean.push(unit);
        continue;
      }
      unit.invalidate();
      for (const name of moduleNames(unit)) {
        if (changed.has(name)) continue;
        changed.add(name);
        grew = true;
      }
    }
    pending = clean;
    if (!grew) break;
  }
  return pending;
}

function forgetFiltered(units: readonly ModuleUnit[], delta: ReadonlySet<string>, filter: NameFilter): void {
  if (delta.size === 0) return;
  for (const unit of units) if (mentionsAny(unit, delta)) unit.forget(filter);
}

function mentionsAny(unit: ModuleUnit, names: ReadonlySet<string>): boolean {
  const mentioned = unit.syntax(MENTIONED_NAMES, () => mentionedNames(unit.statement));
  if (mentioned.size < names.size) {
    for (const name of mentioned) if (names.has(name)) return true;
    return false;
  }
  for (const name of names) if (mentioned.has(name)) return true;
  return false;
}

function mentionedNames(statement: Statement): ReadonlySet<string> {
  const names = new Set<string>();
  forEachStatementName(statement, (name) => names.add(name));
  return names;
}

/** The names the unit binds in the module scope (its own top-level code and `global` names of its functions). */
function moduleNames(unit: ModuleUnit): ReadonlySet<string> {
  return unit.syntax(MODULE_NAMES, () => new Set(unit.scopes.moduleBindings.map(([name]) => name)));
}

function ownerNames(unit: ModuleUnit, kind: 'FunctionDef' | 'ClassDef'): string[] {
  const names: string[] = [];
  for (const [owner] of unit.scopes.owned) if ('kind' in owner && owner.kind === kind) names.push(owner.name.name);
  return names;
}
