// Where code creates or starts child processes: directly (`Process(...)`, `Pool(...)`,
// `Manager()`, `ProcessPoolExecutor(...)`, a subclass of one of them, `manager.start()`,
// `with SyncManager() as m`), or through a call to a function, method or class of this module
// that does so when it runs (followed transitively within the module).

import type { Block, CallExpression, ClassDefinition, Expression, FunctionDefinition, WithItem } from '../parser';
import { statementBlocks, statementExpressions, walkExpression } from '../parser';
import { visitExecutedCode } from './executedCode';
import type { ProcessApiCalls } from './processApiCalls';
import type { InstanceValue, Resolver } from './resolver';
import type { Scope, ScopeTree } from './scopes';
import { PROCESS_CLASSES, PROCESS_FACTORIES, type ProcessApiKind, type StartMethod } from './stdlib/multiprocessingApi';

export interface ProcessCreation {
  /** The expression that creates/starts: a call, or a `with` item's context expression. */
  readonly site: Expression;
  readonly kind: ProcessApiKind;
  /** `construction`: `Process(...)`/`Pool(...)`…; `start`: `manager.start()`; `enter`: `with manager:`. */
  readonly how: 'construction' | 'start' | 'enter';
  readonly startMethod: StartMethod;
}

/** A creation reached by calling something: `through` lists the calls, outermost first. */
export interface ReachedCreation {
  readonly creation: ProcessCreation;
  readonly through: readonly CallExpression[];
}

/**
 * How deep calls are followed (`main()` → `run()` → …). Deeper creations are not seen: it keeps
 * pathological code from exhausting the stack, and real call chains are far shorter.
 */
export const MAX_CALL_DEPTH = 40;

export class ProcessStartAnalysis {
  private callDepth = 0;
  private readonly summaries = new Map<FunctionDefinition, readonly ReachedCreation[]>();
  private readonly summarising = new Set<FunctionDefinition>();
  private readonly generators = new Map<FunctionDefinition, boolean>();

  constructor(
    private readonly scopes: ScopeTree,
    private readonly resolver: Resolver,
    /** Knows the callees of the module's calls already. */
    private readonly api: ProcessApiCalls,
  ) {}

  /** The processes `call` itself creates or starts, if it does. */
  creationAt(call: CallExpression, scope: Scope): ProcessCreation | undefined {
    const callee = call.callee;
    if (callee.kind === 'Attribute' && callee.name?.name === 'start' && call.args.length === 0) {
      const receiver = this.resolver.resolve(callee.object, scope);
      if (receiver?.kind === 'instance' && this.isUnstartedManager(receiver)) {
        return { site: call, kind: 'manager', how: 'start', startMethod: receiver.startMethod };
      }
    }
    const value = this.api.calleeOf(call, scope);
    if (value?.kind === 'qualified') {
      const factory = PROCESS_FACTORIES.get(value.name);
      if (factory?.starts) {
        const kind = PROCESS_CLASSES.get(factory.returns)!.kind;
        return { site: call, kind, how: 'construction', startMethod: value.startMethod ?? 'default' };
      }
      const info = PROCESS_CLASSES.get(value.name);
      if (info?.startsOnConstruction) {
        const startMethod =
          info.startMethod ?? this.resolver.contextArgument(call, info.contextKeyword, scope) ?? value.startMethod ?? 'default';
        return { site: call, kind: info.kind, how: 'construction', startMethod };
      }
    } else if (value?.kind === 'class') {
      const base = this.resolver.apiBase(value.definition);
      if (base?.info.startsOnConstruction) {
        return { site: call, kind: base.info.kind, how: 'construction', startMethod: base.startMethod };
      }
    }
    return undefined;
  }

  /** `with SyncManager() as m:` starts the manager's server process on entry. */
  creationOnEnter(item: WithItem, scope: Scope): ProcessCreation | undefined {
    const context = this.resolver.resolve(item.context, scope);
    if (context?.kind === 'instance' && this.isUnstartedManager(context)) {
      return { site: item.context, kind: 'manager', how: 'enter', startMethod: context.startMethod };
    }
    return undefined;
  }

  /**
   * The creations that calling `call` leads to through functions, methods and classes defined
   * in this module (not counting what `call` itself creates: see `creationAt`).
   */
  reachedThrough(call: CallExpression, scope: Scope): readonly ReachedCreation[] {
    const value = this.api.calleeOf(call, scope);
    let body: FunctionDefinition | undefined;
    if (value?.kind === 'function' || value?.kind === 'method') body = value.definition;
    else if (value?.kind === 'class') body = this.constructorOf(value.definition);
    // Calling a generator function only creates the generator: its body runs when iterated.
    if (body === undefined || this.isGenerator(body)) return [];
    return this.creationsWhenCalled(body).map((reached) => ({
      creation: reached.creation,
      through: [call, ...reached.through],
    }));
  }

  /**
   * Everything calling `definition` creates or starts, first occurrence of each site once.
   * Summaries are memoised; one computed while a caller was still being summarised (mutual
   * recursion) or at the depth limit can miss creations, never invent them.
   */
  creationsWhenCalled(definition: FunctionDefinition): readonly ReachedCreation[] {
    const known = this.summaries.get(definition);
    if (known) return known;
    // A recursive call adds nothing the outer walk is not already collecting.
    if (this.summarising.has(definition) || this.callDepth >= MAX_CALL_DEPTH) return [];
    const scope = this.scopes.scopeOf(definition);
    if (scope === undefined) return [];
    this.summarising.add(definition);
    this.callDepth++;
    const found: ReachedCreation[] = [];
    const seen = new Set<Expression>();
    const add = (reached: ReachedCreation): void => {
      if (seen.has(reached.creation.site)) return;
      seen.add(reached.creation.site);
      found.push(reached);
    };
    try {
      visitExecutedCode(definition.body, scope, this.scopes, {
        call: (call, callScope) => {
          const creation = this.creationAt(call, callScope);
          if (creation) add({ creation, through: [] });
          else for (const reached of this.reachedThrough(call, callScope)) add(reached);
        },
        enter: (item, itemScope) => {
          const creation = this.creationOnEnter(item, itemScope);
          if (creation) add({ creation, through: [] });
        },
      });
    } finally {
      this.callDepth--;
      this.summarising.delete(definition);
    }
    this.summaries.set(definition, found);
    return found;
  }

  private isGenerator(definition: FunctionDefinition): boolean {
    let known = this.generators.get(definition);
    if (known === undefined) {
      known = containsYield(definition.body);
      this.generators.set(definition, known);
    }
    return known;
  }

  private constructorOf(definition: ClassDefinition): FunctionDefinition | undefined {
    return this.resolver.findMethod(definition, '__init__');
  }

  private isUnstartedManager(instance: InstanceValue): boolean {
    if (instance.started) return false;
    if (instance.of.kind === 'qualified') {
      const info = PROCESS_CLASSES.get(instance.of.name);
      return info?.kind === 'manager' && !info.startsOnConstruction;
    }
    const base = this.resolver.apiBase(instance.of.definition);
    return base?.info.kind === 'manager' && !base.info.startsOnConstruction;
  }
}

const yielding = new WeakMap<Block, boolean>();

/** Whether a function body yields (itself, not in nested functions, lambdas or classes). */
export function containsYield(block: Block): boolean {
  let known = yielding.get(block);
  if (known === undefined) {
    known = blockYields(block);
    yielding.set(block, known);
  }
  return known;
}

function blockYields(block: Block): boolean {
  for (const statement of block.statements) {
    if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') continue;
    let found = false;
    for (const expression of statementExpressions(statement)) {
      walkExpression(expression, (node) => {
        if (node.kind === 'Yield') found = true;
        return !found && node.kind !== 'Lambda';
      });
    }
    if (found) return true;
    if (statementBlocks(statement).some(blockYields)) return true;
  }
  return false;
}
