// Binds a call's arguments to the parameters of a known signature, the way Python would, and
// says so when it cannot know (a `*args` or `**kwargs` at the call could supply anything).

import type { Argument, CallExpression, Expression } from '../parser';

export type ArgumentLookup =
  /** `argument` is the keyword or positional argument that binds the parameter. */
  | { readonly kind: 'given'; readonly value: Expression; readonly argument: Argument; readonly byKeyword: boolean }
  /** Nothing binds it: the parameter keeps its default. */
  | { readonly kind: 'absent' }
  /** A `*iterable` or `**mapping` at the call may bind it. */
  | { readonly kind: 'unknown' };

const ABSENT: ArgumentLookup = { kind: 'absent' };
const UNKNOWN: ArgumentLookup = { kind: 'unknown' };

/** The argument binding `name`, for a signature whose positional parameters are `parameters`. */
export function bindArgument(call: CallExpression, parameters: readonly string[], name: string): ArgumentLookup {
  for (const argument of call.args) {
    if (argument.kind === 'Keyword' && argument.name.name === name) {
      return { kind: 'given', value: argument.value, argument, byKeyword: true };
    }
  }
  const position = parameters.indexOf(name);
  let index = 0;
  let starred = false;
  for (const argument of call.args) {
    if (argument.kind === 'Star') starred = true;
    if (argument.kind !== 'Positional') continue;
    if (starred) return UNKNOWN;
    if (index === position) return { kind: 'given', value: argument.value, argument, byKeyword: false };
    index++;
  }
  if (call.args.some((argument) => argument.kind === 'DoubleStar')) return UNKNOWN;
  if (starred && position >= 0) return UNKNOWN;
  return ABSENT;
}

/** The value of a given argument, or undefined when absent or unknowable. */
export function argumentValue(call: CallExpression, parameters: readonly string[], name: string): Expression | undefined {
  const lookup = bindArgument(call, parameters, name);
  return lookup.kind === 'given' ? lookup.value : undefined;
}

/** Positional arguments before the first `*iterable`. */
export function leadingPositionals(call: CallExpression): Argument[] {
  const out: Argument[] = [];
  for (const argument of call.args) {
    if (argument.kind === 'Star') break;
    if (argument.kind === 'Positional') out.push(argument);
  }
  return out;
}
