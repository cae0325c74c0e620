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
import { statementBlocks, statementExpressions, walkExpression } from '../parser';

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

  constructor(
    readonly kind: ScopeKind,
    readonly owner: ScopeOwner,
    readonly parent: Scope | undefined,
  ) {
    parent?.children.push(this);
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
  private readonly owned = new Map<ScopeOwner, Scope>();

  constructor(
    readonly module: Module,
    readonly identity: ModuleIdentity | undefined,
  ) {
    this.moduleScope = new Scope('module', module, undefined);
    this.owned.set(module, this.moduleScope);
    new ScopeBuilder(this, identity).block(module.body, this.moduleScope);
  }

  /** The scope a def, class, lambda or comprehension opens. */
  scopeOf(owner: ScopeOwner): Scope | undefined {
    return this.owned.get(owner);
  }

  /** @internal used by the builder */
  register(owner: ScopeOwner, scope: Scope): void {
    this.owned.set(owner, scope);
  }
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

class ScopeBuilder {
  constructor(
    private readonly tree: ScopeTree,
    private readonly identity: ModuleIdentity | undefined,
  ) {}

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
          scope.starImports.push({ module, statement });
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
          this.expressions([target], scope);
          this.bindTarget(target, scope, (name, whole) => ({
            kind: 'assignment',
            name,
            value: whole ? statement.value : undefined,
            statement,
          }));
        }
        this.expressions([...optional(statement.annotation), ...optional(statement.value)], scope);
        return;
      case 'AugAssign':
        this.expressions([statement.target, statement.value], scope);
        if (statement.target.kind === 'Name') {
          this.bind(scope, statement.target.name, { kind: 'augmentedAssignment', name: statement.target, statement });
        }
        return;
      case 'For':
        this.expressions([statement.iterable], scope);
        this.bindTarget(statement.target, scope, (name) => ({ kind: 'loopTarget', name, loop: statement }));
        this.block(statement.body, scope);
        if (statement.orElse) this.block(statement.orElse, scope);
        return;
      case 'With':
        for (const item of statement.items) {
          this.expressions([item.context], scope);
          if (item.target) {
            this.bindTarget(item.target, scope, (name, whole) => ({ kind: 'withTarget', name, item, whole }));
          }
        }
        this.block(statement.body, scope);
        return;
      case 'Try':
        this.block(statement.body, scope);
        for (const handler of statement.handlers) {
          if (handler.type) this.expressions([handler.type], scope);
          if (handler.name) this.bind(scope, handler.name.name, { kind: 'exceptTarget', name: handler.name, handler });
          this.block(handler.body, scope);
        }
        if (statement.orElse) this.block(statement.orElse, scope);
        if (statement.finalBody) this.block(statement.finalBody, scope);
        return;
      case 'FunctionDef': {
        this.expressions(statementExpressions(statement), scope);
        if (statement.name.name) {
          this.bind(scope, statement.name.name, { kind: 'function', name: statement.name, definition: statement });
        }
        const inner = new Scope('function', statement, scope);
        this.tree.register(statement, inner);
        this.declareScopeStatements(statement.body, inner);
        this.parameters(statement.parameters, inner);
        this.block(statement.body, inner);
        return;
      }
      case 'ClassDef': {
        this.expressions(statementExpressions(statement), scope);
        if (statement.name.name) {
          this.bind(scope, statement.name.name, { kind: 'class', name: statement.name, definition: statement });
        }
        const inner = new Scope('class', statement, scope);
        this.tree.register(statement, inner);
        this.declareScopeStatements(statement.body, inner);
        this.block(statement.body, inner);
        return;
      }
      case 'Delete':
        this.expressions(statement.targets, scope);
        for (const target of statement.targets) {
          this.bindTarget(target, scope, (name) => ({ kind: 'deletion', name }));
        }
        return;
      case 'Match':
        this.expressions([statement.subject], scope);
        for (const matchCase of statement.cases) {
          for (const capture of matchCase.captures) this.bind(scope, capture.name, { kind: 'matchCapture', name: capture });
          if (matchCase.guard) this.expressions([matchCase.guard], scope);
          this.block(matchCase.body, scope);
        }
        return;
      case 'TypeAlias':
        this.bind(scope, statement.name.name, { kind: 'typeAlias', name: statement.name });
        this.expressions([statement.value], scope);
        return;
      case 'Global':
      case 'Nonlocal':
        // Collected up front by declareScopeStatements: they apply to the whole scope.
        return;
      case 'Error':
        this.expressions(statement.expressions, scope);
        for (const inner of statement.statements) this.statement(inner, scope);
        return;
      default:
        this.expressions(statementExpressions(statement), scope);
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
    scope.bindingTarget(name).addBinding(name, Object.assign(binding, { site: scope }));
  }

  /** Finds the scopes expressions open (lambdas, comprehensions) and walrus bindings. */
  private expressions(expressions: readonly Expression[], scope: Scope): void {
    for (const expression of expressions) this.expression(expression, scope);
  }

  private expression(root: Expression, scope: Scope): void {
    walkExpression(root, (node) => {
      if (node.kind === 'Lambda') {
        for (const parameter of node.parameters) if (parameter.defaultValue) this.expression(parameter.defaultValue, scope);
        const inner = new Scope('lambda', node, scope);
        this.tree.register(node, inner);
        this.parameters(node.parameters, inner);
        this.expression(node.body, inner);
        return false;
      }
      if (node.kind === 'Comprehension') {
        this.comprehension(node, scope);
        return false;
      }
      if (node.kind === 'Named') {
        this.bind(namedExpressionScope(scope), node.target.name, {
          kind: 'namedExpression',
          name: node.target,
          expression: node,
        });
      }
      return true;
    });
  }

  private comprehension(node: ComprehensionExpression, scope: Scope): void {
    const inner = new Scope('comprehension', node, scope);
    this.tree.register(node, inner);
    node.clauses.forEach((clause, index) => {
      // The first iterable is evaluated in the enclosing scope, everything else inside.
      this.expression(clause.expression, index === 0 ? scope : inner);
      if (clause.kind === 'for' && clause.target) {
        this.bindTarget(clause.target, inner, (name) => ({ kind: 'loopTarget', name, loop: clause }));
      }
    });
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

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
