// The control-flow graph of a body, checked through the paths it allows: a small forward
// problem records, for each path, the sequence of marker calls (`a()`, `b()`…) executed, and
// the tests compare the sequences that reach a point with the ones Python would run.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildControlFlow, type FlowGraph, type FlowNode, MAX_FLOW_NODES, solveForward } from '../../src/analysis/flow';
import { parseSource, unparenthesize } from '../../src/parser';

/** The name of a statement `name()`, if the node is one. */
function markerOf(node: FlowNode): string | undefined {
  if (node.kind !== 'statement' || node.statement?.kind !== 'Expression') return undefined;
  const value = unparenthesize(node.statement.value);
  if (value.kind !== 'Call' || value.args.length > 0) return undefined;
  const callee = unparenthesize(value.callee);
  return callee.kind === 'Name' ? callee.name : undefined;
}

function graphOf(code: string): FlowGraph {
  const graph = buildControlFlow(parseSource(code).module.body);
  assert.ok(graph, 'the body must get a graph');
  return graph;
}

/**
 * The marker sequences of the paths that reach `target`: the normal end (`exit`), an exception
 * leaving the body (`raise`), or the marker call `name()` (sequences before it). Loops are cut
 * off after a few rounds: a sequence stops growing at 8 markers.
 */
function paths(code: string, target: 'exit' | 'raise' | string): string[] {
  const graph = graphOf(code);
  const inputs = solveForward<ReadonlySet<string>>(graph, {
    initial: new Set(['']),
    transfer: (node, input) => {
      const marker = markerOf(node);
      if (marker === undefined) return input;
      return new Set([...input].map((path) => (path.split(' ').length >= 8 ? path : path === '' ? marker : `${path} ${marker}`)));
    },
    join: (a, b) => new Set([...a, ...b]),
    equals: (a, b) => a.size === b.size && [...a].every((path) => b.has(path)),
  });
  assert.ok(inputs);
  const ids =
    target === 'exit' ? [graph.exit] : target === 'raise' ? [graph.raise] : graph.nodes.filter((node) => markerOf(node) === target).map((node) => node.id);
  assert.ok(ids.length > 0, `no node ${target}`);
  const found = new Set<string>();
  for (const id of ids) for (const path of inputs[id] ?? []) found.add(path);
  return [...found].sort();
}

describe('control flow', () => {
  it('runs statements in order', () => {
    assert.deepEqual(paths('a()\nb()\nc()\n', 'exit'), ['a b c']);
  });

  it('branches on if/elif/else', () => {
    const code = 'if x:\n    a()\nelif y:\n    b()\nelse:\n    c()\nd()\n';
    assert.deepEqual(paths(code, 'exit'), ['a d', 'b d', 'c d']);
    assert.deepEqual(paths('if x:\n    a()\nb()\n', 'exit'), ['a b', 'b']);
  });

  it('knows constant tests', () => {
    assert.deepEqual(paths('if True:\n    a()\nelse:\n    b()\n', 'exit'), ['a']);
    const forever = paths('while True:\n    a()\n    if x:\n        break\nb()\n', 'exit');
    assert.ok(forever.includes('a b') && forever.includes('a a b'));
    assert.ok(!forever.includes('b'), 'the loop body runs before any break');
  });

  it('stops at return and raise', () => {
    assert.deepEqual(paths('a()\nif x:\n    return\n    dead()\nb()\n', 'exit'), ['a', 'a b']);
    assert.deepEqual(paths('a()\nif x:\n    raise ValueError\nb()\n', 'exit'), ['a b']);
    assert.deepEqual(paths('a()\nif x:\n    raise ValueError\nb()\n', 'raise'), ['a']);
  });

  it('loops: zero or more rounds, break skips the else, continue goes round again', () => {
    const loop = paths('for i in items:\n    a()\nb()\n', 'exit');
    for (const expected of ['b', 'a b', 'a a b', 'a a a b']) assert.ok(loop.includes(expected), expected);
    const withElse = 'for i in items:\n    a()\n    if x:\n        break\nelse:\n    e()\nb()\n';
    assert.ok(paths(withElse, 'exit').includes('a b'));
    assert.ok(paths(withElse, 'exit').includes('a e b'));
    assert.ok(paths(withElse, 'exit').includes('e b'));
    const withContinue = 'while x:\n    a()\n    if y:\n        continue\n    b()\nc()\n';
    assert.ok(paths(withContinue, 'exit').includes('a a b c'));
  });

  it('runs a loop over a literal that cannot be empty at least once', () => {
    assert.ok(!paths('for i in range(3):\n    a()\nb()\n', 'exit').includes('b'));
    assert.ok(!paths('for i in [1, 2]:\n    a()\nb()\n', 'exit').includes('b'));
    assert.ok(paths('for i in range(0):\n    a()\nb()\n', 'exit').includes('b'));
    assert.ok(paths('for i in [*rest]:\n    a()\nb()\n', 'exit').includes('b'));
  });

  it('sends exceptions from the try body to the handlers, with the state before the raising statement', () => {
    const code = 'try:\n    a()\n    b()\nexcept ValueError:\n    h()\nelse:\n    e()\nc()\n';
    assert.deepEqual(paths(code, 'h'), ['', 'a']);
    assert.deepEqual(paths(code, 'exit'), ['a b e c', 'a h c', 'h c']);
    // The exception no handler catches leaves the body.
    assert.deepEqual(paths(code, 'raise'), ['', 'a']);
    assert.deepEqual(paths('try:\n    a()\nexcept:\n    h()\n', 'raise'), []);
  });

  it('takes lifecycle calls (start, close, join…) as statements that do not raise', () => {
    const code = 'try:\n    p.start()\n    a()\nexcept OSError:\n    h()\n';
    assert.deepEqual(paths(code, 'h'), ['']);
    const graph = graphOf(code);
    const start = graph.nodes.find((node) => node.statement?.kind === 'Expression' && markerOf(node) === undefined);
    assert.ok(start);
    assert.ok(!start.successors.some((edge) => edge.kind === 'exception'));
  });

  it('runs finally on every way out, each way continuing where it was going', () => {
    const body = 'try:\n    a()\n    if x:\n        return\n    b()\nfinally:\n    fin()\nc()\n';
    assert.deepEqual(paths(body, 'exit'), ['a b fin c', 'a fin']);
    // No path returns early and still runs c().
    assert.deepEqual(paths(body, 'c'), ['a b fin']);
    assert.deepEqual(paths(body, 'raise'), ['a fin', 'fin']);
  });

  it('routes break and continue through finally', () => {
    const code = 'for i in items:\n    try:\n        if x:\n            break\n        a()\n    finally:\n        fin()\nb()\n';
    assert.ok(paths(code, 'exit').includes('fin b'));
    assert.ok(paths(code, 'exit').includes('a fin fin b'));
    assert.ok(paths(code, 'exit').includes('b'));
  });

  it('leaves a with block at its end and on every early exit', () => {
    const graph = graphOf('with ctx() as c:\n    a()\n    if x:\n        return\n    b()\nc2()\n');
    const leaves = graph.nodes.filter((node) => node.kind === 'leave');
    // One for the normal end, one for the return.
    assert.equal(leaves.length, 2);
    assert.deepEqual(paths('with ctx() as c:\n    a()\n    if x:\n        return\n    b()\nc2()\n', 'exit'), ['a', 'a b c2']);
  });

  it('continues after a with block that suppresses exceptions', () => {
    const code = 'with self.assertRaises(ValueError):\n    a()\n    b()\nc()\n';
    assert.deepEqual(paths(code, 'c'), ['', 'a', 'a b']);
    const graph = graphOf(code);
    const inside = graph.nodes.find((node) => markerOf(node) === 'a');
    assert.equal(inside?.expected.anyError, true);
    const after = graph.nodes.find((node) => markerOf(node) === 'c');
    assert.equal(after?.expected.anyError, false);
  });

  it('records the exception classes enclosing handlers name', () => {
    const graph = graphOf('try:\n    a()\nexcept (ValueError, mp.ProcessError):\n    h()\n');
    const inside = graph.nodes.find((node) => markerOf(node) === 'a');
    assert.deepEqual([...(inside?.expected.caught ?? [])].sort(), ['ProcessError', 'ValueError']);
    const handler = graph.nodes.find((node) => markerOf(node) === 'h');
    assert.equal(handler?.expected.caught.size, 0);
  });

  it('ends the flow at sys.exit() and os._exit() when told so', () => {
    const block = parseSource('a()\nif x:\n    stop()\nb()\n').module.body;
    const graph = buildControlFlow(block, {
      terminates: (statement) => (statement.value.kind === 'Call' && statement.value.callee.kind === 'Name' && statement.value.callee.name === 'stop' ? 'abort' : undefined),
    });
    assert.ok(graph);
    const stop = graph.nodes.find((node) => markerOf(node) === 'stop');
    assert.deepEqual(stop?.successors, []);
  });

  it('goes through match cases', () => {
    const code = 'match x:\n    case 1:\n        a()\n    case _:\n        b()\nc()\n';
    assert.deepEqual(paths(code, 'exit'), ['a c', 'b c', 'c']);
  });

  it('gives up on a body larger than the budget, and stays bounded on many nested finally blocks', () => {
    const huge = Array.from({ length: MAX_FLOW_NODES + 10 }, (_, i) => `x${i} = ${i}`).join('\n');
    assert.equal(buildControlFlow(parseSource(huge).module.body), undefined);
    // Each finally is copied per kind of exit (at most 5 kinds), so nesting multiplies the
    // copies; the budget keeps the build bounded either way.
    const indent = (text: string, spaces: number): string =>
      text
        .split('\n')
        .map((line) => (line ? ' '.repeat(spaces) + line : line))
        .join('\n');
    let nested = 'raise E';
    for (let depth = 0; depth < 12; depth++) {
      nested = `for i in x:\n    try:\n${indent(nested, 8)}\n        if y:\n            break\n        if z:\n            continue\n    finally:\n        fin()`;
    }
    const graph = buildControlFlow(parseSource(nested).module.body);
    assert.ok(graph === undefined || graph.nodes.length <= MAX_FLOW_NODES);
  });
});
