// Recognises `if __name__ == "__main__":` and its variations, and says which branch of an `if`
// only runs when the module is the program's entry point (never when a child process
// re-imports it as `__mp_main__`, and never when another module imports it).

import type { Expression } from '../parser';
import { unparenthesize } from '../parser';

export interface GuardBranches {
  /** The `if` body runs only when `__name__ == "__main__"`. */
  readonly bodyRunsOnlyAsMain: boolean;
  /** The `else` branch runs only when `__name__ == "__main__"`. */
  readonly orElseRunsOnlyAsMain: boolean;
}

const NEITHER: GuardBranches = { bodyRunsOnlyAsMain: false, orElseRunsOnlyAsMain: false };

/**
 * Handles `__name__ == "__main__"` in either operand order, `!=` (whose `else` is the guarded
 * branch), `not`, and `and`/`or` combinations (`if __name__ == "__main__" and args:` guards
 * its body).
 */
export function mainGuardBranches(test: Expression): GuardBranches {
  const node = unparenthesize(test);
  if (node.kind === 'Unary' && node.operator === 'not') {
    const inner = mainGuardBranches(node.operand);
    return { bodyRunsOnlyAsMain: inner.orElseRunsOnlyAsMain, orElseRunsOnlyAsMain: inner.bodyRunsOnlyAsMain };
  }
  if (node.kind !== 'Binary') return NEITHER;
  if (node.operator === 'and' || node.operator === 'or') {
    const left = mainGuardBranches(node.left);
    const right = mainGuardBranches(node.right);
    if (node.operator === 'and') {
      // body: both hold; else: at least one fails.
      return {
        bodyRunsOnlyAsMain: left.bodyRunsOnlyAsMain || right.bodyRunsOnlyAsMain,
        orElseRunsOnlyAsMain: left.orElseRunsOnlyAsMain && right.orElseRunsOnlyAsMain,
      };
    }
    return {
      bodyRunsOnlyAsMain: left.bodyRunsOnlyAsMain && right.bodyRunsOnlyAsMain,
      orElseRunsOnlyAsMain: left.orElseRunsOnlyAsMain || right.orElseRunsOnlyAsMain,
    };
  }
  if (node.operator !== '==' && node.operator !== '!=') return NEITHER;
  if (!comparesNameWithMain(unparenthesize(node.left), unparenthesize(node.right))) return NEITHER;
  return node.operator === '=='
    ? { bodyRunsOnlyAsMain: true, orElseRunsOnlyAsMain: false }
    : { bodyRunsOnlyAsMain: false, orElseRunsOnlyAsMain: true };
}

function comparesNameWithMain(left: Expression, right: Expression): boolean {
  return (isDunderName(left) && isMainString(right)) || (isMainString(left) && isDunderName(right));
}

function isDunderName(expression: Expression): boolean {
  return expression.kind === 'Name' && expression.name === '__name__';
}

function isMainString(expression: Expression): boolean {
  return expression.kind === 'String' && !expression.isBytes && expression.value === '__main__';
}
