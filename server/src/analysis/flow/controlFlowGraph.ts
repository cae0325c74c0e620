// The intra-procedural control-flow model of one code body (a module, a function or a class
// body): nodes are the points where code runs, edges the ways execution can go from one to
// the next. It is built by `buildControlFlow.ts` and solved by `dataflow.ts`.
//
// Granularity is the statement: a simple statement is one node; compound statements contribute
// nodes for what their headers evaluate or bind (an `if` test, a `for` iterable and target, a
// `with` item's entry and its exit, an `except` clause's name). Code in nested functions,
// lambdas and classes belongs to other bodies.

import type { Block, ExceptHandler, Expression, MatchCase, Statement, WithItem } from '../../parser';

export type FlowNodeKind =
  /** Where the body starts. */
  | 'entry'
  /** The body ends normally: a `return`, or running off its end. */
  | 'exit'
  /** An exception leaves the body. */
  | 'raise'
  /** A simple statement (`statement`): expression, assignment, return, raise, del, import… */
  | 'statement'
  /** Evaluates `expression` and branches: `true`/`false` edges (if, elif, while). */
  | 'test'
  /** Evaluates `expression` once: a `for` loop's iterable, a `match` subject. */
  | 'evaluate'
  /** `for`: binds `target` to the next item (`true` edge) or finds the iterator exhausted (`false`). */
  | 'next'
  /** `with`: evaluates `item.context`, enters it and binds `item.target`. */
  | 'enter'
  /** `with`: leaves `item`'s context; one such node per way out of the block. */
  | 'leave'
  /** `except` clause: evaluates its type and binds its name. */
  | 'handler'
  /** `def`/`class`: evaluates decorators, defaults and bases, and binds the name. */
  | 'definition'
  /** `match` case: binds captures and evaluates the guard; `true` edge when it matches. */
  | 'case'
  /** No code: where paths meet (loop exits, exception dispatch, copies of `finally`). */
  | 'merge';

export type FlowEdgeKind =
  | 'normal'
  /** The test held. */
  | 'true'
  /** The test failed. */
  | 'false'
  /**
   * The node raised before completing: the state that flows is the one *before* the node.
   * Only present where something in the body can catch it (try/except, try/finally, a `with`
   * that may suppress), since otherwise the exception leaves the body.
   */
  | 'exception';

export interface FlowEdge {
  readonly to: number;
  readonly kind: FlowEdgeKind;
}

export interface FlowNode {
  readonly id: number;
  readonly kind: FlowNodeKind;
  /** The statement the node belongs to (for `test`: the `if`/`while`; for `enter`/`leave`: the `with`). */
  readonly statement: Statement | undefined;
  /** `test` and `evaluate`: the expression evaluated. */
  readonly expression: Expression | undefined;
  /** `next`: the loop target. */
  readonly target: Expression | undefined;
  readonly item: WithItem | undefined;
  readonly handler: ExceptHandler | undefined;
  readonly matchCase: MatchCase | undefined;
  /**
   * Code at this node runs where an error is expected: inside `with self.assertRaises(...)`,
   * `pytest.raises(...)`, `contextlib.suppress(...)`, or a `try` whose handlers name the
   * exception classes listed here (`ValueError`, `AssertionError`…). Rules decide what counts.
   */
  readonly expected: ErrorExpectation;
  /**
   * The node belongs to the copy of a `finally` (or a `with` exit) that runs while an exception
   * propagates: code there only runs when something raised.
   */
  readonly exceptional: boolean;
  readonly successors: readonly FlowEdge[];
}

export interface ErrorExpectation {
  /** Inside a `with` block that asserts or suppresses exceptions. */
  readonly anyError: boolean;
  /** Builtin exception names caught by enclosing `except` clauses of this body. */
  readonly caught: ReadonlySet<string>;
}

export const NO_EXPECTATION: ErrorExpectation = { anyError: false, caught: new Set() };

/** The body a graph describes: a module's, a function's or a class's statements. */
export interface FlowGraph {
  readonly block: Block;
  readonly nodes: readonly FlowNode[];
  readonly entry: number;
  readonly exit: number;
  readonly raise: number;
  /** Node ids in reverse post-order from the entry (unreachable nodes left out). */
  readonly order: readonly number[];
}
