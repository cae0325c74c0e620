// The values a call sends to another process: the arguments of a Pool or executor task (its
// argument tuple and keyword dict, each element of the iterable of `map`/`starmap`, the
// arguments bound by a `functools.partial` task function) and the `args`/`kwargs` of a Process.
// Each value comes with the expression at the call it belongs to, where a finding about it is
// reported when the value itself was written elsewhere (`items = [(q, 1)]` … `pool.starmap(f, items)`).

import type { Argument, CallExpression, Expression } from '../parser';
import { unparenthesize } from '../parser';
import { argumentValue, bindArgument } from './arguments';
import type { ObjectFlow, Origin } from './objectFlow';
import type { Construction, TaskSubmission } from './processApiCalls';
import type { Scope } from './scopes';
import { POOL_TASK_METHODS } from './stdlib/objectApi';

export interface SentValue {
  /** A value pickled for the child (one part of what the call sends). */
  readonly part: Origin;
  /** The argument of the call it comes from. */
  readonly anchor: Expression;
}

/** The callable argument of a task submission (`func`/`fn`), when it can be told. */
export function taskCallable(submission: TaskSubmission): Expression | undefined {
  if (submission.api === 'pool') {
    const shape = POOL_TASK_METHODS.get(submission.method);
    return shape ? argumentValue(submission.call, shape.parameters, shape.callable) : undefined;
  }
  const first = submission.call.args[0];
  return first?.kind === 'Positional' ? first.value : undefined;
}

/** The callable a Process runs (`target=`), when the standard signature applies. */
export function processTarget(construction: Construction): Expression | undefined {
  if (construction.kind !== 'process' || construction.parameters === undefined) return undefined;
  return argumentValue(construction.call, construction.parameters, 'target');
}

/** Everything a Pool/executor task submission pickles besides the function itself. */
export function sentByTask(submission: TaskSubmission, objects: ObjectFlow): SentValue[] {
  const { call, scope } = submission;
  const sent: SentValue[] = [];
  const value = (expression: Expression | undefined): void => {
    if (expression !== undefined) sent.push(...partsOf(expression, expression, scope, objects));
  };
  const iterable = (expression: Expression | undefined): void => {
    if (expression === undefined) return;
    for (const element of objects.elements(expression, scope)?.elements ?? []) {
      sent.push(...partsOf(element.expression, expression, element.scope, objects));
    }
  };
  sent.push(...partialArguments(taskCallable(submission), scope, objects));
  if (submission.api === 'pool') {
    const shape = POOL_TASK_METHODS.get(submission.method);
    if (shape === undefined) return sent;
    if (shape.argumentTuple) value(argumentValue(call, shape.parameters, shape.argumentTuple));
    if (shape.keywordDict) value(argumentValue(call, shape.parameters, shape.keywordDict));
    if (shape.iterable) iterable(argumentValue(call, shape.parameters, shape.iterable));
    return sent;
  }
  // Executor: everything after `fn`. For `submit` the arguments themselves; for `map` iterables.
  call.args.slice(1).forEach((argument: Argument) => {
    if (submission.method === 'submit') {
      if (argument.kind === 'Star') iterable(argument.value);
      else value(argument.value);
    } else if (argument.kind === 'Positional') {
      iterable(argument.value);
    }
  });
  return sent;
}

/** What a Process construction pickles for the child under spawn/forkserver (its `args`, `kwargs`). */
export function sentToProcess(construction: Construction, objects: ObjectFlow): SentValue[] {
  const { call, scope, parameters } = construction;
  if (parameters === undefined || construction.kind !== 'process') return [];
  const sent: SentValue[] = [...partialArguments(processTarget(construction), scope, objects)];
  // `Process.__init__` keeps `tuple(args)` and `dict(kwargs)`: their items are pickled, not the
  // containers (a generator given as `args` is used up in the parent).
  const args = bindArgument(call, parameters, 'args');
  if (args.kind === 'given') {
    for (const element of objects.elements(args.value, scope)?.elements ?? []) {
      sent.push(...partsOf(element.expression, args.value, element.scope, objects));
    }
  }
  const kwargs = bindArgument(call, parameters, 'kwargs');
  if (kwargs.kind === 'given') {
    const top = unparenthesize(kwargs.value);
    sent.push(...partsOf(kwargs.value, kwargs.value, scope, objects).filter((value) => value.part.expression !== top));
  }
  return sent;
}

/** The arguments `functools.partial(f, ...)` binds (pickled with the partial object). */
function partialArguments(callable: Expression | undefined, scope: Scope, objects: ObjectFlow): SentValue[] {
  const node = callable === undefined ? undefined : unparenthesize(callable);
  if (node?.kind !== 'Call' || objects.calleeName(node.callee, scope) !== 'functools.partial') return [];
  return partialCallArguments(node).flatMap((argument) => partsOf(argument, argument, scope, objects));
}

function partialCallArguments(call: CallExpression): Expression[] {
  return call.args.slice(1).filter((argument) => argument.kind !== 'Star' && argument.kind !== 'DoubleStar').map((argument) => argument.value);
}

function partsOf(expression: Expression, anchor: Expression, scope: Scope, objects: ObjectFlow): SentValue[] {
  return objects.pickledParts(expression, scope).map((part) => ({ part, anchor }));
}
