// The Processes view's provider itself (with a stand-in for the `vscode` module): the items of
// every node kind, and refreshes that stay partial with pools, tasks and the Helpers group.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import { parseFilter } from '../../src/views/processFilter';
import * as make from './helpers/events';
import { FakeTreeItem, installFakeVscode } from './helpers/fakeVscode';
import { feed, StreamItem } from './helpers/modelRun';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ProcessTreeProvider, DEFAULT_TREE_OPTIONS } = require('../../src/views/processTree') as typeof import('../../src/views/processTree');
type Node = import('../../src/views/processTree').ProcessTreeNode;
type Provider = InstanceType<typeof ProcessTreeProvider>;

const run: StreamItem[] = [
  make.hello(100, 50, 'main', { stacks: { via: 'request' } }),
  make.created(100, '100-9', { name: 'resource tracker', role: 'resource-tracker' }),
  make.started(100, '100-9', 150),
  make.hello(150, 100, 'resource-tracker'),
  make.poolCreated(100, '100-1', { site: { file: '/w/job.py', line: 8 }, processes: 1 }),
  ...make.worker(100, '100-1', '100-1', 201),
  make.hello(201, 100, 'pool-worker'),
  make.taskFinished(201, 0, { index: 2, ok: false, exception: make.valueError, duration: 0.01, func: 'job.parse' }),
  make.taskCounters(201, 3, 1),
];

function setUp(): { model: Model; id: string; provider: Provider } {
  const model = new Model();
  const id = model.openSession({ label: 'job.py' });
  feed(model, id, run);
  return { model, id, provider: new ProcessTreeProvider(model, DEFAULT_TREE_OPTIONS) };
}

interface Shown {
  readonly node: Node;
  readonly item: FakeTreeItem;
  readonly children: Shown[];
}

function render(provider: Provider, element?: Node): Shown[] {
  return provider.getChildren(element).map((node) => ({ node, item: provider.getTreeItem(node) as unknown as FakeTreeItem, children: render(provider, node) }));
}

function find(shown: readonly Shown[], type: Node['type']): Shown {
  for (const entry of shown) {
    if (entry.node.type === type) {
      return entry;
    }
    const inner = entry.children.length > 0 ? findOrUndefined(entry.children, type) : undefined;
    if (inner) {
      return inner;
    }
  }
  assert.fail(`no ${type} node`);
}

function findOrUndefined(shown: readonly Shown[], type: Node['type']): Shown | undefined {
  try {
    return find(shown, type);
  } catch {
    return undefined;
  }
}

/** The next refresh the provider announces: undefined (everything) or the elements. */
function nextRefresh(provider: Provider): Promise<Node[] | undefined> {
  return new Promise((resolve) => {
    const subscription = provider.onDidChangeTreeData((elements) => {
      subscription.dispose();
      resolve(elements === undefined ? undefined : Array.isArray(elements) ? elements : [elements]);
    });
  });
}

describe('ProcessTreeProvider', () => {
  it('renders pools, workers, failed tasks and the Helpers group with their text, icons and menus', () => {
    const { provider } = setUp();
    const tree = render(provider);
    const pool = find(tree, 'pool');
    assert.equal(pool.item.label, 'Pool');
    assert.equal(pool.item.description, 'running · 1 worker · 3 done · 1 failed');
    assert.equal(pool.item.contextValue, 'mpscope.pool.running.site');
    const worker = pool.children[0];
    assert.ok(worker);
    assert.equal(worker.item.description, '201 · running · 3 done · 1 failed');
    assert.equal(worker.item.contextValue, 'mpscope.process.running.alive');
    assert.equal(worker.item.collapsibleState, 2, 'a worker with a failed task is expanded');
    const task = find(tree, 'task');
    assert.equal(task.item.label, 'parse');
    assert.equal(task.item.contextValue, 'mpscope.task.failed.site');
    assert.deepEqual(task.item.command, { command: 'mpscope.revealCreationSite', title: 'Reveal Where It Raised', arguments: [task.node] });
    const helpers = find(tree, 'helpers');
    assert.equal(helpers.item.label, 'Helpers');
    assert.equal(helpers.item.collapsibleState, 1, 'helpers are collapsed');
    assert.equal(helpers.children[0]?.item.label, 'resource tracker');
    const main = tree[0]?.children[0];
    assert.equal(main?.item.contextValue, 'mpscope.process.running.alive.stacks');
  });

  it('answers getParent for every node with the node that lists it, as the same object', () => {
    const { provider } = setUp();
    const check = (shown: readonly Shown[], parent: Node | undefined): void => {
      for (const entry of shown) {
        assert.equal(provider.getParent(entry.node), parent, `parent of ${JSON.stringify(entry.node)}`);
        check(entry.children, entry.node);
      }
    };
    check(render(provider), undefined);
  });

  it('builds tooltips on demand, escaped', () => {
    const { provider } = setUp();
    const task = find(render(provider), 'task');
    const resolved = provider.resolveTreeItem(task.item as never, task.node) as unknown as FakeTreeItem;
    assert.match((resolved.tooltip as { value: string }).value, /\*\*ValueError\*\*: bad input/);
  });

  it('refreshes a worker and its pool when its tasks change, not the whole session', async () => {
    const { model, id, provider } = setUp();
    render(provider);
    const refreshed = nextRefresh(provider);
    feed(model, id, [make.taskCounters(201, 9, 1)]);
    const elements = await refreshed;
    assert.ok(elements, 'a partial refresh');
    assert.deepEqual(elements.map((node) => node.type).sort(), ['pool', 'process']);
    provider.dispose();
  });

  it('refreshes a helper and its group when the helper ends', async () => {
    const { model, id, provider } = setUp();
    const refreshed = nextRefresh(provider);
    feed(model, id, [make.exitedSelf(150, 0)]);
    const elements = await refreshed;
    assert.deepEqual(elements?.map((node) => node.type).sort(), ['helpers', 'process']);
    provider.dispose();
  });

  it('refreshes the session when its shape changes, and everything while a filter is on', async () => {
    const { model, id, provider } = setUp();
    let refreshed = nextRefresh(provider);
    feed(model, id, [...make.worker(100, '100-1', '100-2', 202, { replacement: true })]);
    assert.deepEqual((await refreshed)?.map((node) => node.type), ['session']);
    refreshed = nextRefresh(provider);
    provider.setFilter(parseFilter('failed'));
    assert.equal(await refreshed, undefined);
    refreshed = nextRefresh(provider);
    feed(model, id, [make.taskCounters(201, 10, 1)]);
    assert.equal(await refreshed, undefined);
    provider.dispose();
  });

  it('refreshes a queue alone when its counters change, and a lock with its group and the waiting process', async () => {
    const { model, id, provider } = setUp();
    const created = nextRefresh(provider);
    feed(model, id, [make.queueCreated(100, 'mp-q1'), make.syncCreated(100, 'mp-l1')]);
    assert.deepEqual((await created)?.map((node) => node.type), ['session'], 'new objects change the shape');
    const tree = render(provider);
    assert.equal(find(tree, 'queue').item.label, 'Queue');
    assert.equal(find(tree, 'objects').item.collapsibleState, 1, 'collapsed while nobody waited');
    let refreshed = nextRefresh(provider);
    feed(model, id, [make.queueCounters(201, 'mp-q1', 3, 0)]);
    assert.deepEqual((await refreshed)?.map((node) => node.type), ['queue']);
    refreshed = nextRefresh(provider);
    feed(model, id, [make.syncWait(201, 'mp-l1', { holder_pid: 100 })]);
    // The waiting process is a pool worker: its pool's item (which counts live workers) too.
    assert.deepEqual((await refreshed)?.map((node) => node.type).sort(), ['object', 'objects', 'pool', 'process']);
    assert.equal(find(render(provider), 'objects').item.collapsibleState, 2, 'expanded once a lock was waited on');
    provider.dispose();
  });

  it('shows only what the filter keeps, and counts it', () => {
    const { provider } = setUp();
    provider.setFilter(parseFilter('tracker'));
    const tree = render(provider);
    assert.equal(findOrUndefined(tree, 'pool'), undefined);
    assert.equal(find(tree, 'helpers').children.length, 1);
    assert.equal(provider.visibleCount(), 2, 'the tracker and its parent');
    provider.setFilter(undefined);
    assert.equal(provider.visibleCount(), undefined);
  });

  it("resolves a quiet child's creation site against its parent's directory (it never said its own)", () => {
    const model = new Model();
    const id = model.openSession({ label: 'job.py' });
    feed(model, id, [
      make.hello(100, 50, 'main', { cwd: '/w' }),
      make.created(100, '100-1', { site: { file: 'job.py', line: 3 } }),
      make.started(100, '100-1', 101, { quiet: true }),
    ]);
    const provider = new ProcessTreeProvider(model, DEFAULT_TREE_OPTIONS);
    const child = find(render(provider), 'process').children[0];
    assert.ok(child);
    assert.equal(child.item.description?.toString().includes('running') ?? false, true, child.item.description?.toString());
    assert.deepEqual(provider.siteOf(child.node), { site: { file: 'job.py', line: 3 }, cwd: '/w', what: 'Process-100-1' });
  });
});
