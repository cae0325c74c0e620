// The transfer function of the lifecycle problem: runs one flow node's code over a state (which
// names hold which tracked objects, in which phase), and — in the final pass — reports what the
// rules observe. See lifecycleAnalysis.ts for the whole analysis.

import type { AttributeExpression, CallExpression, ClassDefinition, Expression, FunctionDefinition, LambdaExpression, Statement, WithItem } from '../../parser';
import { statementExpressions, unparenthesize, walkExpression } from '../../parser';
import type { CodeBody, FlowEdge, FlowNode } from '../flow';
import { containsOffset } from './callSites';
import { applyGuard, guardCondition, guardFor } from './guards';
import {
  changeFact,
  EMPTY_STATE,
  type Fact,
  type FactState,
  isSlot,
  joinStates,
  LOST_SLOT,
  makeFact,
  normalizeGuards,
  type Phase,
  tidyFacts,
  type TrackedObject,
  unionFacts,
  withSlot,
} from './lifecycleFacts';
import type { Observation, ObservationContent } from './observations';
import { CONTEXT_MANAGED_KINDS, LIFECYCLE_METHODS, QUEUE_GET_METHODS, SHARED_RESOURCE_KINDS, type TrackedKind } from './trackedApi';

/** What the evaluator asks of the analysis around it. */
export interface EvaluationContext {
  queuesFilledBy(process: TrackedObject): Set<TrackedObject>;
  subclassDefines(definition: ClassDefinition, method: string): boolean;
  namesReachable(owner: FunctionDefinition | ClassDefinition | LambdaExpression, body: CodeBody): ReadonlySet<string>;
  noteCreationExpectingError(object: TrackedObject): void;
}

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

/** Methods that, taken as values (`callback=pool.close`), can change the object when called later. */
const BOUND_METHODS: ReadonlySet<string> = new Set(Object.values(LIFECYCLE_METHODS).flat());

/** What an expression evaluates to, as far as tracked objects go. */
interface AbstractValue {
  readonly facts: readonly Fact[];
  /** A tuple or list display (or `Pipe()`'s pair), element by element. */
  readonly elements?: readonly (AbstractValue | undefined)[];
}

/** Runs one node's code over a state: the transfer function of the lifecycle problem. */
export class BodyEvaluator {
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

  /** Where the body's creating calls start, sorted. */
  private readonly creationOffsets: readonly number[];

  constructor(
    private readonly analysis: EvaluationContext,
    private readonly body: CodeBody,
    private readonly creations: ReadonlyMap<CallExpression, TrackedObject[]>,
    private readonly captured: ReadonlySet<string>,
  ) {
    this.creationOffsets = [...creations.keys()].map((call) => call.from).sort((a, b) => a - b);
  }

  transfer(node: FlowNode, input: FactState): FactState {
    // Before anything is tracked, only a node that creates something can change the state.
    if (input.size === 0 && node.kind !== 'exit' && !this.mayCreate(node)) return input;
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
        if (node.expression) this.evaluate(node.expression);
        break;
      case 'evaluate':
        // A loop's iterable or a match subject: its items reach the loop target or the patterns.
        if (node.expression) this.escape(this.evaluate(node.expression), true);
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

  private mayCreate(node: FlowNode): boolean {
    let span: { from: number; to: number } | undefined;
    switch (node.kind) {
      case 'statement':
      case 'definition':
        span = node.statement;
        break;
      case 'test':
      case 'evaluate':
        span = node.expression;
        break;
      case 'enter':
        span = node.item;
        break;
      case 'handler':
        span = node.handler?.type;
        break;
      case 'case':
        span = node.matchCase?.guard;
        break;
      default:
        span = undefined;
    }
    return span !== undefined && containsOffset(this.creationOffsets, span.from, span.to);
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
        // Reading an attribute of an object (`p.exitcode`) neither keeps nor changes it, but a
        // bound method (`pool.terminate`, handed to a timer or a signal handler) can act on it
        // later: it carries the object like a container does.
        const owner = this.evaluate(expression.object);
        if (owner !== undefined && owner.facts.length > 0 && expression.name && BOUND_METHODS.has(expression.name.name)) {
          return { facts: [], elements: [owner] };
        }
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
      if (changed) this.writable().set(key, tidyFacts(updated));
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
    const normalFacts = this.node.exceptional ? [] : observation.facts;
    this.observer(Object.assign(observation, { body: this.body, node: this.node, state: this.map, normalFacts }) as Observation);
  }
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
