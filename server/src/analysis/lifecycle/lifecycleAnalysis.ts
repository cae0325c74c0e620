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

import type { CallExpression, ClassDefinition, ExpressionStatement, FunctionDefinition, LambdaExpression, Module } from '../../parser';
import { unparenthesize } from '../../parser';
import { buildControlFlow, type CodeBody, solveForward, type Termination } from '../flow';
import { unitBodies } from '../flow/codeBodies';
import { factKey } from '../moduleUnits';
import type { Resolver } from '../resolver';
import type { Scope, ScopeTree } from '../scopes';
import { BodyEvaluator, type EvaluationContext } from './bodyEvaluator';
import { containsOffset, forEachOwnCall } from './callSites';
import { type ChildHandoff, handoffToChild, parametersPutInto } from './childHandoff';
import { CreationSearch, PROCESS_PACKAGES, type UnitSelection } from './creationSearch';
import { EMPTY_STATE, type FactState, joinStates, sameStates, type TrackedObject } from './lifecycleFacts';
import { mergeCopies, type Observation } from './observations';
import { ScopeNames } from './scopeNames';
import { bindsAny, trackedCreation } from './trackedCreations';

/** What the lifecycle analysis found in the bodies of one unit. */
interface UnitLifecycles {
  readonly observations: readonly Observation[];
  readonly objects: readonly TrackedObject[];
  readonly skipped: readonly CodeBody[];
  readonly errors: readonly unknown[];
}

/** Where a unit's code may create tracked objects. */
const UNIT_SELECTION = factKey<UnitSelection>('creation candidates', 'classes and as names');
const UNIT_LIFECYCLES = factKey<UnitLifecycles>('lifecycles', 'classes and as names');

/** Objects created where the code expects an error (see `createdWhereErrorExpected`). */
const failingCreations = new WeakSet<TrackedObject>();

export interface LifecycleInput {
  /** The module's text: used to skip, cheaply, bodies that contain no call a creation could be. */
  readonly text: string;
  /** Every `as name` of the text (see CreationSearch). */
  readonly asNames: ReadonlySet<string>;
  /** Numbers each tracked object (unique among the objects of all versions that may meet). */
  readonly nextObjectId: () => number;
}

export class LifecycleAnalysis implements EvaluationContext {
  private computed: { observations: Observation[]; objects: TrackedObject[]; skipped: CodeBody[]; errors: unknown[] } | undefined;
  private readonly targets = new Map<TrackedObject, ChildHandoff | undefined>();
  private readonly puts = new Map<FunctionDefinition, Set<string>>();
  private readonly scopeNames = new ScopeNames();
  private readonly subclassMethods = new Map<ClassDefinition, Map<string, boolean>>();

  constructor(
    readonly scopes: ScopeTree,
    readonly resolver: Resolver,
    private readonly input: LifecycleInput,
  ) {}

  /** Every observation of every body, grouped by body, each group in flow order. */
  get observations(): readonly Observation[] {
    return this.run().observations;
  }

  /** Every tracked object created anywhere in the module. */
  get objects(): readonly TrackedObject[] {
    return this.run().objects;
  }

  /** Errors the analysis of a body ran into (a bug; the body is then skipped). Empty, always, in the tests. */
  get internalErrors(): readonly unknown[] {
    return this.run().errors;
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
    return failingCreations.has(object);
  }

  /** @internal the evaluator records creations it sees inside error-expecting code. */
  noteCreationExpectingError(object: TrackedObject): void {
    failingCreations.add(object);
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
    let methods = this.subclassMethods.get(definition);
    if (methods === undefined) {
      methods = new Map();
      this.subclassMethods.set(definition, methods);
    }
    let known = methods.get(method);
    if (known === undefined) {
      known = bindsAny(definition, [method], this.resolver, new Set());
      methods.set(method, known);
    }
    return known;
  }

  /** Names of `body` that the code of `owner` (a def, class or lambda nested in it) can reach. */
  namesReachable(owner: FunctionDefinition | ClassDefinition | LambdaExpression, body: CodeBody): ReadonlySet<string> {
    const scope = this.scopes.scopeOf(owner);
    return scope === undefined ? new Set() : this.scopeNames.namesReaching(scope, body.scope);
  }

  /**
   * The module's own code is analysed for each version; the bodies of each unit are analysed
   * once and kept with the unit (they depend on names only, see AnalysisCache).
   */
  private run(): { observations: Observation[]; objects: TrackedObject[]; skipped: CodeBody[]; errors: unknown[] } {
    if (this.computed) return this.computed;
    const observations: Observation[] = [];
    const objects: TrackedObject[] = [];
    const skipped: CodeBody[] = [];
    const errors: unknown[] = [];
    this.computed = { observations, objects, skipped, errors };
    // Every tracked constructor lives in `multiprocessing` or `concurrent.futures`: a module that
    // names neither (and is not part of them, reaching them by relative imports) creates nothing.
    const identity = this.scopes.identity?.name ?? '';
    if (!/multiprocessing|concurrent/.test(this.input.text) && !PROCESS_PACKAGES.test(identity)) return this.computed;
    let search: CreationSearch | undefined;
    const selections = this.scopes.units.map((unit) =>
      unit.resolved(UNIT_SELECTION, () => {
        search ??= new CreationSearch(this.scopes, this.input.text, this.input.asNames);
        return search.unitSelection(unit);
      }),
    );
    const moduleOffsets = selections.flatMap((selection, index) => absolute(selection.module, this.scopes.units[index].statement.from));
    if (moduleOffsets.length > 0) {
      const module = this.scopes.moduleScope.owner as Module;
      const body: CodeBody = { owner: module, block: module.body, scope: this.scopes.moduleScope };
      this.analyseInto(body, moduleOffsets, { observations, objects, skipped, errors });
    }
    this.scopes.units.forEach((unit, index) => {
      const found = unit.resolved(UNIT_LIFECYCLES, () => {
        const results = { observations: [] as Observation[], objects: [] as TrackedObject[], skipped: [] as CodeBody[], errors: [] as unknown[] };
        const selection = selections[index];
        if (selection.bodies.size === 0) return results;
        for (const body of unitBodies(unit)) {
          const offsets = selection.bodies.get(body);
          if (offsets !== undefined) this.analyseInto(body, absolute(offsets, unit.statement.from), results);
        }
        return results;
      });
      for (const observation of found.observations) observations.push(observation);
      for (const object of found.objects) objects.push(object);
      for (const body of found.skipped) skipped.push(body);
      for (const error of found.errors) errors.push(error);
    });
    return this.computed;
  }

  private analyseInto(
    body: CodeBody,
    offsets: readonly number[],
    into: { observations: Observation[]; objects: TrackedObject[]; skipped: CodeBody[]; errors: unknown[] },
  ): void {
    try {
      const found = this.analyseBody(body, into.objects, offsets);
      if (found === undefined) into.skipped.push(body);
      else for (const observation of found) into.observations.push(observation);
    } catch (error) {
      // A bug here must not take the editor's other findings down: the body is left
      // unanalysed (nothing reported for it) and the error kept for the tests to see.
      into.errors.push(error);
      into.skipped.push(body);
    }
  }

  /** The observations of one body; undefined when its flow is too large to analyse. */
  private analyseBody(body: CodeBody, objects: TrackedObject[], offsets: readonly number[]): Observation[] | undefined {
    const creations = this.findCreations(body, objects, offsets);
    if (creations.size === 0) return [];
    const graph = buildControlFlow(body.block, { terminates: (statement) => this.termination(statement, body.scope) });
    if (graph === undefined) return undefined;
    const evaluator = new BodyEvaluator(this, body, creations, this.capturedNames(body));
    // Observations are recorded while solving: a worklist solver re-runs a node whenever its
    // input changes, so the last run of each node saw its final input, and what it observed
    // then replaces what earlier runs did. No second pass over the graph is needed.
    const observedAt: (Observation[] | undefined)[] = new Array(graph.nodes.length);
    let current: Observation[] = [];
    evaluator.observer = (observation) => current.push(observation);
    const inputs = solveForward<FactState>(graph, {
      initial: EMPTY_STATE,
      transfer: (node, state) => {
        current = [];
        const output = evaluator.transfer(node, state);
        observedAt[node.id] = current.length > 0 ? current : undefined;
        return output;
      },
      refine: (node, edge, state) => evaluator.refine(node, edge, state),
      join: joinStates,
      equals: sameStates,
    });
    if (inputs === undefined) return undefined;
    const found: Observation[] = [];
    for (const id of graph.order) {
      const observed = observedAt[id];
      if (observed !== undefined) found.push(...observed);
    }
    return mergeCopies(found);
  }


  /** Creation calls in the code a body runs itself (not in nested functions, lambdas or classes). */
  private findCreations(body: CodeBody, objects: TrackedObject[], offsets?: readonly number[]): Map<CallExpression, TrackedObject[]> {
    const creations = new Map<CallExpression, TrackedObject[]>();
    forEachOwnCall(body, this.scopes, (call, scope) => {
      // Only the calls the text search pointed at (offsets) are resolved.
      if (offsets !== undefined) {
        const callee = unparenthesize(call.callee);
        const at = callee.kind === 'Attribute' ? callee.name?.from : callee.kind === 'Name' ? callee.from : undefined;
        if (at === undefined || !containsOffset(offsets, at, at + 1)) return;
      }
      const creation = trackedCreation(call, scope, this.resolver);
      if (creation === undefined) return;
      const made: TrackedObject[] = [];
      for (let index = 0; index < (creation.pair ? 2 : 1); index++) {
        const object: TrackedObject = {
          id: this.input.nextObjectId(),
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
    }, offsets);
    return creations;
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
    const name = callee.kind === 'Name' ? callee.name : callee.kind === 'Attribute' ? callee.name?.name : undefined;
    // Only these names can be `sys.exit`, `os._exit`, `os.abort` or the `exit`/`quit` builtins.
    if (name !== 'exit' && name !== 'quit' && name !== '_exit' && name !== 'abort') return undefined;
    if (callee.kind === 'Name' && (name === 'exit' || name === 'quit') && scope.lookup(name) === undefined) return 'raise';
    const resolved = this.resolver.resolve(value.callee, scope);
    if (resolved?.kind !== 'qualified') return undefined;
    if (resolved.name === 'sys.exit') return 'raise';
    if (resolved.name === 'os._exit' || resolved.name === 'os.abort') return 'abort';
    return undefined;
  }
}

function absolute(offsets: readonly number[], base: number): number[] {
  return offsets.map((offset) => offset + base);
}
