// Lifecycle analysis: follows each Pool, executor, Process, Queue, Pipe end and Lock created in a code
// body along that body's control flow — which names (`pool`), attribute paths (`self.pool`)
// and `with … as` aliases hold it, and which phase of its life it is in on each path — and
// records what the rules need: every method call on a tracked object with the facts about its
// receiver just before the call, `with` entries, attribute assignments (`p.daemon = …`) and
// the facts at the body's normal end.
//
// Only objects created in the same body are known; a parameter, a global set elsewhere or the
// result of an unknown call is unknown, and the rules say nothing about unknown objects. When
// code the analysis cannot see may act on an object (it is passed to a call, a nested function
// uses the name, a method of `self` runs while `self.pool` is tracked), its phase becomes
// `unknown`, which no rule reports on.

import type {
  AttributeExpression,
  CallExpression,
  ClassDefinition,
  Expression,
  ExpressionStatement,
  FunctionDefinition,
  LambdaExpression,
  Statement,
  WithItem,
} from '../../parser';
import { statementExpressions, unparenthesize, walkExpression } from '../../parser';
import {
  buildControlFlow,
  type CodeBody,
  codeBodies,
  type FlowEdge,
  type FlowNode,
  solveForward,
  type Termination,
} from '../flow';
import type { Resolver } from '../resolver';
import type { Scope, ScopeTree } from '../scopes';
import {
  EMPTY_STATE,
  type Fact,
  type FactState,
  isSlot,
  joinStates,
  LOST_SLOT,
  changeFact,
  type Guard,
  makeFact,
  normalizeGuards,
  type Phase,
  sameStates,
  type TrackedObject,
  unionFacts,
  withSlot,
} from './lifecycleFacts';
import { parametersPutInto, handoffToChild, type ChildHandoff } from './childHandoff';
import { forEachOwnCall } from './callSites';
import { ScopeNames } from './scopeNames';
import { CONTEXT_MANAGED_KINDS, QUEUE_GET_METHODS, SHARED_RESOURCE_KINDS, TRACKED_CONSTRUCTORS, type TrackedKind } from './trackedApi';
import { bindsAny, trackedCreation } from './trackedCreations';

interface ObservationBase {
  readonly body: CodeBody;
  /** The graph node the operation runs at (its `expected` tells whether an error is expected there). */
  readonly node: FlowNode;
  /** The whole state just before the operation. */
  readonly state: FactState;
}

/** `receiver.method(...)` where the receiver may be a tracked object. */
export interface CallObservation extends ObservationBase {
  readonly kind: 'call';
  readonly call: CallExpression;
  readonly receiver: Expression;
  readonly method: string;
  /** What the receiver may be just before the call (over every path that reaches it). */
  readonly facts: readonly Fact[];
  /** The call is a whole expression statement: its result is dropped. */
  readonly discarded: boolean;
}

/** `with <tracked object> [as name]:` */
export interface EnterObservation extends ObservationBase {
  readonly kind: 'enter';
  readonly item: WithItem;
  readonly facts: readonly Fact[];
}

/** `<tracked object>.attribute = value` */
export interface AttributeObservation extends ObservationBase {
  readonly kind: 'setAttribute';
  readonly statement: Statement;
  readonly target: AttributeExpression;
  readonly attribute: string;
  readonly facts: readonly Fact[];
}

/** The body's normal end (returns and falling off the end), with every fact that reaches it. */
export interface ExitObservation extends ObservationBase {
  readonly kind: 'exit';
  readonly facts: readonly Fact[];
}

export type Observation = CallObservation | EnterObservation | AttributeObservation | ExitObservation;

/** An observation without the parts the evaluator adds itself. */
type ObservationContent = Observation extends infer Each ? (Each extends Observation ? Omit<Each, 'body' | 'node' | 'state'> : never) : never;

/** Calls to these builtins neither keep nor change the objects passed to them. */
const HARMLESS_BUILTINS = new Set([
  'print',
  'len',
  'repr',
  'str',
  'id',
  'type',
  'isinstance',
  'issubclass',
  'hasattr',
  'getattr',
  'bool',
  'callable',
  'format',
  'hash',
]);

export class LifecycleAnalysis {
  private computed: { observations: Observation[]; objects: TrackedObject[]; skipped: CodeBody[] } | undefined;
  private readonly targets = new Map<TrackedObject, ChildHandoff | undefined>();
  private readonly puts = new Map<FunctionDefinition, Set<string>>();
  private readonly scopeNames = new ScopeNames();
  private readonly failingCreations = new Set<TrackedObject>();
  private readonly subclassMethods = new Map<string, boolean>();
  private candidates: { aliases: ReadonlySet<string>; constructors: ReadonlySet<string>; starImports: boolean } | undefined;

  constructor(
    readonly scopes: ScopeTree,
    readonly resolver: Resolver,
    /** The module's text: used to skip, cheaply, bodies that contain no call a creation could be. */
    private readonly text: string,
  ) {}

  /** Every observation of every body, grouped by body, each group in flow order. */
  get observations(): readonly Observation[] {
    return this.run().observations;
  }

  /** Every tracked object created anywhere in the module. */
  get objects(): readonly TrackedObject[] {
    return this.run().objects;
  }

  /** Bodies with creations whose flow was too large to analyse (nothing is reported for them). */
  get skippedBodies(): readonly CodeBody[] {
    return this.run().skipped;
  }

  /**
   * The object is created where an error is expected (`with self.assertRaises(...):
   * Pool(0)`): the code expects the creation to fail, so no object may exist.
   */
  createdWhereErrorExpected(object: TrackedObject): boolean {
    this.run();
    return this.failingCreations.has(object);
  }

  /** @internal the evaluator records creations it sees inside error-expecting code. */
  noteCreationExpectingError(object: TrackedObject): void {
    this.failingCreations.add(object);
  }

  /** What `Process(target=…, args=…)` passes to its child, when the target is known. */
  targetOf(object: TrackedObject): ChildHandoff | undefined {
    if (!this.targets.has(object)) {
      const target = object.kind === 'process' && object.subclass === undefined ? handoffToChild(object.site, object.scope, this.resolver) : undefined;
      this.targets.set(object, target);
    }
    return this.targets.get(object);
  }

  /** The queue objects a started process puts into: its target calls `put` on the parameter they are passed as. */
  queuesFilledBy(process: TrackedObject): Set<TrackedObject> {
    const filled = new Set<TrackedObject>();
    const target = this.targetOf(process);
    if (target === undefined) return filled;
    let puts = this.puts.get(target.definition);
    if (puts === undefined) {
      puts = parametersPutInto(target.definition);
      this.puts.set(target.definition, puts);
    }
    for (const parameter of puts) {
      const argument = target.parameterArguments.get(parameter);
      const objects = argument === undefined ? undefined : process.argumentObjects.get(argument);
      for (const object of objects ?? []) if (object.kind === 'queue') filled.add(object);
    }
    return filled;
  }

  /** Whether a module-defined subclass defines `method` itself (so what it does is unknown). */
  subclassDefines(definition: ClassDefinition, method: string): boolean {
    const key = `${definition.from}:${method}`;
    let known = this.subclassMethods.get(key);
    if (known === undefined) {
      known = bindsAny(definition, [method], this.resolver, new Set());
      this.subclassMethods.set(key, known);
    }
    return known;
  }

  /** Names of `body` that the code of `owner` (a def, class or lambda nested in it) can reach. */
  namesReachable(owner: FunctionDefinition | ClassDefinition | LambdaExpression, body: CodeBody): ReadonlySet<string> {
    const scope = this.scopes.scopeOf(owner);
    return scope === undefined ? new Set() : this.scopeNames.namesReaching(scope, body.scope);
  }

  private run(): { observations: Observation[]; objects: TrackedObject[]; skipped: CodeBody[] } {
    if (this.computed) return this.computed;
    const observations: Observation[] = [];
    const objects: TrackedObject[] = [];
    const skipped: CodeBody[] = [];
    // Every tracked constructor lives in `multiprocessing` or `concurrent.futures`: a module that
    // names neither (and is not part of them, reaching them by relative imports) creates nothing.
    const identity = this.scopes.identity?.name ?? '';
    if (!/multiprocessing|concurrent/.test(this.text) && !PROCESS_PACKAGES.test(identity)) {
      this.computed = { observations, objects, skipped };
      return this.computed;
    }
    const bodies = codeBodies(this.scopes);
    const worthWalking = this.bodiesWithCandidateCalls(bodies);
    for (const body of bodies) {
      if (!worthWalking.has(body)) continue;
      const creations = this.findCreations(body, objects);
      if (creations.size === 0) continue;
      const graph = buildControlFlow(body.block, { terminates: (statement) => this.termination(statement, body.scope) });
      if (graph === undefined) {
        skipped.push(body);
        continue;
      }
      const evaluator = new BodyEvaluator(this, body, creations, this.capturedNames(body));
      const inputs = solveForward<FactState>(graph, {
        initial: EMPTY_STATE,
        transfer: (node, state) => evaluator.transfer(node, state),
        refine: (node, edge, state) => evaluator.refine(node, edge, state),
        join: joinStates,
        equals: sameStates,
      });
      if (inputs === undefined) {
        skipped.push(body);
        continue;
      }
      const found: Observation[] = [];
      evaluator.observer = (observation) => found.push(observation);
      for (const id of graph.order) {
        const input = inputs[id];
        if (input !== undefined) evaluator.transfer(graph.nodes[id], input);
      }
      observations.push(...mergeCopies(found));
    }
    this.computed = { observations, objects, skipped };
    return this.computed;
  }

  /** Creation calls in the code a body runs itself (not in nested functions, lambdas or classes). */
  private findCreations(body: CodeBody, objects: TrackedObject[]): Map<CallExpression, TrackedObject[]> {
    const creations = new Map<CallExpression, TrackedObject[]>();
    const { aliases, constructors } = this.candidateNames();
    forEachOwnCall(body, this.scopes, (call, scope) => {
      const callee = call.callee.kind === 'Parenthesized' ? unparenthesize(call.callee) : call.callee;
      const name = callee.kind === 'Name' ? callee.name : callee.kind === 'Attribute' ? callee.name?.name : undefined;
      if (name === undefined || !(aliases.has(name) || constructors.has(name))) return;
      const creation = trackedCreation(call, scope, this.resolver);
      if (creation === undefined) return;
      const made: TrackedObject[] = [];
      for (let index = 0; index < (creation.pair ? 2 : 1); index++) {
        const object: TrackedObject = {
          id: objects.length,
          kind: creation.kind,
          site: call,
          className: creation.className,
          subclass: creation.subclass,
          pairIndex: creation.pair ? index : undefined,
          body,
          scope,
          argumentObjects: new Map(),
        };
        made.push(object);
        objects.push(object);
      }
      creations.set(call, made);
    });
    return creations;
  }

  /**
   * The bodies whose own code may hold a creating call, found from the text: a constructor's
   * name (`Pool`, `Queue`…) or a name the module binds by import, class or aliasing, followed by
   * `(`, where a dotted callee (`mp.Pool(`) must start with such a bound name or a call's result
   * (`get_context().Pool(`) — so `self.Process(` in a test suite does not count. A body is
   * selected when a match lies in its suite, and so is the body around it (decorators and
   * defaults run there). Any call that can resolve to a creation passes this filter.
   */
  private bodiesWithCandidateCalls(bodies: readonly CodeBody[]): Set<CodeBody> {
    const selected = new Set<CodeBody>();
    const { aliases, constructors, starImports } = this.candidateNames();
    const offsets: number[] = [];
    forEachCalledName(this.text, (name, at) => {
      if (!aliases.has(name) && !constructors.has(name)) return;
      const root = dottedRoot(this.text, at);
      const accepted =
        root === undefined
          ? aliases.has(name) || (starImports && constructors.has(name))
          : constructors.has(name) && (root === ')' || aliases.has(root));
      if (accepted) offsets.push(at);
    });
    if (offsets.length === 0) return selected;
    // Bodies nest like brackets; sweep the sorted matches with a stack of the open suites.
    const parents = new Map<CodeBody, CodeBody | undefined>();
    const ordered = [...bodies].sort((a, b) => a.block.from - b.block.from || b.block.to - a.block.to);
    const open: CodeBody[] = [];
    let next = 0;
    for (const offset of offsets) {
      while (next < ordered.length && ordered[next].block.from <= offset) {
        const body = ordered[next++];
        while (open.length > 0 && open[open.length - 1].block.to < body.block.from) open.pop();
        parents.set(body, open[open.length - 1]);
        open.push(body);
      }
      while (open.length > 0 && open[open.length - 1].block.to < offset) open.pop();
      const innermost = open[open.length - 1];
      if (innermost === undefined) continue;
      selected.add(innermost);
      const parent = parents.get(innermost);
      if (parent) selected.add(parent);
    }
    // The module suite may start after a leading comment; everything at the top is its code.
    const moduleBody = bodies.find((body) => body.scope.kind === 'module');
    if (moduleBody && offsets.some((offset) => offset < moduleBody.block.from)) selected.add(moduleBody);
    return selected;
  }

  /**
   * The names a creating call's callee can end in, in two groups: the constructors' own names,
   * and every name the module binds (in any scope) by import, class statement or plain aliasing
   * (`P = mp.Pool`, `ctx = mp.get_context()`).
   */
  private candidateNames(): { aliases: ReadonlySet<string>; constructors: ReadonlySet<string>; starImports: boolean } {
    if (this.candidates) return this.candidates;
    const constructors = new Set<string>();
    for (const qualified of TRACKED_CONSTRUCTORS.keys()) constructors.add(qualified.slice(qualified.lastIndexOf('.') + 1));
    const aliases = new Set<string>();
    const assigned: { name: string; root: string }[] = [];
    let starImports = false;
    const visit = (scope: Scope): void => {
      if (scope.starImports.length > 0) starImports = true;
      for (const [name, bindings] of scope.bindings) {
        for (const binding of bindings) {
          if (binding.kind === 'import' || binding.kind === 'importFrom') {
            const qualified = binding.kind === 'import' ? binding.module : binding.qualifiedName;
            if (qualified !== undefined && PROCESS_PACKAGES.test(qualified)) aliases.add(name);
          } else if (binding.kind === 'class') {
            aliases.add(name);
          } else if (binding.kind === 'assignment' && binding.value !== undefined) {
            const root = expressionRoot(binding.value);
            if (root !== undefined) assigned.push({ name, root });
          }
        }
      }
      for (const child of scope.children) visit(child);
    };
    visit(this.scopes.moduleScope);
    // `ctx = mp.get_context()`, `P = ctx.Pool`, `Q = P`: aliases of aliases, a few levels deep.
    for (let round = 0; round < 4; round++) {
      const before = aliases.size;
      for (const { name, root } of assigned) if (aliases.has(root) || constructors.has(root)) aliases.add(name);
      if (aliases.size === before) break;
    }
    this.candidates = { aliases, constructors, starImports };
    return this.candidates;
  }

  /**
   * Names of the body that code elsewhere may read or rebind: declared `global`/`nonlocal`
   * here, or used by a nested function, lambda or class and resolving to this body's scope.
   */
  private capturedNames(body: CodeBody): ReadonlySet<string> {
    return this.scopeNames.capturedBy(body.scope);
  }

  private termination(statement: ExpressionStatement, scope: Scope): Termination | undefined {
    const value = unparenthesize(statement.value);
    if (value.kind !== 'Call') return undefined;
    const callee = unparenthesize(value.callee);
    if (callee.kind === 'Name' && (callee.name === 'exit' || callee.name === 'quit') && scope.lookup(callee.name) === undefined) {
      return 'raise';
    }
    const resolved = this.resolver.resolve(value.callee, scope);
    if (resolved?.kind !== 'qualified') return undefined;
    if (resolved.name === 'sys.exit') return 'raise';
    if (resolved.name === 'os._exit' || resolved.name === 'os.abort') return 'abort';
    return undefined;
  }
}

/** What an expression evaluates to, as far as tracked objects go. */
interface AbstractValue {
  readonly facts: readonly Fact[];
  /** A tuple or list display (or `Pipe()`'s pair), element by element. */
  readonly elements?: readonly (AbstractValue | undefined)[];
}

/** Runs one node's code over a state: the transfer function of the object-flow problem. */
class BodyEvaluator {
  observer: ((observation: Observation) => void) | undefined;
  /** The state being transformed; copied on the first write (`writable`) so untouched nodes cost nothing. */
  private map: FactState = EMPTY_STATE;
  private owned = false;
  /** Objects created during the current node and not (yet) held by any name. */
  private fresh: Fact[] = [];
  private node!: FlowNode;
  private discarded: Expression | undefined;
  /** Names bound by enclosing comprehensions while evaluating inside them. */
  private readonly shadowed: string[] = [];

  constructor(
    private readonly analysis: LifecycleAnalysis,
    private readonly body: CodeBody,
    private readonly creations: ReadonlyMap<CallExpression, TrackedObject[]>,
    private readonly captured: ReadonlySet<string>,
  ) {}

  transfer(node: FlowNode, input: FactState): FactState {
    this.map = input;
    this.owned = false;
    this.fresh = [];
    this.node = node;
    this.discarded = undefined;
    switch (node.kind) {
      case 'statement':
        if (node.statement) this.statement(node.statement);
        break;
      case 'test':
      case 'evaluate':
        if (node.expression) this.evaluate(node.expression);
        break;
      case 'next':
        if (node.target) this.assign(node.target, undefined);
        break;
      case 'enter':
        if (node.item) this.enter(node.item);
        break;
      case 'leave':
        if (node.item && node.statement) this.leave(node.item, node.statement);
        break;
      case 'handler':
        if (node.handler?.type) this.evaluate(node.handler.type);
        if (node.handler?.name) this.bind(node.handler.name.name, undefined);
        break;
      case 'definition':
        if (node.statement) this.definition(node.statement);
        break;
      case 'case':
        for (const capture of node.matchCase?.captures ?? []) this.bind(capture.name, undefined);
        if (node.matchCase?.guard) this.evaluate(node.matchCase.guard);
        break;
      case 'exit':
        this.emit({ kind: 'exit', facts: this.allFacts() });
        break;
      default:
        break;
    }
    this.settleFresh();
    return this.map;
  }

  /**
   * On the branches of a test: where `pool` is falsy or None it holds no tracked object
   * (`if pool is not None:`), and facts guarded by the other outcome of the same condition on
   * an unchanged name are not on this branch's paths (see `Guard`).
   */
  refine(node: FlowNode, edge: FlowEdge, state: FactState): FactState | undefined {
    if (node.kind !== 'test' || node.expression === undefined || (edge.kind !== 'true' && edge.kind !== 'false')) return state;
    if (state.size === 0) return state;
    const truth = edge.kind === 'true';
    const refined = this.refineTest(node.expression, truth, state);
    const condition = guardCondition(node.expression);
    if (condition !== undefined) return applyGuard(refined, guardFor(condition, truth), true);
    // `if a and b:` holds both on its true branch; `if a or b:` fails both on its false one.
    const test = unparenthesize(node.expression);
    if (test.kind === 'Binary' && (test.operator === 'and' ? truth : test.operator === 'or' ? !truth : false)) {
      let narrowed = refined;
      for (const part of [test.left, test.right]) {
        const partCondition = guardCondition(part);
        if (partCondition !== undefined) narrowed = applyGuard(narrowed, guardFor(partCondition, truth), false);
      }
      return narrowed;
    }
    return refined;
  }

  private refineTest(test: Expression, truth: boolean, state: FactState): FactState {
    const node = unparenthesize(test);
    if (node.kind === 'Unary' && node.operator === 'not') return this.refineTest(node.operand, !truth, state);
    if (node.kind === 'Binary') {
      if (node.operator === 'and') return truth ? this.refineTest(node.right, true, this.refineTest(node.left, true, state)) : state;
      if (node.operator === 'or') return truth ? state : this.refineTest(node.right, false, this.refineTest(node.left, false, state));
      const right = unparenthesize(node.right);
      const comparesWithNone = right.kind === 'Constant' && right.value === 'None';
      if (!comparesWithNone) return state;
      if (node.operator === 'is' || node.operator === '==') return truth ? this.withoutKey(state, node.left) : state;
      if (node.operator === 'is not' || node.operator === '!=') return truth ? state : this.withoutKey(state, node.left);
      return state;
    }
    return truth ? state : this.withoutKey(state, node);
  }

  private withoutKey(state: FactState, expression: Expression): FactState {
    const key = this.keyOf(expression);
    if (key === undefined || !state.has(key)) return state;
    const out = new Map(state);
    out.delete(key);
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Statements and node kinds

  private statement(statement: Statement): void {
    switch (statement.kind) {
      case 'Expression':
        this.discarded = unparenthesize(statement.value);
        this.evaluate(statement.value);
        return;
      case 'Assign': {
        if (statement.value === undefined) return;
        const value = this.evaluate(statement.value);
        for (const target of statement.targets) this.assign(target, value);
        return;
      }
      case 'AugAssign': {
        this.escape(this.evaluate(statement.value), true);
        const key = this.keyOf(statement.target);
        if (key !== undefined) this.bind(key, undefined);
        else this.evaluate(statement.target);
        return;
      }
      case 'Return':
        if (statement.value) this.escape(this.evaluate(statement.value), false);
        return;
      case 'Raise':
        if (statement.exception) this.evaluate(statement.exception);
        if (statement.cause) this.evaluate(statement.cause);
        return;
      case 'Delete':
        for (const target of statement.targets) {
          const key = this.keyOf(target);
          if (key !== undefined) this.bind(key, undefined);
          else this.evaluate(target);
        }
        return;
      case 'Assert':
        this.evaluate(statement.test);
        if (statement.message) this.evaluate(statement.message);
        return;
      case 'Import':
        for (const alias of statement.names) this.bind(alias.asName?.name ?? alias.name.split('.')[0], undefined);
        return;
      case 'ImportFrom':
        if (statement.names !== '*') for (const alias of statement.names) this.bind(alias.asName?.name ?? alias.name, undefined);
        return;
      case 'Error':
        // Code whose place in the program is unknown may do anything to anything.
        this.forget(new Set(this.allFacts().map((fact) => fact.object)));
        return;
      default:
        return;
    }
  }

  private definition(statement: Statement): void {
    if (statement.kind !== 'FunctionDef' && statement.kind !== 'ClassDef') return;
    for (const expression of statementExpressions(statement)) this.escape(this.evaluate(expression), true);
    // What the nested code can reach escapes (the function may run later, from anywhere).
    this.escapeNames(this.analysis.namesReachable(statement, this.body));
    this.bind(statement.name.name, undefined);
  }

  private enter(item: WithItem): void {
    const value = this.evaluate(item.context);
    const facts = value?.facts ?? [];
    if (facts.length > 0) this.emit({ kind: 'enter', item, facts });
    const managed = facts.filter((fact) => CONTEXT_MANAGED_KINDS.has(fact.object.kind));
    if (managed.length > 0) this.writable().set(withSlot(item.from), managed);
    // Pool and executor `__enter__` return the object itself; for anything else the target is unknown.
    if (item.target) this.assign(item.target, managed.length > 0 ? { facts: managed } : undefined);
  }

  private leave(item: WithItem, statement: Statement): void {
    const slot = withSlot(item.from);
    const facts = this.map.get(slot);
    if (facts === undefined) return;
    this.writable().delete(slot);
    this.update(objectsOf(facts), (fact) => changeFact(fact, { phase: 'exited', since: statement }));
  }

  // -------------------------------------------------------------------------------------------
  // Binding

  private assign(target: Expression, value: AbstractValue | undefined): void {
    const node = unparenthesize(target);
    switch (node.kind) {
      case 'Name':
        this.bind(node.name, value);
        return;
      case 'Attribute': {
        const owner = this.evaluate(node.object);
        if (owner && owner.facts.length > 0 && node.name) {
          this.emit({ kind: 'setAttribute', statement: this.node.statement ?? this.body.block.statements[0], target: node, attribute: node.name.name, facts: owner.facts });
        }
        const key = this.keyOf(node);
        if (key !== undefined) this.bind(key, value);
        else this.escape(value, true);
        return;
      }
      case 'Tuple':
      case 'List': {
        const elements = value?.elements;
        const exact = elements !== undefined && elements.length === node.elements.length && !node.elements.some((element) => element.kind === 'Starred');
        if (!exact) this.escape(value, true);
        node.elements.forEach((element, index) => this.assign(element, exact ? elements[index] : undefined));
        return;
      }
      case 'Starred':
        this.assign(node.value, undefined);
        return;
      case 'Subscript':
        this.evaluate(node.object);
        for (const index of node.indices) this.evaluate(index);
        this.escape(value, true);
        return;
      default:
        this.escape(value, true);
    }
  }

  /** `key` now holds `value` (undefined: something untracked). */
  private bind(key: string, value: AbstractValue | undefined): void {
    if (this.shadowed.includes(key.split('.')[0])) return;
    if (value?.elements) {
      // A container: the objects inside are out of reach of name-based tracking.
      this.escape(value, true);
      value = undefined;
    }
    if (value !== undefined && (key.includes('.') || this.captured.has(key))) {
      // An attribute or a name other code shares outlives this body's view of it.
      this.escape(value, false);
      value = { facts: value.facts.map((fact) => changeFact(fact, { escaped: true })) };
    }
    if (!key.includes('.')) this.dropGuardsOn(key);
    const old = this.map.get(key);
    if (value !== undefined && value.facts.length > 0) this.writable().set(key, value.facts);
    else if (this.map.has(key)) this.writable().delete(key);
    if (!key.includes('.')) {
      const prefix = `${key}.`;
      for (const other of [...this.map.keys()]) if (other.startsWith(prefix)) this.dropKey(other);
    }
    if (old !== undefined) this.noteLost(old);
  }

  /** `variable` changes: what was known under conditions on it no longer splits the paths. */
  private dropGuardsOn(variable: string): void {
    for (const [key, facts] of this.map) {
      if (!facts.some((fact) => fact.guard?.variable === variable)) continue;
      this.writable().set(key, normalizeGuards(facts.map((fact) => (fact.guard?.variable === variable ? changeFact(fact, { guard: null }) : fact))));
    }
  }

  private dropKey(key: string): void {
    const old = this.map.get(key);
    if (old === undefined) return;
    this.writable().delete(key);
    this.noteLost(old);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  private evaluate(expression: Expression): AbstractValue | undefined {
    switch (expression.kind) {
      case 'Name': {
        if (this.shadowed.includes(expression.name)) return undefined;
        const facts = this.map.get(expression.name);
        return facts ? { facts } : undefined;
      }
      case 'Attribute': {
        const key = this.keyOf(expression);
        const facts = key === undefined ? undefined : this.map.get(key);
        if (facts) return { facts };
        // Reading an attribute of an object (`p.exitcode`) neither keeps nor changes it.
        this.evaluate(expression.object);
        return undefined;
      }
      case 'Call':
        return this.call(expression);
      case 'Parenthesized':
        return this.evaluate(expression.inner);
      case 'Tuple':
      case 'List': {
        const elements = expression.elements.map((element) => this.evaluate(element));
        return elements.some((element) => element !== undefined) ? { facts: [], elements } : undefined;
      }
      case 'Set':
        for (const element of expression.elements) this.escape(this.evaluate(element), true);
        return undefined;
      case 'Dict':
        for (const entry of expression.entries) {
          if (entry.key) this.escape(this.evaluate(entry.key), true);
          this.escape(this.evaluate(entry.value), true);
        }
        return undefined;
      case 'Starred':
        this.escape(this.evaluate(expression.value), true);
        return undefined;
      case 'Comprehension':
        this.comprehension(expression);
        return undefined;
      case 'Lambda':
        for (const parameter of expression.parameters) if (parameter.defaultValue) this.escape(this.evaluate(parameter.defaultValue), true);
        this.escapeNames(this.analysis.namesReachable(expression, this.body));
        return undefined;
      case 'Binary':
        this.evaluate(expression.left);
        if (expression.operator === 'and' || expression.operator === 'or') this.maybe(() => this.evaluate(expression.right));
        else this.evaluate(expression.right);
        return undefined;
      case 'Unary':
        this.evaluate(expression.operand);
        return undefined;
      case 'Conditional':
        return this.conditional(expression.test, expression.body, expression.orElse);
      case 'Named': {
        const value = this.evaluate(expression.value);
        this.bind(expression.target.name, value);
        return value;
      }
      case 'Await':
        this.evaluate(expression.value);
        this.suspend();
        return undefined;
      case 'Yield':
        if (expression.value) this.escape(this.evaluate(expression.value), true);
        this.suspend();
        return undefined;
      case 'Subscript':
        this.evaluate(expression.object);
        for (const index of expression.indices) this.evaluate(index);
        return undefined;
      case 'Slice':
        if (expression.lower) this.evaluate(expression.lower);
        if (expression.upper) this.evaluate(expression.upper);
        if (expression.step) this.evaluate(expression.step);
        return undefined;
      case 'String':
        for (const interpolation of expression.interpolations) this.evaluate(interpolation);
        return undefined;
      default:
        return undefined;
    }
  }

  private call(call: CallExpression): AbstractValue | undefined {
    const created = this.creations.get(call);
    if (created) return this.construct(call, created);
    const callee = unparenthesize(call.callee);
    if (callee.kind === 'Attribute' && callee.name) {
      const receiver = this.evaluate(callee.object);
      if (receiver !== undefined && receiver.facts.length > 0) return this.methodCall(call, callee, receiver.facts);
    } else {
      this.evaluate(call.callee);
    }
    const harmless = callee.kind === 'Name' && HARMLESS_BUILTINS.has(callee.name) && this.body.scope.lookup(callee.name) === undefined;
    for (const argument of call.args) {
      const value = this.evaluate(argument.value);
      if (!harmless) this.escape(value, true);
    }
    if (!harmless) this.unknownCall(call);
    return undefined;
  }

  private methodCall(call: CallExpression, callee: AttributeExpression, facts: readonly Fact[]): AbstractValue | undefined {
    const method = callee.name!.name;
    for (const argument of call.args) this.escape(this.evaluate(argument.value), false);
    this.emit({ kind: 'call', call, receiver: callee.object, method, facts, discarded: this.discarded === call });
    const objects = objectsOf(facts);
    const timed = call.args.some((argument) => !isNoneLiteral(argument.value));
    this.update(objects, (fact) => {
      const phase = this.phaseAfter(fact, method, timed);
      return phase === undefined ? undefined : changeFact(fact, { phase, since: phase === 'unknown' ? fact.since : call });
    });
    if (method === 'start') {
      for (const object of objects) {
        if (object.kind !== 'process') continue;
        const filled = this.analysis.queuesFilledBy(object);
        if (filled.size > 0) this.update(filled, (fact) => changeFact(fact, { phase: 'filling', since: call }));
      }
    }
    return undefined;
  }

  /** The phase after `method` was called on the fact's object; undefined: unchanged. */
  private phaseAfter(fact: Fact, method: string, timed: boolean): Phase | undefined {
    const object = fact.object;
    if (object.subclass && this.analysis.subclassDefines(object.subclass, method)) return 'unknown';
    switch (object.kind) {
      case 'pool':
        if (method === 'close') return fact.phase === 'running' || fact.phase === 'unknown' ? 'closed' : undefined;
        if (method === 'terminate') return 'terminated';
        return undefined;
      case 'executor':
        return method === 'shutdown' ? 'shutdown' : undefined;
      case 'process':
        if (method === 'start') return 'started';
        if (method === 'join' && !timed && (fact.phase === 'started' || fact.phase === 'unknown')) return 'joined';
        if (method === 'close') return 'unknown';
        return undefined;
      case 'queue':
        return QUEUE_GET_METHODS.has(method) ? 'drained' : undefined;
      default:
        return undefined;
    }
  }

  private construct(call: CallExpression, objects: readonly TrackedObject[]): AbstractValue {
    for (const argument of call.args) {
      const value = unparenthesize(argument.value);
      const spread = argument.kind === 'Keyword' && ['args', 'kwargs', 'initargs'].includes(argument.name.name);
      if (spread && (value.kind === 'Tuple' || value.kind === 'List')) {
        for (const element of value.elements) this.passToConstructor(objects, element, this.evaluate(element));
      } else if (spread && value.kind === 'Dict') {
        for (const entry of value.entries) {
          if (entry.key) this.evaluate(entry.key);
          this.passToConstructor(objects, entry.value, this.evaluate(entry.value));
        }
      } else {
        this.passToConstructor(objects, argument.value, this.evaluate(argument.value));
      }
    }
    if (this.node.expected.anyError) for (const object of objects) this.analysis.noteCreationExpectingError(object);
    const facts = objects.map((object) => makeFact(object, initialPhase(object.kind), call, false));
    this.fresh.push(...facts);
    if (objects.length === 2) return { facts: [], elements: facts.map((fact) => ({ facts: [fact] })) };
    return { facts };
  }

  /** Records which tracked objects an argument hands to the new object; shared resources stay tracked. */
  private passToConstructor(created: readonly TrackedObject[], argument: Expression, value: AbstractValue | undefined): void {
    const passed = objectsIn(value);
    if (passed.size === 0) return;
    for (const object of created) {
      let known = object.argumentObjects.get(argument);
      if (known === undefined) {
        known = new Set();
        object.argumentObjects.set(argument, known);
      }
      for (const item of passed) known.add(item);
    }
    const others = new Set([...passed].filter((object) => !SHARED_RESOURCE_KINDS.has(object.kind)));
    if (others.size > 0) this.forget(others);
  }

  private comprehension(expression: Expression & { kind: 'Comprehension' }): void {
    const [first, ...rest] = expression.clauses;
    if (first) this.escape(this.evaluate(first.expression), true);
    const bound = expression.clauses.flatMap((clause) => (clause.target ? namesIn(clause.target) : []));
    this.shadowed.push(...bound);
    try {
      // The rest runs zero or more times.
      this.maybe(() => {
        for (const clause of rest) this.escape(this.evaluate(clause.expression), true);
        this.escape(this.evaluate(expression.element), true);
        if (expression.value) this.escape(this.evaluate(expression.value), true);
      });
    } finally {
      this.shadowed.length -= bound.length;
    }
  }

  private conditional(test: Expression, body: Expression, orElse: Expression): AbstractValue | undefined {
    this.evaluate(test);
    const before = this.map;
    this.owned = false;
    const first = this.evaluate(body);
    const afterBody = this.map;
    this.map = before;
    this.owned = false;
    const second = this.evaluate(orElse);
    this.map = joinStates(afterBody, this.map);
    this.owned = false;
    if (first === undefined && second === undefined) return undefined;
    const condition = guardCondition(test);
    const tag = (value: AbstractValue | undefined, truth: boolean): readonly Fact[] => {
      const facts = value?.facts ?? [];
      if (condition === undefined) return facts;
      const guard = guardFor(condition, truth);
      return facts.map((fact) => (fact.guard === undefined ? changeFact(fact, { guard }) : fact));
    };
    return { facts: unionFacts(tag(first, true), tag(second, false)) };
  }

  /** Runs code that may or may not run: the state after is that of either case. */
  private maybe(evaluate: () => void): void {
    const before = this.map;
    this.owned = false;
    evaluate();
    this.map = joinStates(before, this.map);
    this.owned = false;
  }

  // -------------------------------------------------------------------------------------------
  // Effects of code the analysis cannot see

  /** A call of something unknown: what it can reach (shared names, attributes of what it is given) may change. */
  private unknownCall(call: CallExpression): void {
    if (this.map.size === 0) return;
    for (const variable of this.captured) this.dropGuardsOn(variable);
    let mentioned: Set<string> | undefined;
    const reachable = new Set<TrackedObject>();
    for (const [key, facts] of this.map) {
      if (isSlot(key)) continue;
      const dot = key.indexOf('.');
      const root = dot < 0 ? key : key.slice(0, dot);
      let reached = this.captured.has(root);
      if (!reached && dot >= 0) {
        mentioned ??= new Set([call.callee, ...call.args.map((argument) => argument.value)].flatMap(namesIn));
        reached = mentioned.has(root);
      }
      if (reached) for (const fact of facts) reachable.add(fact.object);
    }
    if (reachable.size > 0) this.forget(reachable);
  }

  /** `await`/`yield`: other code runs meanwhile and may act on anything shared. */
  private suspend(): void {
    const reachable = new Set<TrackedObject>();
    for (const [key, facts] of this.map) {
      if (isSlot(key)) continue;
      const dot = key.indexOf('.');
      if (dot >= 0 || this.captured.has(key)) for (const fact of facts) reachable.add(fact.object);
    }
    if (reachable.size > 0) this.forget(reachable);
  }

  /** The objects in `value` may now be reached from elsewhere (`forget`: and acted on already). */
  private escape(value: AbstractValue | undefined, forget: boolean): void {
    const objects = objectsIn(value);
    if (objects.size === 0) return;
    if (forget) this.forget(objects);
    else this.update(objects, (fact) => (fact.escaped ? undefined : changeFact(fact, { escaped: true })));
  }

  private escapeNames(names: ReadonlySet<string>): void {
    const objects = new Set<TrackedObject>();
    for (const [key, facts] of this.map) {
      if (isSlot(key)) continue;
      const dot = key.indexOf('.');
      if (names.has(dot < 0 ? key : key.slice(0, dot))) for (const fact of facts) objects.add(fact.object);
    }
    if (objects.size > 0) this.forget(objects);
  }

  private forget(objects: ReadonlySet<TrackedObject>): void {
    this.update(objects, (fact) =>
      fact.phase === 'unknown' && fact.escaped ? undefined : changeFact(fact, { phase: 'unknown', escaped: true }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // State helpers

  /** Replaces every fact about `objects` (under any name, and not yet bound) by `next(fact)` when defined. */
  private update(objects: ReadonlySet<TrackedObject>, next: (fact: Fact) => Fact | undefined): void {
    for (const [key, facts] of this.map) {
      if (isSlot(key) || !facts.some((fact) => objects.has(fact.object))) continue;
      let changed = false;
      const updated: Fact[] = [];
      for (const fact of facts) {
        const replacement = objects.has(fact.object) ? next(fact) : undefined;
        if (replacement !== undefined && replacement.id !== fact.id) changed = true;
        const kept = replacement ?? fact;
        if (!updated.some((known) => known.id === kept.id)) updated.push(kept);
      }
      if (changed) this.writable().set(key, normalizeGuards(updated));
    }
    this.fresh = this.fresh.map((fact) => (objects.has(fact.object) ? (next(fact) ?? fact) : fact));
  }

  /** Objects created in this node that no name holds are dropped; an open pool dropped is a leak. */
  private settleFresh(): void {
    if (this.fresh.length === 0) return;
    const fresh = this.fresh;
    this.fresh = [];
    this.noteLost(fresh);
  }

  private noteLost(facts: readonly Fact[]): void {
    for (const fact of facts) {
      if ((fact.object.kind !== 'pool' && fact.object.kind !== 'executor') || fact.phase !== 'running' || fact.escaped) continue;
      if (this.isHeld(fact.object)) continue;
      this.writable().set(LOST_SLOT, unionFacts(this.map.get(LOST_SLOT) ?? [], [fact]));
    }
  }

  private isHeld(object: TrackedObject): boolean {
    for (const [key, facts] of this.map) {
      if (key !== LOST_SLOT && facts.some((fact) => fact.object === object)) return true;
    }
    return this.fresh.some((fact) => fact.object === object);
  }

  private allFacts(): Fact[] {
    const out: Fact[] = [];
    for (const [key, facts] of this.map) {
      if (key.startsWith('#with:')) continue;
      for (const fact of facts) if (!out.some((known) => known.id === fact.id)) out.push(fact);
    }
    return out;
  }

  /** The state as a map this node may change: copied from the shared one on first use. */
  private writable(): Map<string, readonly Fact[]> {
    if (!this.owned) {
      this.map = new Map(this.map);
      this.owned = true;
    }
    return this.map as Map<string, readonly Fact[]>;
  }

  private keyOf(expression: Expression): string | undefined {
    const node = unparenthesize(expression);
    if (node.kind === 'Name') return this.shadowed.includes(node.name) ? undefined : node.name;
    if (node.kind === 'Attribute' && node.name && node.object.kind === 'Name' && !this.shadowed.includes(node.object.name)) {
      return `${node.object.name}.${node.name.name}`;
    }
    return undefined;
  }

  private emit(observation: ObservationContent): void {
    if (this.observer === undefined) return;
    // The observation shares the current map; the next write copies it.
    this.owned = false;
    this.observer({ ...observation, body: this.body, node: this.node, state: this.map } as Observation);
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

/** Modules whose members can create tracked objects. */
const PROCESS_PACKAGES = /^(multiprocessing|concurrent)(\.|$)/;

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
 * Calls `visit(name, offset)` for every identifier in `text` followed (after spaces) by `(`.
 * A hand-written scan: a regular expression over a large module costs several times more.
 */
function forEachCalledName(text: string, visit: (name: string, at: number) => void): void {
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
    let after = index;
    while (after < length && (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9)) after++;
    if (after < length && text.charCodeAt(after) === 40 /* ( */) visit(text.slice(start, index), start);
  }
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

interface GuardCondition {
  readonly condition: string;
  readonly variable: string;
  /** The test is true when the condition does not hold (`not ok`, `x is not None`). */
  readonly negated: boolean;
}

/** `ok`, `not ok`, `x is None`, `x is not None`: tests whose outcome a plain name decides. */
function guardCondition(test: Expression): GuardCondition | undefined {
  const node = unparenthesize(test);
  if (node.kind === 'Unary' && node.operator === 'not') {
    const inner = guardCondition(node.operand);
    return inner && { ...inner, negated: !inner.negated };
  }
  if (node.kind === 'Name') return { condition: node.name, variable: node.name, negated: false };
  if (node.kind === 'Binary' && (node.operator === 'is' || node.operator === 'is not')) {
    const left = unparenthesize(node.left);
    const right = unparenthesize(node.right);
    if (left.kind === 'Name' && right.kind === 'Constant' && right.value === 'None') {
      return { condition: `${left.name} is None`, variable: left.name, negated: node.operator === 'is not' };
    }
  }
  return undefined;
}

function guardFor(condition: GuardCondition, truth: boolean): Guard {
  return { condition: condition.condition, variable: condition.variable, holds: condition.negated ? !truth : truth };
}

/** Keeps the facts compatible with `guard` (and, with `tag`, marks the unguarded ones with it). */
function applyGuard(state: FactState, guard: Guard, tag: boolean): FactState {
  let out: Map<string, readonly Fact[]> | undefined;
  for (const [key, facts] of state) {
    let changed = false;
    const kept: Fact[] = [];
    for (const fact of facts) {
      if (fact.guard?.condition === guard.condition && fact.guard.holds !== guard.holds) {
        changed = true;
        continue;
      }
      if (tag && fact.guard === undefined) {
        kept.push(changeFact(fact, { guard }));
        changed = true;
      } else {
        kept.push(fact);
      }
    }
    if (!changed) continue;
    out ??= new Map(state);
    if (kept.length > 0) out.set(key, kept);
    else out.delete(key);
  }
  return out ?? state;
}

function initialPhase(kind: TrackedKind): Phase {
  switch (kind) {
    case 'pool':
    case 'executor':
      return 'running';
    case 'process':
      return 'created';
    default:
      return 'idle';
  }
}

function objectsOf(facts: readonly Fact[]): Set<TrackedObject> {
  return new Set(facts.map((fact) => fact.object));
}

function objectsIn(value: AbstractValue | undefined): Set<TrackedObject> {
  const out = new Set<TrackedObject>();
  const visit = (current: AbstractValue | undefined): void => {
    if (current === undefined) return;
    for (const fact of current.facts) out.add(fact.object);
    current.elements?.forEach(visit);
  };
  visit(value);
  return out;
}

function isNoneLiteral(expression: Expression): boolean {
  const node = unparenthesize(expression);
  return node.kind === 'Constant' && node.value === 'None';
}

/** Plain names in an expression (not inside lambdas, whose parameters could shadow them). */
function namesIn(expression: Expression): string[] {
  const out: string[] = [];
  walkExpression(expression, (node) => {
    if (node.kind === 'Name') out.push(node.name);
  });
  return out;
}

/**
 * `finally` bodies and `with` exits appear in the graph once per way out; their operations are
 * observed once per copy. Merge those into one observation per operation, over all copies.
 */
function mergeCopies(observations: readonly Observation[]): Observation[] {
  const bySite = new Map<object, number>();
  const out: Observation[] = [];
  for (const observation of observations) {
    const site = observationSite(observation);
    const index = bySite.get(site);
    if (index === undefined) {
      bySite.set(site, out.length);
      out.push(observation);
      continue;
    }
    const known = out[index];
    out[index] = {
      ...known,
      facts: unionFacts(known.facts, observation.facts),
      state: joinStates(known.state, observation.state),
    } as Observation;
  }
  return out;
}

function observationSite(observation: Observation): object {
  switch (observation.kind) {
    case 'call':
      return observation.call;
    case 'enter':
      return observation.item;
    case 'setAttribute':
      return observation.target;
    case 'exit':
      return observation.body;
  }
}
