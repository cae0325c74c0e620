// Conditions on plain names that split paths (`if ok:` … `if ok:`): recognising them in tests
// and applying them to a state on each branch. See `Guard` in lifecycleFacts.ts.

import type { Expression } from '../../parser';
import { unparenthesize } from '../../parser';
import { changeFact, type Fact, type FactState, type Guard } from './lifecycleFacts';

export interface GuardCondition {
  readonly condition: string;
  readonly variable: string;
  /** The test is true when the condition does not hold (`not ok`, `x is not None`). */
  readonly negated: boolean;
}

/** `ok`, `not ok`, `x is None`, `x is not None`: tests whose outcome a plain name decides. */
export function guardCondition(test: Expression): GuardCondition | undefined {
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

export function guardFor(condition: GuardCondition, truth: boolean): Guard {
  return { condition: condition.condition, variable: condition.variable, holds: condition.negated ? !truth : truth };
}

/** Keeps the facts compatible with `guard` (and, with `tag`, marks the unguarded ones with it). */
export function applyGuard(state: FactState, guard: Guard, tag: boolean): FactState {
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
