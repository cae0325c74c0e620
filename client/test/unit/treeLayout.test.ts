// The Processes view's shape (treeLayout.ts) and the text of every node kind, read the way VS
// Code reads it: children from the root down, parents from any node up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionView } from '../../src/model/session';
import { parseFilter, visibleKeys } from '../../src/views/processFilter';
import { childrenOf, layoutParentKey, LayoutOptions, nodeId, parentOf, TreeNode } from '../../src/views/treeLayout';
import * as make from './helpers/events';
import { runModel, StreamItem } from './helpers/modelRun';

const grouped: LayoutOptions = { groupHelpers: true, slowTaskSeconds: 1 };

// main (100) with a resource tracker (150) and a Manager server (160); a pool (100-1) of two
// workers (201, 202; 202 replaced by 203); worker 201 ran a slow task and a failed one; a plain
// child (300) with its own child (301).
const run: StreamItem[] = [
  make.hello(100, 50, 'main'),
  make.created(100, '100-9', { name: 'resource tracker', role: 'resource-tracker' }),
  make.started(100, '100-9', 150),
  make.hello(150, 100, 'resource-tracker'),
  make.created(100, '100-8', { name: 'SyncManager-1', role: 'manager' }),
  make.started(100, '100-8', 160),
  make.poolCreated(100, '100-1', { site: { file: '/w/job.py', line: 8 } }),
  ...make.worker(100, '100-1', '100-1', 201),
  ...make.worker(100, '100-1', '100-2', 202),
  make.hello(201, 100, 'pool-worker'),
  make.taskFinished(201, 0, { index: 0, duration: 2.5 }),
  make.taskFinished(201, 0, { index: 1, duration: 0.2 }),
  make.taskFinished(201, 0, { index: 2, ok: false, exception: make.valueError, duration: 0.01 }),
  make.taskCounters(201, 10, 1),
  make.exitedBy('parent', 100, 202, 0),
  ...make.worker(100, '100-1', '100-3', 203, { replacement: true }),
  make.created(100, '100-2', { name: 'child', target: 'job.child' }),
  make.started(100, '100-2', 300),
  make.hello(300, 100, 'process'),
  make.created(300, '300-1', { name: 'grandchild' }),
  make.started(300, '300-1', 301),
  make.exitedBy('parent', 300, 301, 3),
  make.queueCreated(100, 'mp-q1'),
  make.syncCreated(100, 'mp-l1'),
  make.pipeCreated(100, '100-p', ['100-p1', '100-p2']),
  make.managerCreated(300, '300-m', { server_pid: 160 }),
];

function sessionOf(items: readonly StreamItem[]): SessionView {
  const { model, sessionId } = runModel(items);
  const session = model.session(sessionId);
  assert.ok(session);
  return session;
}

/** The tree as indented `type:name` lines, the way the view nests it. */
function outline(session: SessionView, options: LayoutOptions): string {
  const lines: string[] = [];
  const visit = (node: TreeNode, depth: number): void => {
    for (const child of childrenOf(session, node, options)) {
      lines.push(`${'  '.repeat(depth)}${nodeText(session, child)}`);
      visit(child, depth + 1);
    }
  };
  visit({ type: 'session', sessionId: session.id }, 0);
  return lines.join('\n');
}

function nodeText(session: SessionView, node: TreeNode): string {
  switch (node.type) {
    case 'process':
      return `process:${session.process(node.key)?.name}(${node.key})`;
    case 'pool':
      return `pool:${node.poolId}`;
    case 'task': {
      const task = session.objects.task(node.taskId);
      return `task:${task?.ok ? 'slow' : 'failed'}:${task?.duration}`;
    }
    case 'helpers':
      return 'helpers';
    case 'queue':
      return `queue:${node.queueId}`;
    case 'objects':
      return 'objects';
    case 'object':
      return `${node.kind}:${node.id}`;
    default:
      return node.type;
  }
}

/** Every node reachable from the root, depth first. */
function allNodes(session: SessionView, options: LayoutOptions): TreeNode[] {
  const found: TreeNode[] = [];
  const visit = (node: TreeNode): void => {
    for (const child of childrenOf(session, node, options)) {
      found.push(child);
      visit(child);
    }
  };
  visit({ type: 'session', sessionId: session.id });
  return found;
}

describe('tree layout', () => {
  it('nests pools under their creator with their workers, tasks under workers, helpers in a group', () => {
    assert.equal(outline(sessionOf(run), grouped), [
      'process:MainProcess(100)',
      '  pool:100-1',
      '    process:ForkPoolWorker-100-1(201)',
      '      task:failed:0.01',
      '      task:slow:2.5',
      '    process:ForkPoolWorker-100-2(202)',
      '    process:ForkPoolWorker-100-3(203)',
      '  queue:mp-q1',
      '  process:child(300)',
      '    process:grandchild(301)',
      '    objects',
      '      manager:300-m',
      '  helpers',
      '    process:resource tracker(150)',
      '    process:SyncManager-1(160)',
      '  objects',
      '    sync:mp-l1',
      '    pipe:100-p',
    ].join('\n'));
  });

  it('shows helpers among the other children when grouping is off, and slow tasks by the threshold', () => {
    const text = outline(sessionOf(run), { groupHelpers: false, slowTaskSeconds: 0.1 });
    assert.doesNotMatch(text, /helpers/);
    assert.match(text, /\n {2}process:resource tracker\(150\)/);
    assert.match(text, /task:slow:2\.5\n\s+task:slow:0\.2/, 'both tasks over 0.1 s, longest first');
  });

  it('gives every node a parent that lists it among its children (what reveal() walks)', () => {
    for (const options of [grouped, { groupHelpers: false, slowTaskSeconds: 0 }]) {
      const session = sessionOf(run);
      const nodes = allNodes(session, options);
      assert.equal(new Set(nodes.map(nodeId)).size, nodes.length, 'ids are unique');
      for (const node of nodes) {
        const parent = parentOf(session, node, options);
        assert.ok(parent, `no parent for ${nodeId(node)}`);
        assert.ok(
          childrenOf(session, parent, options).some((child) => nodeId(child) === nodeId(node)),
          `${nodeId(parent)} does not list ${nodeId(node)}`,
        );
      }
      assert.equal(parentOf(session, { type: 'session', sessionId: session.id }, options), undefined);
    }
  });

  it('puts a pool whose creator is unknown at the top of its session', () => {
    const session = sessionOf([make.poolCreated(100, '100-1'), ...make.worker(100, '100-1', '100-1', 201)]);
    assert.equal(outline(session, grouped), ['pool:100-1', '  process:ForkPoolWorker-100-1(201)'].join('\n'));
    assert.equal(layoutParentKey(session, '201'), null);
  });
});

describe('filter', () => {
  const shown = (text: string): string => {
    const session = sessionOf(run);
    const filter = parseFilter(text);
    assert.ok(filter);
    const visible = visibleKeys(session.allProcesses(), filter, (key) => layoutParentKey(session, key));
    return outline(session, { ...grouped, visible });
  };

  it('keeps matching processes and their ancestors, and the pools and groups that hold them', () => {
    assert.equal(shown('failed'), ['process:MainProcess(100)', '  process:child(300)', '    process:grandchild(301)'].join('\n'));
    assert.equal(shown('201'), [
      'process:MainProcess(100)',
      '  pool:100-1',
      '    process:ForkPoolWorker-100-1(201)',
      '      task:failed:0.01',
      '      task:slow:2.5',
    ].join('\n'));
    assert.equal(shown('tracker'), ['process:MainProcess(100)', '  helpers', '    process:resource tracker(150)'].join('\n'));
  });

  it('needs every word to match: state, pid prefix, name, target or role', () => {
    assert.match(shown('pool-worker running'), /ForkPoolWorker-100-1\(201\)/);
    assert.doesNotMatch(shown('pool-worker running'), /\(202\)/);
    assert.equal(shown('job.child'), ['process:MainProcess(100)', '  process:child(300)'].join('\n'));
    assert.equal(shown('nothing-like-this'), '');
  });

  it('ignores empty text', () => {
    assert.equal(parseFilter('   '), undefined);
    assert.deepEqual(parseFilter('  Failed  Worker '), { text: 'Failed  Worker', words: ['failed', 'worker'] });
  });
});
