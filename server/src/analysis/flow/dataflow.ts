// A forward dataflow solver over a FlowGraph: states flow along edges, meet at joins, and are
// transformed by each node, until nothing changes. States are values of a finite lattice
// supplied by the problem (`join` must be commutative, associative and idempotent, and
// `transfer` monotone), so the iteration terminates; a cap on node visits guards against a
// problem that breaks those rules.

import type { FlowEdge, FlowGraph, FlowNode } from './controlFlowGraph';

export interface ForwardProblem<S> {
  /** The state at the body's entry. */
  readonly initial: S;
  /** The state after `node` ran, given the state before it. */
  transfer(node: FlowNode, input: S): S;
  /**
   * The state that flows along `edge` (a branch can rule facts out: on the `false` edge of
   * `if pool is not None:` the name holds no pool). Undefined when the edge cannot be taken.
   */
  refine?(node: FlowNode, edge: FlowEdge, output: S): S | undefined;
  join(a: S, b: S): S;
  equals(a: S, b: S): boolean;
}

/** How many times each node may be re-visited on average before the solver gives up. */
export const MAX_VISITS_PER_NODE = 64;

/**
 * The state before each node (undefined for nodes no path reaches), or undefined as a whole
 * when the problem did not settle within the visit budget.
 */
export function solveForward<S>(graph: FlowGraph, problem: ForwardProblem<S>): (S | undefined)[] | undefined {
  const inputs: (S | undefined)[] = new Array(graph.nodes.length).fill(undefined);
  // Process in reverse post-order: each node after its forward predecessors.
  const rank = new Int32Array(graph.nodes.length).fill(-1);
  graph.order.forEach((id, index) => (rank[id] = index));
  const pending = new Uint8Array(graph.nodes.length);
  const queue = new RankQueue(rank);
  inputs[graph.entry] = problem.initial;
  queue.push(graph.entry);
  pending[graph.entry] = 1;
  let budget = graph.nodes.length * MAX_VISITS_PER_NODE + 1000;
  while (!queue.empty()) {
    if (--budget < 0) return undefined;
    const id = queue.pop();
    pending[id] = 0;
    const node = graph.nodes[id];
    const input = inputs[id] as S;
    const output = problem.transfer(node, input);
    for (const edge of node.successors) {
      // An exception edge leaves before the node completed: the state before it flows.
      const leaving = edge.kind === 'exception' ? input : output;
      const state = problem.refine ? problem.refine(node, edge, leaving) : leaving;
      if (state === undefined) continue;
      const known = inputs[edge.to];
      const merged = known === undefined ? state : problem.join(known, state);
      if (known !== undefined && problem.equals(known, merged)) continue;
      inputs[edge.to] = merged;
      if (!pending[edge.to]) {
        pending[edge.to] = 1;
        queue.push(edge.to);
      }
    }
  }
  return inputs;
}

/** A min-heap of node ids ordered by their reverse post-order rank. */
class RankQueue {
  private readonly heap: number[] = [];

  constructor(private readonly rank: Int32Array) {}

  empty(): boolean {
    return this.heap.length === 0;
  }

  push(id: number): void {
    const heap = this.heap;
    heap.push(id);
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.rank[heap[parent]] <= this.rank[heap[at]]) break;
      [heap[parent], heap[at]] = [heap[at], heap[parent]];
      at = parent;
    }
  }

  pop(): number {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      let at = 0;
      for (;;) {
        const left = at * 2 + 1;
        const right = left + 1;
        let smallest = at;
        if (left < heap.length && this.rank[heap[left]] < this.rank[heap[smallest]]) smallest = left;
        if (right < heap.length && this.rank[heap[right]] < this.rank[heap[smallest]]) smallest = right;
        if (smallest === at) break;
        [heap[smallest], heap[at]] = [heap[at], heap[smallest]];
        at = smallest;
      }
    }
    return top;
  }
}
