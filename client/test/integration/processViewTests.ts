// The Processes view people debug with, in a real VS Code: a Pool whose task fails (the pool,
// its workers and the failed task with its exception), killing a hung child from the view (it
// ends as killed · SIGKILL), and a deadlock whose stack dump shows the blocking frame in a
// read-only editor. The status bar count and the filter are checked along the way.
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import type { ProcessSnapshot, SessionSnapshot } from '../../src/model/types';
import type { ProcessTreeNode } from '../../src/views/processTree';
import type { IntegrationTest } from './runner';
import { screenshot } from './screenshot';
import { assert, mainOf, runSample, sessionById, waitForSession } from './sessionRuns';
import { waitFor } from './wait';

/** One tree item with the element VS Code would pass to a command. */
interface ItemNode {
  readonly element: ProcessTreeNode;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  readonly contextValue: string;
  readonly children: readonly ItemNode[];
}

async function renderItems(api: MpscopeApi, element: ProcessTreeNode | undefined = undefined, depth = 0): Promise<ItemNode[]> {
  const provider = api.processTree;
  const elements = (await provider.getChildren(element)) ?? [];
  const items: ItemNode[] = [];
  for (const child of elements) {
    let item = await provider.getTreeItem(child);
    if (provider.resolveTreeItem) {
      const source = new vscode.CancellationTokenSource();
      item = (await provider.resolveTreeItem(item, child, source.token)) ?? item;
      source.dispose();
    }
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value ?? '';
    items.push({
      element: child,
      label,
      description: typeof item.description === 'string' ? item.description : '',
      tooltip,
      contextValue: item.contextValue ?? '',
      children: depth < 12 ? await renderItems(api, child, depth + 1) : [],
    });
  }
  return items;
}

function flatten(items: readonly ItemNode[]): ItemNode[] {
  return items.flatMap((item) => [item, ...flatten(item.children)]);
}

function outline(items: readonly ItemNode[], indent = ''): string {
  return items.map((item) => `${indent}${item.label} — ${item.description} [${item.contextValue}]\n${outline(item.children, `${indent}  `)}`).join('');
}

/** The rendered subtree of one session. */
async function sessionItem(api: MpscopeApi, id: string): Promise<ItemNode | undefined> {
  return (await renderItems(api)).find((item) => item.element.type === 'session' && item.element.sessionId === id);
}

/** Waits until the view shows the session as `check` wants; `check` returns a value or what is missing. */
async function waitForView<T>(api: MpscopeApi, id: string, what: string, check: (session: ItemNode) => T | string): Promise<T> {
  let problem = '';
  let last: ItemNode | undefined;
  return waitFor(
    what,
    async () => {
      last = await sessionItem(api, id);
      if (!last) {
        problem = 'the view has no node for the session';
        return undefined;
      }
      const result = check(last);
      if (typeof result === 'string') {
        problem = result;
        return undefined;
      }
      return result;
    },
    { timeoutMs: 30_000, intervalMs: 200, describeLast: () => `${problem}\n${last ? outline([last]) : ''}` },
  );
}

function byPid(root: ItemNode, pid: number): ItemNode | undefined {
  return flatten([root]).find((item) => item.element.type === 'process' && new RegExp(`^${pid}\\b`).test(item.description));
}

/** A process of the session that runs and can be asked for its stacks. */
function runningChild(session: SessionSnapshot, name: string): ProcessSnapshot | string {
  const child = session.processes.find((p) => p.name === name);
  if (!child) return `no process named ${name} yet`;
  // A plain Process child is quiet (no stream of its own until it has something to send).
  if (child.state !== 'running' || !(child.connected || child.quiet)) return `${name} is ${child.state}`;
  return child;
}

async function killFromView(api: MpscopeApi, id: string, child: ProcessSnapshot): Promise<void> {
  const node = await waitForView(api, id, `the tree to offer Kill for pid ${child.pid}`, (root) => {
    const item = byPid(root, child.pid);
    return item && /\.alive\b/.test(item.contextValue) ? item : `pid ${child.pid} is not shown as alive`;
  });
  // `{ confirm: false }` skips the modal dialog a person would answer.
  const outcome = await vscode.commands.executeCommand<{ ok: boolean; sent: string } | undefined>('mpscope.killProcess', node.element, { confirm: false });
  assert(outcome?.ok === true && outcome.sent === 'SIGKILL', `the kill command answered ${JSON.stringify(outcome)}`);
}

export function processViewTests(api: MpscopeApi): IntegrationTest[] {
  return [
    {
      name: 'Process view: a Pool with a failing task shows the pool, its workers and the failed task with its exception',
      timeoutMs: 150_000,
      run: async () => {
        const id = await runSample('pool_failing_task.py');
        const session = await waitForSession(api, id, 'pool_failing_task.py to end with its pool and failed task', (s) => {
          if (s.endedAt === null) return 'the session has not ended';
          const pool = s.pools[0];
          if (!pool || pool.workers.length !== 2) return `pool: ${JSON.stringify(pool?.workers)}`;
          const failed = s.tasks.flatMap((worker) => worker.failed);
          if (failed.length !== 1) return `${failed.length} failed tasks`;
          if (!s.processes.every((p) => p.exit !== null)) return 'a process has no exit record yet';
          return s;
        });
        const main = mainOf(session);
        assert(main, 'no main process');
        const failedWorker = session.tasks.find((worker) => worker.failed.length > 0);
        const failedPid = session.processes.find((p) => p.key === failedWorker?.key)?.pid;
        assert(failedPid !== undefined, 'no worker with the failed task');

        const shown = await waitForView(api, id, 'the pool, its workers and the failed task', (root) => {
          const mainItem = byPid(root, main.pid);
          const poolItem = mainItem?.children.find((item) => item.element.type === 'pool');
          if (!poolItem) return 'no pool under the main process';
          if (poolItem.label !== 'Pool' || !/\b2 workers\b|\/2 workers alive/.test(poolItem.description)) return `pool reads "${poolItem.label} — ${poolItem.description}"`;
          if (!/\b1 failed\b/.test(poolItem.description)) return `the pool does not count the failed task: ${poolItem.description}`;
          const workers = poolItem.children.filter((item) => item.element.type === 'process');
          if (workers.length !== 2) return `${workers.length} workers under the pool`;
          const worker = workers.find((item) => new RegExp(`^${failedPid}\\b`).test(item.description));
          if (!worker) return `worker ${failedPid} is not under the pool`;
          if (!/\b1 failed\b/.test(worker.description)) return `the worker's counters read "${worker.description}"`;
          const task = worker.children.find((item) => item.element.type === 'task');
          if (!task) return 'no task under the worker';
          if (task.label !== 'parse' || !/^failed · ValueError: invalid literal/.test(task.description)) return `task reads "${task.label} — ${task.description}"`;
          if (!/ValueError/.test(task.tooltip) || !/line 8, in parse/.test(task.tooltip)) return `task tooltip: ${task.tooltip}`;
          return { task, root };
        });
        // The failed task leads to the line that raised.
        await vscode.commands.executeCommand('mpscope.revealCreationSite', shown.task.element);
        const editor = await waitFor('the editor to show where the task raised', () => {
          const active = vscode.window.activeTextEditor;
          return active?.document.uri.fsPath.endsWith('pool_failing_task.py') && active.selection.active.line === 7 ? active : undefined;
        }, { timeoutMs: 15_000 });
        assert(editor.document.lineAt(7).text.includes('int(text)'), 'the revealed line is not the raising one');
        await vscode.commands.executeCommand('mpscope.processes.focus');
        await screenshot('processes-pool-failing-task');
      },
    },
    {
      name: 'Process view: killing a hung child from the view ends it as killed · SIGKILL; the status bar counts it',
      timeoutMs: 150_000,
      run: async () => {
        const id = await runSample('hung_child.py');
        const child = await waitForSession(api, id, 'the hung child to run', (s) => runningChild(s, 'hung-child'));
        const status = await waitFor('the status bar to count the running processes', () => {
          const text = api.statusBarText();
          const match = /^\$\(pulse\) (\d+) running · (\d+) failed$/.exec(text ?? '');
          return match && Number(match[1]) >= 2 ? text : undefined;
        }, { timeoutMs: 15_000, describeLast: () => String(api.statusBarText()) });
        assert(status !== undefined, 'no status bar text');

        // The filter keeps the child and its ancestors only.
        await vscode.commands.executeCommand('mpscope.filterProcesses', 'hung-child');
        try {
          await waitForView(api, id, 'the filter to keep only the hung child and its parent', (root) => {
            const processes = flatten([root]).filter((item) => item.element.type === 'process');
            return processes.length === 2 && byPid(root, child.pid) ? true : `shown: ${processes.map((item) => item.label).join(', ')}`;
          });
        } finally {
          await vscode.commands.executeCommand('mpscope.clearProcessFilter');
        }

        await killFromView(api, id, child);
        const ended = await waitForSession(api, id, 'the child to end killed by SIGKILL and the run to end', (s) => {
          const p = s.processes.find((candidate) => candidate.key === child.key);
          if (p?.state !== 'killed' || p.exit?.signal !== 'SIGKILL') return `the child is ${p?.state} ${p?.exit?.signal ?? ''}`;
          return s.endedAt === null ? 'the session has not ended' : p;
        });
        await waitForView(api, id, 'the child\'s item to read killed · SIGKILL', (root) => {
          const item = byPid(root, ended.pid);
          return item && /^\d+ · killed · SIGKILL\b/.test(item.description) && !/\.alive\b/.test(item.contextValue) ? true : `item: ${item?.description} [${item?.contextValue}]`;
        });
      },
    },
    {
      name: 'Process view: dumping the stacks of a deadlocked run shows the blocking frames in a read-only editor',
      timeoutMs: 150_000,
      run: async () => {
        const id = await runSample('deadlock.py');
        const child = await waitForSession(api, id, 'the waiting child to run and say how to ask for its stacks', (s) => {
          const found = runningChild(s, 'waiting-child');
          if (typeof found === 'string') return found;
          const main = mainOf(s);
          const ready = [found, main].every((p) => p && s.stacks.some((entry) => entry.key === p.key && entry.support !== null));
          return ready ? found : 'not every process said how to ask for its stacks';
        });
        try {
          // Frames need a moment to reach the blocking call: ask until the child is seen in it.
          const text = await waitFor('a dump that shows the child blocked in take_the_lock', async () => {
            const outcome = await vscode.commands.executeCommand<{ uri: string; asked: number; answered: number } | undefined>('mpscope.dumpStacks', id);
            assert(outcome, 'the dump command returned nothing');
            const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === outcome.uri);
            assert(document, 'the stacks document is not open');
            assert(document.uri.scheme === 'mpscope-stacks', `scheme ${document.uri.scheme}`);
            const content = document.getText();
            return outcome.answered === outcome.asked && outcome.asked >= 2 && /deadlock\.py", line 8, in take_the_lock/.test(content) ? content : undefined;
          }, { timeoutMs: 30_000, intervalMs: 500 });
          assert(/deadlock\.py", line 17, in <module>/.test(text), `the parent's join() is not in the dump:\n${text}`);
          assert(new RegExp(`pid ${child.pid} · waiting-child`).test(text), `the child's section is missing:\n${text}`);
          // One process alone, from its tree item.
          const node = await waitForView(api, id, 'the child to offer Dump Stacks', (root) => {
            const item = byPid(root, child.pid);
            return item && /\.stacks\b/.test(item.contextValue) ? item : `item: ${item?.contextValue}`;
          });
          const single = await vscode.commands.executeCommand<{ uri: string; asked: number; answered: number }>('mpscope.dumpStacks', node.element);
          assert(single.asked === 1 && single.answered === 1, `single dump: ${JSON.stringify(single)}`);
          const active = vscode.window.activeTextEditor?.document;
          assert(active?.uri.toString() === single.uri, 'the single dump is not the active editor');
          // The child alone: its own frames (a forked child keeps its parent's frames below its own),
          // not the parent's join().
          const own = active.getText();
          assert(/take_the_lock/.test(own) && !/line 17, in <module>/.test(own) && /^1 process asked/m.test(own), `single dump:\n${own}`);
          await screenshot('stacks-deadlock');
        } finally {
          // End the deadlock: kill the child; the parent's join() returns and the run ends.
          const current = sessionById(api, id)?.processes.find((p) => p.key === child.key);
          if (current && current.state === 'running') {
            await killFromView(api, id, child);
          }
        }
        await waitForSession(api, id, 'the deadlocked run to end', (s) => (s.endedAt !== null ? true : 'the session has not ended'));
      },
    },
  ];
}
