// What the analysis of one document keeps from one version to the next (see `moduleUnits.ts`):
// the scope tree, whose units carry their facts. Each new version re-uses the units of the
// unchanged top-level statements and invalidates the resolution facts of every unit that may
// see a difference:
//
// A unit's facts can only depend on another unit through a name: its code names something the
// module scope binds elsewhere, and resolution follows that binding into the other unit's code
// (and from there, by the names that code uses, further). So the names the changed units bind
// (before and after the change) are "changed"; a kept unit that mentions a changed name is
// invalidated, and the names it binds become changed too, until nothing more changes. To be
// safe the set is generous: every name a unit binds in the module scope, every def and class
// name in it (some analyses look such names up wherever they are), and every `as` name of the
// text (the lifecycle analysis pre-selects calls by them). A changed star import invalidates
// everything.

import type { SourceFile, Statement } from '../parser';
import { forEachStatementName } from '../parser/visit';
import { factKey, type ModuleUnit } from './moduleUnits';
import { type ModuleIdentity, sameIdentity, ScopeTree } from './scopes';

const MENTIONED_NAMES = factKey<ReadonlySet<string>>('mentioned names');
const BOUND_NAMES = factKey<ReadonlySet<string>>('bound names');

/** `as name` anywhere in the text (imports, and `with`/`except` targets): see CreationSearch. */
const AS_NAME = /\bas\s+([A-Za-z_][A-Za-z0-9_]*)/g;

export class AnalysisCache {
  private tree: ScopeTree | undefined;
  private source: SourceFile | undefined;
  private asNames: ReadonlySet<string> | undefined;
  /** Numbers the lifecycle analysis's tracked objects: unique across versions, as cached objects live on. */
  private objectCount = 0;

  /**
   * The scope tree of `source`: the previous version's units re-used where the statements are
   * unchanged, their resolution facts invalidated where a change may reach them.
   */
  scopeTree(source: SourceFile, identity: ModuleIdentity | undefined): ScopeTree {
    if (this.tree !== undefined && this.source === source && sameIdentity(this.tree.identity, identity)) return this.tree;
    const previous = this.tree;
    const tree = new ScopeTree(source.module, identity, previous);
    const asNames = textAsNames(source.text);
    if (tree.added.length < tree.units.length) invalidate(tree, asNames, this.asNames);
    this.tree = tree;
    this.source = source;
    this.asNames = asNames;
    return tree;
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

function invalidate(tree: ScopeTree, asNames: ReadonlySet<string>, previousAsNames: ReadonlySet<string> | undefined): void {
  const changed = new Set<string>();
  const added = new Set(tree.added);
  let everything = previousAsNames === undefined;
  for (const unit of [...tree.added, ...tree.removed]) {
    if (unit.scopes.starImports.length > 0) everything = true;
    for (const name of boundNames(unit)) changed.add(name);
  }
  for (const name of asNames) if (!previousAsNames?.has(name)) changed.add(name);
  for (const name of previousAsNames ?? []) if (!asNames.has(name)) changed.add(name);
  let pending = tree.units.filter((unit) => !added.has(unit));
  if (everything) {
    for (const unit of pending) unit.invalidate();
    return;
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
      for (const name of boundNames(unit)) {
        if (changed.has(name)) continue;
        changed.add(name);
        grew = true;
      }
    }
    if (!grew) return;
    pending = clean;
  }
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

/** Names the unit binds in the module scope, and every def and class name in it. */
function boundNames(unit: ModuleUnit): ReadonlySet<string> {
  return unit.syntax(BOUND_NAMES, () => {
    const names = new Set<string>();
    for (const [name] of unit.scopes.moduleBindings) names.add(name);
    for (const [owner] of unit.scopes.owned) {
      if ('kind' in owner && (owner.kind === 'FunctionDef' || owner.kind === 'ClassDef')) names.add(owner.name.name);
    }
    return names;
  });
}
