// The functions of a module that run in child processes: Process targets, the `run` method of
// Process subclasses, and the functions given to Pool and executor task methods. For each, the
// call that sends it there and whether that child is daemonic (Pool workers always are; a
// Process when `daemon=True` is passed or assigned).

import type { AttributeExpression, CallExpression, ClassDefinition, Expression, FunctionDefinition, Identifier } from '../parser';
import { unparenthesize } from '../parser';
import type { CallableAnalysis } from './callables';
import type { ObjectFlow } from './objectFlow';
import type { Construction, ProcessApiCalls } from './processApiCalls';
import type { Resolver } from './resolver';
import { factKey, type ModuleUnit } from './moduleUnits';
import { unitVisits } from './scopedWalk';
import type { Scope, ScopeTree } from './scopes';
import { processTarget, taskCallable } from './taskData';

export type ChildRole = 'process-target' | 'process-run' | 'pool-task' | 'executor-task';

export interface ChildFunction {
  readonly definition: FunctionDefinition;
  readonly role: ChildRole;
  /** The construction or submission that runs it in a child; a subclass's name when only its definition is seen. */
  readonly site: CallExpression | Identifier;
  /** The child is daemonic, so it may not start processes of its own. */
  readonly daemonic: boolean;
}

export class ChildCode {
  readonly functions: readonly ChildFunction[];

  constructor(scopes: ScopeTree, resolver: Resolver, api: ProcessApiCalls, callables: CallableAnalysis, objects: ObjectFlow) {
    const daemonAssigned = new Set<CallExpression>();
    for (const unit of scopes.units) {
      for (const { target, scope } of unit.syntax(DAEMON_ASSIGNMENTS, () => daemonAssignments(unit, scopes))) {
        for (const origin of objects.origins(target.object, scope) ?? []) {
          if (origin.expression.kind === 'Call' && api.constructionAt(origin.expression)) daemonAssigned.add(origin.expression);
        }
      }
    }

    const functions: ChildFunction[] = [];
    const runMethodsSeen = new Set<ClassDefinition>();
    for (const construction of api.constructions) {
      if (construction.kind !== 'process') continue;
      const daemonic = isDaemonKeyword(construction) || daemonAssigned.has(construction.call);
      const target = processTarget(construction);
      if (target !== undefined) {
        const definition = callables.functionRun(target, construction.scope);
        if (definition) functions.push({ definition, role: 'process-target', site: construction.call, daemonic });
      } else if (construction.subclass !== undefined) {
        const run = resolver.findMethod(construction.subclass, 'run');
        if (run) {
          runMethodsSeen.add(construction.subclass);
          functions.push({ definition: run, role: 'process-run', site: construction.call, daemonic });
        }
      }
    }
    for (const submission of api.submissions) {
      const callable = taskCallable(submission);
      const definition = callable === undefined ? undefined : callables.functionRun(callable, submission.scope);
      if (definition === undefined) continue;
      functions.push({
        definition,
        role: submission.api === 'pool' ? 'pool-task' : 'executor-task',
        site: submission.call,
        // Pool workers are daemonic; ProcessPoolExecutor workers are not (Python 3.9+ and 3.8 alike).
        daemonic: submission.api === 'pool',
      });
    }
    // `run` of Process subclasses this module defines but does not instantiate itself.
    for (const unit of scopes.units) {
      for (const { definition, run } of unit.resolved(PROCESS_CLASSES, () => processClasses(unit, scopes, resolver))) {
        if (!runMethodsSeen.has(definition)) functions.push({ definition: run, role: 'process-run', site: definition.name, daemonic: false });
      }
    }
    this.functions = functions;
  }
}

/** `x.daemon = True` in a unit, with the statement's scope. */
const DAEMON_ASSIGNMENTS = factKey<readonly { readonly target: AttributeExpression; readonly scope: Scope }[]>('daemon assignments');

/** The unit's classes derived from a Process class, with their `run` method. */
const PROCESS_CLASSES = factKey<readonly { readonly definition: ClassDefinition; readonly run: FunctionDefinition }[]>('process classes');

function daemonAssignments(unit: ModuleUnit, scopes: ScopeTree): { target: AttributeExpression; scope: Scope }[] {
  const found: { target: AttributeExpression; scope: Scope }[] = [];
  const { nodes, scopes: nodeScopes } = unitVisits(unit, scopes);
  for (let index = 0; index < nodes.length; index++) {
    const statement = nodes[index];
    if (statement.kind !== 'Assign' || !isTrue(statement.value)) continue;
    for (const target of statement.targets) {
      const node = unparenthesize(target);
      if (node.kind === 'Attribute' && node.name?.name === 'daemon') found.push({ target: node, scope: nodeScopes[index] });
    }
  }
  return found;
}

function processClasses(unit: ModuleUnit, scopes: ScopeTree, resolver: Resolver): { definition: ClassDefinition; run: FunctionDefinition }[] {
  const found: { definition: ClassDefinition; run: FunctionDefinition }[] = [];
  const { nodes } = unitVisits(unit, scopes);
  for (const statement of nodes) {
    if (statement.kind !== 'ClassDef' || resolver.apiBase(statement)?.info.kind !== 'process') continue;
    const run = resolver.findMethod(statement, 'run');
    if (run) found.push({ definition: statement, run });
  }
  return found;
}

function isTrue(expression: Expression | undefined): boolean {
  const node = expression === undefined ? undefined : unparenthesize(expression);
  return node?.kind === 'Constant' && node.value === 'True';
}

function isDaemonKeyword(construction: Construction): boolean {
  const argument = construction.call.args.find((candidate) => candidate.kind === 'Keyword' && candidate.name.name === 'daemon');
  return argument !== undefined && isTrue(argument.value);
}
