// The functions of a module that run in child processes: Process targets, the `run` method of
// Process subclasses, and the functions given to Pool and executor task methods. For each, the
// call that sends it there and whether that child is daemonic (Pool workers always are; a
// Process when `daemon=True` is passed or assigned).

import type { CallExpression, ClassDefinition, Expression, FunctionDefinition, Identifier } from '../parser';
import { unparenthesize } from '../parser';
import type { CallableAnalysis } from './callables';
import type { ObjectFlow } from './objectFlow';
import type { Construction, ProcessApiCalls } from './processApiCalls';
import type { Resolver } from './resolver';
import { walkWithScopes } from './scopedWalk';
import type { ScopeTree } from './scopes';
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
    walkWithScopes(scopes, {
      statement: (statement, scope) => {
        if (statement.kind !== 'Assign' || !isTrue(statement.value)) return;
        for (const target of statement.targets) {
          const node = unparenthesize(target);
          if (node.kind !== 'Attribute' || node.name?.name !== 'daemon') continue;
          for (const origin of objects.origins(node.object, scope) ?? []) {
            if (origin.expression.kind === 'Call' && api.constructionAt(origin.expression)) daemonAssigned.add(origin.expression);
          }
        }
      },
    });

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
    walkWithScopes(scopes, {
      statement: (statement) => {
        if (statement.kind !== 'ClassDef' || runMethodsSeen.has(statement)) return;
        if (resolver.apiBase(statement)?.info.kind !== 'process') return;
        const run = resolver.findMethod(statement, 'run');
        if (run) functions.push({ definition: run, role: 'process-run', site: statement.name, daemonic: false });
      },
    });
    this.functions = functions;
  }
}

function isTrue(expression: Expression | undefined): boolean {
  const node = expression === undefined ? undefined : unparenthesize(expression);
  return node?.kind === 'Constant' && node.value === 'True';
}

function isDaemonKeyword(construction: Construction): boolean {
  const argument = construction.call.args.find((candidate) => candidate.kind === 'Keyword' && candidate.name.name === 'daemon');
  return argument !== undefined && isTrue(argument.value);
}
