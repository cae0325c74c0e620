// Builds the control-flow graph of one code body (see `controlFlowGraph.ts`).
//
// Ways out of the straight line, and how they are modelled:
// - `if`/`elif`/`else`, `while`/`for` (with `break`, `continue` and `else`), `match` cases;
//   `while True:` only leaves through `break`.
// - `return`, `raise`, `sys.exit()` (an exception) and `os._exit()` (the process ends: not even
//   `finally` runs).
// - `try`: every statement of the body that can raise gets an `exception` edge, carrying the
//   state before it, to the exception dispatch; from there to each `except` clause and, unless
//   one catches everything, onwards. `finally` runs on every way out of the `try`: the graph
//   holds one copy of it per kind of exit that happens (normal, return, exception, break,
//   continue), each continuing where that exit goes, so paths never mix in the copy (a
//   `return` inside the `try` does not appear to fall through to the code after it).
// - `with`: the context is left at the end of the block and on every early exit, modelled like
//   `finally`. A `with` that asserts or suppresses exceptions (`assertRaises`, `pytest.raises`,
//   `contextlib.suppress`) also continues after the block when its body raised.
// Exceptions no handler in the body can catch simply leave the body; such edges are not built.
//
// Work is bounded: a body whose graph would exceed MAX_FLOW_NODES gets no graph (callers treat
// it as unknown), and recursion follows the syntax view's nesting, which the parser adapter
// already bounds.

import type { Block, Expression, ExpressionStatement, Statement, WithItem, WithStatement } from '../../parser';
import { unparenthesize } from '../../parser';
import type { ErrorExpectation, FlowEdgeKind, FlowGraph, FlowNode, FlowNodeKind } from './controlFlowGraph';
import { NO_EXPECTATION } from './controlFlowGraph';
import { catchesException } from '../exceptionContexts';

/** Larger bodies are not analysed (a generated 50,000-statement module, say). */
export const MAX_FLOW_NODES = 60_000;

/** How an expression statement ends the flow, if it does (decided by the caller, who can resolve names). */
export type Termination = 'raise' | 'abort';

export interface ControlFlowOptions {
  /** `sys.exit()` raises SystemExit; `os._exit()` ends the process on the spot. */
  readonly terminates?: (statement: ExpressionStatement) => Termination | undefined;
}

type JumpKind = 'return' | 'exception' | 'break' | 'continue';

type Frame =
  | { readonly kind: 'loop'; readonly continueTo: number; readonly breakTo: number; readonly inner: FrameContext }
  | { readonly kind: 'handlers'; readonly dispatch: number; readonly inner: FrameContext }
  | { readonly kind: 'finally'; readonly body: Block; readonly copies: Map<JumpKind, number>; readonly inner: FrameContext }
  | {
      readonly kind: 'with';
      readonly item: WithItem;
      readonly statement: WithStatement;
      /** Where execution continues when the context suppressed an exception. */
      readonly suppressed: number | undefined;
      readonly copies: Map<JumpKind, number>;
      readonly inner: FrameContext;
    };

/** What holds for code inside a frame. */
interface FrameContext {
  readonly expected: ErrorExpectation;
  /** Some frame at or outside this one can catch an exception (so exception edges matter). */
  readonly catching: boolean;
}

const TOP: FrameContext = { expected: NO_EXPECTATION, catching: false };

/** A way out of a piece of graph not yet connected to what follows. */
interface Exit {
  readonly from: number;
  readonly kind: FlowEdgeKind;
}

interface MutableNode extends Omit<FlowNode, 'successors'> {
  successors: { to: number; kind: FlowEdgeKind }[];
}

class BudgetExceeded extends Error {}

/** Method names whose calls, as whole statements, are assumed not to raise (see `canRaise`). */
const LIFECYCLE_CALLS = new Set(['start', 'close', 'terminate', 'kill', 'join', 'shutdown']);

/** `with` contexts that assert or swallow exceptions raised in their block. */
export function buildControlFlow(block: Block, options: ControlFlowOptions = {}): FlowGraph | undefined {
  try {
    return new GraphBuilder(options).build(block);
  } catch (error) {
    if (error instanceof BudgetExceeded) return undefined;
    throw error;
  }
}

class GraphBuilder {
  private readonly nodes: MutableNode[] = [];
  /** How many edges lead to each node. */
  private readonly incoming: number[] = [];
  private frames: Frame[] = [];
  /** Building the copy of a `finally` that runs while an exception propagates. */
  private exceptional = false;
  private exitNode = -1;
  private raiseNode = -1;

  constructor(private readonly options: ControlFlowOptions) {}

  build(block: Block): FlowGraph {
    const entry = this.node('entry');
    this.exitNode = this.node('exit');
    this.raiseNode = this.node('raise');
    const ends = this.block(block, [{ from: entry, kind: 'normal' }]);
    this.link(ends, this.exitNode);
    return {
      block,
      nodes: this.nodes,
      entry,
      exit: this.exitNode,
      raise: this.raiseNode,
      order: reversePostOrder(this.nodes, entry),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Nodes and edges

  private get context(): FrameContext {
    return this.frames.length === 0 ? TOP : this.frames[this.frames.length - 1].inner;
  }

  private node(
    kind: FlowNodeKind,
    fields: Partial<Pick<FlowNode, 'statement' | 'expression' | 'target' | 'item' | 'handler' | 'matchCase'>> = {},
  ): number {
    if (this.nodes.length >= MAX_FLOW_NODES) throw new BudgetExceeded();
    const id = this.nodes.length;
    this.nodes.push({
      id,
      kind,
      statement: fields.statement,
      expression: fields.expression,
      target: fields.target,
      item: fields.item,
      handler: fields.handler,
      matchCase: fields.matchCase,
      expected: this.context.expected,
      exceptional: this.exceptional,
      successors: [],
    });
    this.incoming.push(0);
    return id;
  }

  /** A node that runs code: linked from `exits`, with an exception edge when something can catch. */
  private codeNode(
    kind: FlowNodeKind,
    exits: readonly Exit[],
    fields: Partial<Pick<FlowNode, 'statement' | 'expression' | 'target' | 'item' | 'handler' | 'matchCase'>>,
    raises: boolean,
  ): number {
    const id = this.node(kind, fields);
    this.link(exits, id);
    if (raises && this.context.catching) {
      const target = this.jumpTarget('exception', this.frames.length);
      if (target !== undefined) this.edge(id, target, 'exception');
    }
    return id;
  }

  private edge(from: number, to: number, kind: FlowEdgeKind): void {
    const successors = this.nodes[from].successors;
    if (successors.some((edge) => edge.to === to && edge.kind === kind)) return;
    successors.push({ to, kind });
    this.incoming[to]++;
  }

  private link(exits: readonly Exit[], to: number): void {
    for (const exit of exits) this.edge(exit.from, to, exit.kind);
  }

  private hasPredecessors(id: number): boolean {
    return this.incoming[id] > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Jumps: where `return`, `break`, `continue` and exceptions go from inside `depth` frames

  private jumpTarget(kind: JumpKind, depth: number): number | undefined {
    if (depth === 0) {
      if (kind === 'return') return this.exitNode;
      if (kind === 'exception') return this.raiseNode;
      return undefined; // `break`/`continue` outside a loop: a syntax error, nowhere to go
    }
    const frame = this.frames[depth - 1];
    switch (frame.kind) {
      case 'loop':
        if (kind === 'break') return frame.breakTo;
        if (kind === 'continue') return frame.continueTo;
        return this.jumpTarget(kind, depth - 1);
      case 'handlers':
        return kind === 'exception' ? frame.dispatch : this.jumpTarget(kind, depth - 1);
      case 'finally':
      case 'with': {
        const known = frame.copies.get(kind);
        if (known !== undefined) return known;
        return this.withOuterFrames(depth - 1, kind === 'exception', () => {
          const start = frame.kind === 'finally' ? this.node('merge') : this.node('leave', { statement: frame.statement, item: frame.item });
          frame.copies.set(kind, start);
          const ends: Exit[] =
            frame.kind === 'finally' ? this.block(frame.body, [{ from: start, kind: 'normal' }]) : [{ from: start, kind: 'normal' }];
          const next = this.jumpTarget(kind, depth - 1);
          if (next !== undefined) this.link(ends, next);
          if (frame.kind === 'with' && kind === 'exception' && frame.suppressed !== undefined) {
            this.link(ends, frame.suppressed);
          }
          return start;
        });
      }
    }
  }

  /** Builds code that sits outside the innermost frames (a `finally` copy) with only the outer ones active. */
  private withOuterFrames<T>(depth: number, exceptional: boolean, build: () => T): T {
    const saved = this.frames;
    const savedExceptional = this.exceptional;
    this.frames = saved.slice(0, depth);
    this.exceptional = savedExceptional || exceptional;
    try {
      return build();
    } finally {
      this.frames = saved;
      this.exceptional = savedExceptional;
    }
  }

  private jump(kind: JumpKind, exits: readonly Exit[]): void {
    const target = this.jumpTarget(kind, this.frames.length);
    if (target !== undefined) this.link(exits, target);
  }

  private push(frame: Frame): void {
    this.frames = [...this.frames, frame];
  }

  private pop(): void {
    this.frames = this.frames.slice(0, -1);
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private block(block: Block, entries: readonly Exit[]): Exit[] {
    let exits: Exit[] = [...entries];
    for (const statement of block.statements) {
      // Code after a return/raise/break in the same suite never runs.
      if (exits.length === 0) break;
      exits = this.statement(statement, exits);
    }
    return exits;
  }

  private statement(statement: Statement, exits: Exit[]): Exit[] {
    switch (statement.kind) {
      case 'If':
        return this.ifStatement(statement, exits);
      case 'While':
        return this.whileStatement(statement, exits);
      case 'For':
        return this.forStatement(statement, exits);
      case 'Try':
        return this.tryStatement(statement, exits);
      case 'With':
        return this.withStatement(statement, exits);
      case 'Match':
        return this.matchStatement(statement, exits);
      case 'FunctionDef':
      case 'ClassDef':
        return [{ from: this.codeNode('definition', exits, { statement }, false), kind: 'normal' }];
      case 'Return': {
        const id = this.codeNode('statement', exits, { statement }, statement.value !== undefined);
        this.jump('return', [{ from: id, kind: 'normal' }]);
        return [];
      }
      case 'Raise': {
        const id = this.codeNode('statement', exits, { statement }, false);
        this.jump('exception', [{ from: id, kind: 'normal' }]);
        return [];
      }
      case 'Break':
      case 'Continue':
        this.jump(statement.kind === 'Break' ? 'break' : 'continue', exits);
        return [];
      case 'Expression': {
        const termination = this.options.terminates?.(statement);
        const id = this.codeNode('statement', exits, { statement }, canRaise(statement));
        if (termination === 'abort') return [];
        if (termination === 'raise') {
          this.jump('exception', [{ from: id, kind: 'normal' }]);
          return [];
        }
        return [{ from: id, kind: 'normal' }];
      }
      default:
        return [{ from: this.codeNode('statement', exits, { statement }, canRaise(statement)), kind: 'normal' }];
    }
  }

  private ifStatement(statement: Statement & { kind: 'If' }, exits: Exit[]): Exit[] {
    const test = this.codeNode('test', exits, { statement, expression: statement.test }, true);
    const constant = constantTruth(statement.test);
    const body = constant === false ? [] : this.block(statement.body, [{ from: test, kind: 'true' }]);
    const skipped: Exit[] = constant === true ? [] : [{ from: test, kind: 'false' }];
    const orElse = statement.orElse && skipped.length > 0 ? this.block(statement.orElse, skipped) : skipped;
    return [...body, ...orElse];
  }

  private whileStatement(statement: Statement & { kind: 'While' }, exits: Exit[]): Exit[] {
    const loopExit = this.node('merge');
    const head = this.codeNode('test', exits, { statement, expression: statement.test }, true);
    const constant = constantTruth(statement.test);
    if (constant !== false) {
      this.push({ kind: 'loop', continueTo: head, breakTo: loopExit, inner: this.context });
      const body = this.block(statement.body, [{ from: head, kind: 'true' }]);
      this.pop();
      this.link(body, head);
    }
    const done: Exit[] = constant === true ? [] : [{ from: head, kind: 'false' }];
    const orElse = statement.orElse && done.length > 0 ? this.block(statement.orElse, done) : done;
    return this.hasPredecessors(loopExit) ? [...orElse, { from: loopExit, kind: 'normal' }] : orElse;
  }

  private forStatement(statement: Statement & { kind: 'For' }, exits: Exit[]): Exit[] {
    const loopExit = this.node('merge');
    const iterable = this.codeNode('evaluate', exits, { statement, expression: statement.iterable }, true);
    // Over a literal that is known not to be empty (`range(3)`, `[a, b]`) the first item always
    // comes: that first `next` has no way out of the loop.
    const first = nonEmptyIterable(statement.iterable)
      ? this.codeNode('next', [{ from: iterable, kind: 'normal' }], { statement, target: statement.target }, true)
      : undefined;
    const next = this.codeNode('next', first === undefined ? [{ from: iterable, kind: 'normal' }] : [], { statement, target: statement.target }, true);
    this.push({ kind: 'loop', continueTo: next, breakTo: loopExit, inner: this.context });
    const entries: Exit[] = first === undefined ? [{ from: next, kind: 'true' }] : [{ from: first, kind: 'true' }, { from: next, kind: 'true' }];
    const body = this.block(statement.body, entries);
    this.pop();
    this.link(body, next);
    const done: Exit[] = [{ from: next, kind: 'false' }];
    const orElse = statement.orElse ? this.block(statement.orElse, done) : done;
    return this.hasPredecessors(loopExit) ? [...orElse, { from: loopExit, kind: 'normal' }] : orElse;
  }

  private tryStatement(statement: Statement & { kind: 'Try' }, exits: Exit[]): Exit[] {
    const outer = this.context;
    const finalBody = statement.finalBody;
    if (finalBody) {
      this.push({ kind: 'finally', body: finalBody, copies: new Map(), inner: { expected: outer.expected, catching: true } });
    }
    const afterFinally = this.context;
    let dispatch: number | undefined;
    if (statement.handlers.length > 0) {
      dispatch = this.node('merge');
      const caught = new Set(afterFinally.expected.caught);
      for (const handler of statement.handlers) for (const name of exceptionNames(handler.type)) caught.add(name);
      this.push({
        kind: 'handlers',
        dispatch,
        inner: { expected: { anyError: afterFinally.expected.anyError, caught }, catching: true },
      });
    }
    const bodyExits = this.block(statement.body, exits);
    if (dispatch !== undefined) this.pop();
    const elseExits = statement.orElse && bodyExits.length > 0 ? this.block(statement.orElse, bodyExits) : bodyExits;
    const handlerExits: Exit[] = [];
    if (dispatch !== undefined && this.hasPredecessors(dispatch)) {
      for (const handler of statement.handlers) {
        const clause = this.codeNode('handler', [{ from: dispatch, kind: 'normal' }], { statement, handler }, false);
        handlerExits.push(...this.block(handler.body, [{ from: clause, kind: 'normal' }]));
      }
      if (!statement.handlers.some((handler) => catchesEverything(handler.type))) this.jump('exception', [{ from: dispatch, kind: 'normal' }]);
    }
    const normal = [...elseExits, ...handlerExits];
    if (!finalBody) return normal;
    this.pop();
    return normal.length > 0 ? this.block(finalBody, normal) : [];
  }

  private withStatement(statement: WithStatement, exits: Exit[]): Exit[] {
    let current = exits;
    const frames: (Frame & { kind: 'with' })[] = [];
    for (const item of statement.items) {
      const enter = this.codeNode('enter', current, { statement, item }, true);
      current = [{ from: enter, kind: 'normal' }];
      const suppresses = catchesException(item.context);
      const frame: Frame & { kind: 'with' } = {
        kind: 'with',
        item,
        statement,
        suppressed: suppresses ? this.node('merge') : undefined,
        copies: new Map(),
        inner: {
          expected: suppresses ? { anyError: true, caught: this.context.expected.caught } : this.context.expected,
          catching: this.context.catching || suppresses,
        },
      };
      frames.push(frame);
      this.push(frame);
    }
    current = this.block(statement.body, current);
    for (const frame of frames.reverse()) {
      this.pop();
      if (current.length > 0) {
        const leave = this.codeNode('leave', current, { statement, item: frame.item }, false);
        current = [{ from: leave, kind: 'normal' }];
      }
      if (frame.suppressed !== undefined && this.hasPredecessors(frame.suppressed)) {
        current = [...current, { from: frame.suppressed, kind: 'normal' }];
      }
    }
    return current;
  }

  private matchStatement(statement: Statement & { kind: 'Match' }, exits: Exit[]): Exit[] {
    const subject = this.codeNode('evaluate', exits, { statement, expression: statement.subject }, true);
    let unmatched: Exit[] = [{ from: subject, kind: 'normal' }];
    const ends: Exit[] = [];
    for (const matchCase of statement.cases) {
      const caseNode = this.codeNode('case', unmatched, { statement, matchCase }, true);
      ends.push(...this.block(matchCase.body, [{ from: caseNode, kind: 'true' }]));
      unmatched = [{ from: caseNode, kind: 'false' }];
    }
    return [...ends, ...unmatched];
  }
}

/**
 * Whether a statement can raise, for the exception edges of a `try`. A statement that only
 * calls a lifecycle method (`p.start()`, `pool.close()`, `p.join()`…) is taken not to: the
 * alternative, "`p.start()` failed, so the `finally` joins an unstarted process", is a path no
 * reader would call real, and flagging it would bury the findings that matter.
 */
function canRaise(statement: Statement): boolean {
  switch (statement.kind) {
    case 'Pass':
    case 'Break':
    case 'Continue':
    case 'Global':
    case 'Nonlocal':
      return false;
    case 'Expression': {
      const value = unparenthesize(statement.value);
      return !(value.kind === 'Call' && value.callee.kind === 'Attribute' && LIFECYCLE_CALLS.has(value.callee.name?.name ?? ''));
    }
    default:
      return true;
  }
}

function constantTruth(test: Expression): boolean | undefined {
  const node = unparenthesize(test);
  if (node.kind === 'Constant') return node.value === 'True' ? true : node.value === 'False' || node.value === 'None' ? false : undefined;
  if (node.kind === 'Number') return /^0+$/.test(node.text) ? false : /^[0-9]+$/.test(node.text) ? true : undefined;
  return undefined;
}

/** `range(3)`, `range(1, 4)`, `[a, b]`, `(x,)`, `"ab"`: iterables written so that they cannot be empty. */
function nonEmptyIterable(iterable: Expression): boolean {
  const node = unparenthesize(iterable);
  switch (node.kind) {
    case 'List':
    case 'Tuple':
    case 'Set':
      return node.elements.length > 0 && !node.elements.some((element) => element.kind === 'Starred');
    case 'String':
      return node.value !== undefined && node.value.length > 0;
    case 'Call': {
      const callee = unparenthesize(node.callee);
      if (callee.kind !== 'Name' || callee.name !== 'range' || node.args.some((argument) => argument.kind !== 'Positional')) return false;
      const bounds = node.args.map((argument) => integerLiteral(argument.value));
      if (bounds.some((bound) => bound === undefined)) return false;
      if (bounds.length === 1) return (bounds[0] as number) > 0;
      if (bounds.length === 2) return (bounds[0] as number) < (bounds[1] as number);
      return false;
    }
    default:
      return false;
  }
}

function integerLiteral(expression: Expression): number | undefined {
  const node = unparenthesize(expression);
  if (node.kind === 'Number' && /^[0-9]+$/.test(node.text)) return Number(node.text);
  if (node.kind === 'Unary' && node.operator === '-') {
    const inner = integerLiteral(node.operand);
    return inner === undefined ? undefined : -inner;
  }
  return undefined;
}

/** The class names an `except` clause names (last component of each dotted name). */
function exceptionNames(type: Expression | undefined): string[] {
  if (type === undefined) return [];
  const node = unparenthesize(type);
  if (node.kind === 'Tuple') return node.elements.flatMap(exceptionNames);
  if (node.kind === 'Name') return [node.name];
  if (node.kind === 'Attribute' && node.name) return [node.name.name];
  return [];
}

function catchesEverything(type: Expression | undefined): boolean {
  return type === undefined || exceptionNames(type).includes('BaseException');
}

function reversePostOrder(nodes: readonly MutableNode[], entry: number): number[] {
  const visited = new Uint8Array(nodes.length);
  const post: number[] = [];
  // Iterative DFS: bodies can be long enough to exhaust the stack with recursion.
  const stack: { id: number; next: number }[] = [{ id: entry, next: 0 }];
  visited[entry] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const successors = nodes[top.id].successors;
    if (top.next < successors.length) {
      const to = successors[top.next++].to;
      if (!visited[to]) {
        visited[to] = 1;
        stack.push({ id: to, next: 0 });
      }
    } else {
      post.push(top.id);
      stack.pop();
    }
  }
  return post.reverse();
}
