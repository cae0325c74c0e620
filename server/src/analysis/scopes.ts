// Python's scopes and the names bound in each: module, function, class, lambda and
// comprehension scopes, with every binding site of every name (imports, assignments, defs,
// loop/with/except targets, parameters…). Resolution (`resolver.ts`) asks this which bindings a
// name use can see.

import type {
  Block,
  ClassDefinition,
  ComprehensionClause,
  ComprehensionExpression,
  ExceptHandler,
  Expression,
  ForStatement,
  FunctionDefinition,
  Identifier,
  ImportAlias,
  ImportFromStatement,
  ImportStatement,
  LambdaExpression,
  Module,
  NamedExpression,
  Parameter,
  Statement,
  WithItem,
} from '../parser';
import { forEachExpressionChild, forEachStatementExpression, statementBlocks } from '../parser';
import { ModuleUnit, type UnitScopes } from './moduleUnits';

export type ScopeKind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

export type ScopeOwner = Module | FunctionDefinition | ClassDefinition | LambdaExpression | ComprehensionExpression;

/** One place that binds a name, and the scope whose code runs it (`site`). */
export type Binding = BindingKind & { readonly site: Scope };

export type BindingKind =
  /** `import a.b` binds `a` to module `a`; `import a.b as c` binds `c` to module `a.b`. */
  | { readonly kind: 'import'; readonly module: string; readonly alias: ImportAlias; readonly statement: ImportStatement }
  /** `from m import x`; `qualifiedName` is undefined for a relative import of an unknown package. */
  | {
      readonly kind: 'importFrom';
      readonly qualifiedName: string | undefined;
      readonly alias: ImportAlias;
      readonly statement: ImportFromStatement;
    }
  /** `name = value` (value set only when the name is the whole target, not unpacked). */
  | { readonly kind: 'assignment'; readonly name: Identifier; readonly value: Expression | undefined; readonly statement: Statement }
  | { readonly kind: 'augmentedAssignment'; readonly name: Identifier; readonly statement: Statement }
  | { readonly kind: 'function'; readonly name: Identifier; readonly definition: FunctionDefinition }
  | { readonly kind: 'class'; readonly name: Identifier; readonly definition: ClassDefinition }
  | { readonly kind: 'parameter'; readonly name: Identifier; readonly parameter: Parameter }
  | { readonly kind: 'loopTarget'; readonly name: Identifier; readonly loop: ForStatement | ComprehensionClause }
  /** `with context as name` (`whole`: the target is exactly the name, not a tuple). */
  | { readonly kind: 'withTarget'; readonly name: Identifier; readonly item: WithItem; readonly whole: boolean }
  | { readonly kind: 'exceptTarget'; readonly name: Identifier; readonly handler: ExceptHandler }
  | { readonly kind: 'namedExpression'; readonly name: Identifier; readonly expression: NamedExpression }
  | { readonly kind: 'matchCapture'; readonly name: Identifier }
  | { readonly kind: 'typeAlias'; readonly name: Identifier }
  /** `del name` — after it the name is unbound, so it counts as one more binding site. */
  | { readonly kind: 'deletion'; readonly name: Identifier };

export interface StarImport {
  /** Absolute module name, undefined for a relative import of an unknown package. */
  readonly module: string | undefined;
  readonly statement: ImportFromStatement;
}

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  /** Names declared `global` here: their bindings live in the module scope. */
  readonly globalNames = new Set<string>();
  /** Names declared `nonlocal` here: their bindings live in an enclosing function scope. */
  readonly nonlocalNames = new Set<string>();
  readonly starImports: StarImport[] = [];
  readonly children: Scope[] = [];
  private ownerNode: ScopeOwner;

  constructor(
    readonly kind: ScopeKind,
    owner: ScopeOwner,
    readonly parent: Scope | undefined,
  ) {
    this.ownerNode = owner;
    parent?.children.push(this);
  }

  get owner(): ScopeOwner {
    return this.ownerNode;
  }

  /**
   * Empties a module scope for the next version of its module. The scopes and bindings of
   * unchanged top-level statements keep pointing at this object, so it outlives one version.
   */
  resetForModule(module: Module): void {
    this.ownerNode = module;
    this.bindings.clear();
    this.starImports.length = 0;
    this.children.length = 0;
  }

  get module(): Scope {
    let scope: Scope = this;
    while (scope.parent) scope = scope.parent;
    return scope;
  }

  /** The scope a binding of `name` made in this scope really goes to (`global`, `nonlocal`). */
  bindingTarget(name: string): Scope {
    if (this.globalNames.has(name)) return this.module;
    if (this.nonlocalNames.has(name)) {
      for (let scope = this.parent; scope; scope = scope.parent) {
        if (scope.kind === 'function' || scope.kind === 'lambda') {
          if (scope.bindings.has(name) || !scope.nonlocalNames.has(name)) return scope;
        }
      }
    }
    return this;
  }

  /**
   * The scope whose bindings a use of `name` here sees, following Python's rules: this scope,
   * then enclosing function scopes (class bodies are not visible from nested functions), then
   * the module. Undefined when no scope binds it (a builtin, or a typo).
   */
  lookup(name: string): Scope | undefined {
    if (this.globalNames.has(name)) return this.module.bindings.has(name) ? this.module : undefined;
    if (this.bindings.has(name) && !this.nonlocalNames.has(name)) return this;
    for (let scope = this.parent; scope; scope = scope.parent) {
      if (scope.kind === 'class') continue;
      if (scope.bindings.has(name)) return scope;
    }
    return undefined;
  }

  addBinding(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(binding);
    else this.bindings.set(name, [binding]);
  }
}

/** Where the analysed module sits in its package, for relative imports. */
export interface ModuleIdentity {
  /** Dotted module name, e.g. `multiprocessing.pool`. */
  readonly name: string;
  /** The file is a package's `__init__.py`. */
  readonly isPackage: boolean;
}

export class ScopeTree {
  readonly moduleScope: Scope;
  /** One unit per top-level statement, in order. */
  readonly units: readonly ModuleUnit[];
  /** Units made for this version (new or moved statements) and units of the previous version it no longer has. */
  readonly added: readonly ModuleUnit[];
  readonly removed: readonly ModuleUnit[];
  private readonly owned: Map<ScopeOwner, Scope>;

  /**
   * With `previous` (the tree of the document's previous version, same identity), the units of
   * top-level statements that are still there, in the same order, are re-used with their
   * scopes: only new statements are walked, and the module scope is rebuilt from the units'
   * recorded contributions. `previous` must not be used afterwards.
   */
  constructor(
    readonly module: Module,
    readonly identity: ModuleIdentity | undefined,
    previous?: ScopeTree,
  ) {
    const reusable = previous !== undefined && sameIdentity(previous.identity, identity) ? previous : undefined;
    if (reusable) {
      this.moduleScope = reusable.moduleScope;
      this.moduleScope.resetForModule(module);
      this.owned = reusable.owned;
      this.owned.delete(reusable.module);
    } else {
      this.moduleScope = new Scope('module', module, undefined);
      this.owned = new Map();
    }
    this.owned.set(module, this.moduleScope);
    const previousIndex = new Map<Statement, number>();
    reusable?.units.forEach((unit, index) => previousIndex.set(unit.statement, index));
    const units: ModuleUnit[] = [];
    const added: ModuleUnit[] = [];
    const kept = new Set<ModuleUnit>();
    const builder = new ScopeBuilder(identity);
    // A statement is re-used only in its old order: one that moved past others becomes new.
    let lastIndex = -1;
    for (const statement of module.body.statements) {
      const index = previousIndex.get(statement);
      if (index !== undefined && index > lastIndex) {
        lastIndex = index;
        const unit = reusable!.units[index];
        kept.add(unit);
        units.push(unit);
        replay(this.moduleScope, unit.scopes);
        continue;
      }
      const unit = new ModuleUnit(statement);
      unit.scopes = builder.unit(statement, this.moduleScope);
      for (const [owner, scope] of unit.scopes.owned) this.owned.set(owner, scope);
      units.push(unit);
      added.push(unit);
    }
    const removed = reusable ? reusable.units.filter((unit) => !kept.has(unit)) : [];
    for (const unit of removed) {
      for (const [owner, scope] of unit.scopes.owned) if (this.owned.get(owner) === scope) this.owned.delete(owner);
    }
    this.units = units;
    this.added = added;
    this.removed = removed;
  }

  /** The scope a def, class, lambda or comprehension opens. */
  scopeOf(owner: ScopeOwner): Scope | undefined {
    return this.owned.get(owner);
  }

  /**
   * The parts of a comprehension with the scope each runs in, in evaluation order: the first
   * iterable in the enclosing `scope`, the targets, other iterables, conditions and the element
   * inside the comprehension's own.
   */
  forEachComprehensionPart(node: ComprehensionExpression, scope: Scope, each: (part: Expression, scope: Scope) => void): void {
    const inner = this.scopeOf(node) ?? scope;
    for (let index = 0; index < node.clauses.length; index++) {
      const clause = node.clauses[index];
      if (clause.target) each(clause.target, inner);
      each(clause.expression, index === 0 ? scope : inner);
    }
    each(node.element, inner);
    if (node.value) each(node.value, inner);
  }

  /** The unit whose top-level statement contains `offset` (the last one starting at or before it). */
  unitAt(offset: number): ModuleUnit | undefined {
    let low = 0;
    let high = this.units.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.units[middle].statement.from <= offset) low = middle + 1;
      else high = middle;
    }
    const unit = low > 0 ? this.units[low - 1] : undefined;
    return unit !== undefined && offset <= unit.statement.to ? unit : undefined;
  }
}

export function sameIdentity(a: ModuleIdentity | undefined, b: ModuleIdentity | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.name === b.name && a.isPackage === b.isPackage);
}

/** Adds a re-used unit's contributions to a module scope rebuilt for a new version. */
function replay(moduleScope: Scope, unit: UnitScopes): void {
  for (const [name, binding] of unit.moduleBindings) moduleScope.addBinding(name, binding);
  for (const star of unit.starImports) moduleScope.starImports.push(star);
  for (const child of unit.children) moduleScope.children.push(child);
}

/** Resolves `from ..x import y` to an absolute module name, when the package is known. */
export function absoluteImportModule(
  statement: ImportFromStatement,
  identity: ModuleIdentity | undefined,
): string | undefined {
  if (statement.level === 0) return statement.module;
  if (identity === undefined) return undefined;
  const parts = identity.name.split('.');
  const packageParts = identity.isPackage ? parts : parts.slice(0, -1);
  const keep = packageParts.length - (statement.level - 1);
  if (keep <= 0) return undefined;
  const base = packageParts.slice(0, keep).join('.');
  return statement.module ? `${base}.${statement.module}` : base;
}

interface MutableUnitScopes {
  moduleBindings: (readonly [string, Binding])[];
  starImports: StarImport[];
  children: Scope[];
  owned: (readonly [ScopeOwner, Scope])[];
}

class ScopeBuilder {
  /** What the unit being built adds to the module scope. */
  private record!: MutableUnitScopes;
  private moduleScope!: Scope;

  constructor(private readonly identity: ModuleIdentity | undefined) {}

  /** Builds the scopes of one top-level statement into `moduleScope`, recording what it adds there. */
  unit(statement: Statement, moduleScope: Scope): UnitScopes {
    this.moduleScope = moduleScope;
    this.record = { moduleBindings: [], starImports: [], children: [], owned: [] };
    this.statement(statement, moduleScope);
    return this.record;
  }

  private open(kind: ScopeKind, owner: ScopeOwner, parent: Scope): Scope {
    const scope = new Scope(kind, owner, parent);
    this.record.owned.push([owner, scope]);
    if (parent === this.moduleScope) this.record.children.push(scope);
    return scope;
  }

  block(block: Block, scope: Scope): void {
    for (const statement of block.statements) this.statement(statement, scope);
  }

  private statement(statement: Statement, scope: Scope): void {
    switch (statement.kind) {
      case 'Import':
        for (const alias of statement.names) {
          if (alias.asName) {
            this.bind(scope, alias.asName.name, { kind: 'import', module: alias.name, alias, statement });
          } else {
            const top = alias.name.split('.')[0];
            this.bind(scope, top, { kind: 'import', module: top, alias, statement });
          }
        }
        return;
      case 'ImportFrom': {
        const module = absoluteImportModule(statement, this.identity);
        if (statement.names === '*') {
          const star = { module, statement };
          scope.starImports.push(star);
          if (scope === this.moduleScope) this.record.starImports.push(star);
          return;
        }
        for (const alias of statement.names) {
          const local = alias.asName?.name ?? alias.name;
          const qualifiedName = module === undefined ? undefined : `${module}.${alias.name}`;
          this.bind(scope, local, { kind: 'importFrom', qualifiedName, alias, statement });
        }
        return;
      }
      case 'Assign':
        for (const target of statement.targets) {
          this.expression(target, scope);
          this.bindTarget(target, scope, (name, whole) => ({
            kind: 'assignment',
            name,
            value: whole ? statement.value : undefined,
            statement,
          }));
        }
        if (statement.annotation) this.expression(statement.annotation, scope);
        if (statement.value) this.expression(statement.value, scope);
        return;
      case 'AugAssign':
        this.expression(statement.target, scope);
        this.expression(statement.value, scope);
        if (statement.target.kind === 'Name') {
          this.bind(scope, statement.target.name, { kind: 'augmentedAssignment', name: statement.target, statement });
        }
        return;
      case 'For':
        this.expression(statement.iterable, scope);
        this.bindTarget(statement.target, scope, (name) => ({ kind: 'loopTarget', name, loop: statement }));
        this.block(statement.body, scope);
        if (statement.orElse) this.block(statement.orElse, scope);
        return;
      case 'With':
        for (const item of statement.items) {
          this.expression(item.context, scope);
          if (item.target) {
            this.bindTarget(item.target, scope, (name, whole) => ({ kind: 'withTarget', name, item, whole }));
          }
        }
        this.block(statement.body, scope);
        return;
      case 'Try':
        this.block(statement.body, scope);
        for (const handler of statement.handlers) {
          if (handler.type) this.expression(handler.type, scope);
          if (handler.name) this.bind(scope, handler.name.name, { kind: 'exceptTarget', name: handler.name, handler });
          this.block(handler.body, scope);
        }
        if (statement.orElse) this.block(statement.orElse, scope);
        if (statement.finalBody) this.block(statement.finalBody, scope);
        return;
      case 'FunctionDef': {
        this.ownExpressions(statement, scope);
        if (statement.name.name) {
          this.bind(scope, statement.name.name, { kind: 'function', name: statement.name, definition: statement });
        }
        const inner = this.open('function', statement, scope);
        this.declareScopeStatements(statement.body, inner);
        this.parameters(statement.parameters, inner);
        this.block(statement.body, inner);
        return;
      }
      case 'ClassDef': {
        this.ownExpressions(statement, scope);
        if (statement.name.name) {
          this.bind(scope, statement.name.name, { kind: 'class', name: statement.name, definition: statement });
        }
        const inner = this.open('class', statement, scope);
        this.declareScopeStatements(statement.body, inner);
        this.block(statement.body, inner);
        return;
      }
      case 'Delete':
        for (const target of statement.targets) this.expression(target, scope);
        for (const target of statement.targets) {
          this.bindTarget(target, scope, (name) => ({ kind: 'deletion', name }));
        }
        return;
      case 'Match':
        this.expression(statement.subject, scope);
        for (const matchCase of statement.cases) {
          for (const capture of matchCase.captures) this.bind(scope, capture.name, { kind: 'matchCapture', name: capture });
          if (matchCase.guard) this.expression(matchCase.guard, scope);
          this.block(matchCase.body, scope);
        }
        return;
      case 'TypeAlias':
        this.bind(scope, statement.name.name, { kind: 'typeAlias', name: statement.name });
        this.expression(statement.value, scope);
        return;
      case 'Global':
      case 'Nonlocal':
        // Collected up front by declareScopeStatements: they apply to the whole scope.
        return;
      case 'Error':
        for (const expression of statement.expressions) this.expression(expression, scope);
        for (const inner of statement.statements) this.statement(inner, scope);
        return;
      default:
        this.ownExpressions(statement, scope);
        for (const nested of statementBlocks(statement)) this.block(nested, scope);
    }
  }

  /** `global`/`nonlocal` anywhere in a scope's own code (not in nested defs) apply to all of it. */
  private declareScopeStatements(block: Block, scope: Scope): void {
    for (const statement of block.statements) {
      if (statement.kind === 'Global') for (const name of statement.names) scope.globalNames.add(name.name);
      else if (statement.kind === 'Nonlocal') for (const name of statement.names) scope.nonlocalNames.add(name.name);
      else if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') continue;
      else if (statement.kind === 'Error') this.declareScopeStatements({ ...block, statements: statement.statements }, scope);
      else for (const nested of statementBlocks(statement)) this.declareScopeStatements(nested, scope);
    }
  }

  private parameters(parameters: readonly Parameter[], scope: Scope): void {
    for (const parameter of parameters) {
      if (parameter.name) this.bind(scope, parameter.name.name, { kind: 'parameter', name: parameter.name, parameter });
    }
  }

  /** Binds every name in an assignment target (`a`, `a, (b, *c)`, `[a, b]`). */
  private bindTarget(target: Expression, scope: Scope, make: (name: Identifier, whole: boolean) => BindingKind): void {
    const visit = (node: Expression, whole: boolean): void => {
      switch (node.kind) {
        case 'Name':
          this.bind(scope, node.name, make(node, whole));
          return;
        case 'Tuple':
        case 'List':
          for (const element of node.elements) visit(element, false);
          return;
        case 'Starred':
          visit(node.value, false);
          return;
        case 'Parenthesized':
          visit(node.inner, whole);
          return;
        default:
          // Attribute and subscript targets bind no name.
          return;
      }
    };
    visit(target, true);
  }

  private bind(scope: Scope, name: string, binding: BindingKind): void {
    // The binding object is fresh at every call site, so it can take its site in place.
    const made = Object.assign(binding, { site: scope });
    const target = scope.bindingTarget(name);
    target.addBinding(name, made);
    if (target === this.moduleScope) this.record.moduleBindings.push([name, made]);
  }

  /** The expressions of a statement itself (not of its suites), in source order. */
  private ownExpressions(statement: Statement, scope: Scope): void {
    forEachStatementExpression(statement, (expression) => this.expression(expression, scope));
  }

  /**
   * Finds the scopes expressions open (lambdas, comprehensions) and walrus bindings, depth-first
   * in source order; every other kind of expression is only walked through.
   */
  private expression(node: Expression, scope: Scope): void {
    switch (node.kind) {
      case 'Lambda': {
        for (const parameter of node.parameters) if (parameter.defaultValue) this.expression(parameter.defaultValue, scope);
        const inner = this.open('lambda', node, scope);
        this.parameters(node.parameters, inner);
        this.expression(node.body, inner);
        return;
      }
      case 'Comprehension':
        this.comprehension(node, scope);
        return;
      case 'Named':
        this.bind(namedExpressionScope(scope), node.target.name, { kind: 'namedExpression', name: node.target, expression: node });
        this.expression(node.value, scope);
        return;
      default:
        forEachExpressionChild(node, (child) => this.expression(child, scope));
    }
  }

  private comprehension(node: ComprehensionExpression, scope: Scope): void {
    const inner = this.open('comprehension', node, scope);
    for (let index = 0; index < node.clauses.length; index++) {
      const clause = node.clauses[index];
      // The first iterable is evaluated in the enclosing scope, everything else inside.
      this.expression(clause.expression, index === 0 ? scope : inner);
      if (clause.kind === 'for' && clause.target) {
        this.bindTarget(clause.target, inner, (name) => ({ kind: 'loopTarget', name, loop: clause }));
      }
    }
    this.expression(node.element, inner);
    if (node.value) this.expression(node.value, inner);
  }
}

/** `:=` inside a comprehension binds in the nearest enclosing non-comprehension scope. */
function namedExpressionScope(scope: Scope): Scope {
  let current = scope;
  while (current.kind === 'comprehension' && current.parent) current = current.parent;
  return current;
}
