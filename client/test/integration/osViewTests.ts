// The operating system's view in a real VS Code: runs samples whose processes the runtime alone
// cannot describe (a non-Python child, zombies, an orphan, survivors) and checks what the model
// and the Processes view make of the OS process list, then kills survivors with the command.
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import type { ProcessSnapshot } from '../../src/model/types';
import { contains, findByPid, formatTree, renderTree, type RenderedNode } from './processTree';
import type { IntegrationTest } from './runner';
import { screenshot } from './screenshot';
import { assert, clearFinishedSessions, mainOf, quiet, runSample, waitForSession } from './sessionRuns';
import { waitFor } from './wait';

/** The tree item of a pid, once the view shows it as `matcher` says. */
async function waitForItem(api: MpscopeApi, pid: number, what: string, matcher: (node: RenderedNode) => boolean): Promise<RenderedNode> {
  let tree: RenderedNode[] = [];
  return waitFor(
    `the Processes view to show pid ${pid} ${what}`,
    async () => {
      tree = await renderTree(api.processTree);
      return findByPid(tree, pid).find(matcher);
    },
    { timeoutMs: 30_000, intervalMs: 200, describeLast: () => formatTree(tree) },
  );
}

/** What ps says about a pid: its STAT, or undefined when the OS no longer lists it. */
function osState(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined; // ps exits 1 when the pid is not listed
  }
}

export function osViewTests(api: MpscopeApi): IntegrationTest[] {
  return [
    {
      name: 'OS view: a non-Python child (subprocess sleep) appears under the process that started it',
      timeoutMs: 150_000,
      run: async () => {
        const id = await runSample('external_child.py');
        const session = await waitForSession(api, id, 'external_child.py to end with its sleep child seen', (s) => {
          const main = mainOf(s);
          const sleep = s.processes.find((p) => p.name === 'sleep');
          if (s.endedAt === null) return 'the session has not ended';
          if (!main || main.state !== 'exited') return 'the main process has not exited';
          if (!sleep) return 'no process named sleep';
          return { main, sleep };
        });
        const { main, sleep } = session;
        assert(sleep.external && sleep.role === null, `sleep is not marked as found by the OS only: ${JSON.stringify(sleep)}`);
        assert(sleep.parentKey === main.key, `sleep is under ${sleep.parentKey}, not under main ${main.key}`);
        assert(sleep.os?.command === 'sleep', `its OS command is ${sleep.os?.command}`);
        // It ended; nobody can report a non-Python program's exit: "lost" once the OS no longer lists it.
        const final = await waitForSession(api, id, 'sleep to be gone', (s) => {
          const p = s.processes.find((candidate) => candidate.key === sleep.key);
          return p?.state === 'lost' && p.os?.vanishedAt !== null ? p : `sleep is ${p?.state}`;
        });
        const node = await waitForItem(api, final.pid, 'as "sleep … lost"', (n) => n.label === 'sleep' && /\blost\b/.test(n.description));
        assert(/Not reporting to mpscope/.test(node.tooltip), `tooltip: ${node.tooltip}`);
        const tree = await renderTree(api.processTree);
        const sleepNodes = findByPid(tree, final.pid).filter((n) => n.label === 'sleep');
        assert(
          findByPid(tree, main.pid).some((mainNode) => sleepNodes.some((sleepNode) => contains(mainNode, sleepNode))),
          `the sleep item is not nested under the main process:\n${formatTree(tree)}`,
        );
      },
    },
    {
      name: 'OS view: children that ended but are not reaped yet show as zombies, then as what their records say',
      timeoutMs: 150_000,
      run: async () => {
        await clearFinishedSessions();
        const id = await runSample('zombie.py');
        // Both children are zombies for 6 s: the view shows it while it lasts.
        const zombies = await waitForSession(api, id, 'both children of zombie.py to be zombies', (s) => {
          const quick = s.processes.find((p) => p.name === 'quick');
          const other = s.processes.find((p) => p.name === 'true');
          if (!quick || !other) return 'the children are not both in the model yet';
          return quick.state === 'zombie' && other.state === 'zombie' ? { quick, other } : `quick is ${quick.state}, true is ${other.state}`;
        }, 60_000);
        for (const child of [zombies.quick, zombies.other]) {
          await waitForItem(api, child.pid, 'as a zombie', (n) => /\bzombie\b/.test(n.description) && /Zombie: it has ended/.test(n.tooltip));
        }
        await vscode.commands.executeCommand('mpscope.processes.focus');
        await quiet(api);
        await screenshot('processes-zombie');
        const final = await waitForSession(api, id, 'zombie.py to end with its children reaped', (s) => {
          if (s.endedAt === null) return 'the session has not ended';
          const quick = s.processes.find((p) => p.name === 'quick');
          const other = s.processes.find((p) => p.name === 'true');
          if (quick?.state !== 'exited' || quick.exit?.exitcode !== 0) return `quick is ${quick?.state}`;
          if (other?.state !== 'lost') return `true is ${other?.state}`;
          return { quick, other };
        });
        assert(final.quick.os?.vanishedAt !== null && final.other.os?.vanishedAt !== null, 'the reaped children are still listed');
      },
    },
    {
      name: 'OS view: a child whose parent was killed shows as an orphan under it',
      timeoutMs: 150_000,
      run: async () => {
        await clearFinishedSessions();
        const id = await runSample('orphan.py');
        const seen = await waitForSession(api, id, 'the grandchild to run as an orphan', (s) => {
          const parent = s.processes.find((p) => p.name === 'parent');
          const orphan = s.processes.find((p) => p.name === 'orphan');
          if (!parent || !orphan) return 'parent and orphan are not both in the model yet';
          return orphan.state === 'orphan' ? { parent, orphan } : `parent is ${parent.state}, orphan is ${orphan.state}`;
        }, 60_000);
        await waitForItem(api, seen.orphan.pid, 'as an orphan', (n) => /\borphan\b/.test(n.description));
        const done = await waitForSession(api, id, 'orphan.py to end', (s) => {
          if (s.endedAt === null) return 'the session has not ended';
          const parent = s.processes.find((p) => p.name === 'parent');
          const orphan = s.processes.find((p) => p.name === 'orphan');
          if (parent?.state !== 'killed' || parent.exit?.signal !== 'SIGKILL') return `parent is ${parent?.state}`;
          // Its new parent (init or a subreaper) may never reap it: exited, or a zombie for good.
          if (!orphan || orphan.exit?.exitcode !== 0 || !['exited', 'zombie'].includes(orphan.state)) return `orphan is ${orphan?.state}`;
          return { parent, orphan };
        });
        assert(done.orphan.orphaned, 'the grandchild is not marked as an orphan');
        assert(done.orphan.parentKey === done.parent.key, 'the orphan is not kept under its killed parent');
        const tree = await renderTree(api.processTree);
        const parentNodes = findByPid(tree, done.parent.pid).filter((n) => /SIGKILL/.test(n.description));
        const orphanNodes = findByPid(tree, done.orphan.pid).filter((n) => /\borphan\b/.test(n.description));
        assert(
          parentNodes.some((parentNode) => orphanNodes.some((orphanNode) => contains(parentNode, orphanNode))),
          `the view does not show the orphan under its killed parent:\n${formatTree(tree)}`,
        );
      },
    },
    {
      name: 'OS view: processes that outlive their session are listed as survivors, and Kill Survivors ends them',
      timeoutMs: 150_000,
      run: async () => {
        await clearFinishedSessions();
        const id = await runSample('survivors.py');
        let survivors: ProcessSnapshot[] = [];
        const session = await waitForSession(api, id, 'survivors.py to end with two survivors', (s) => {
          if (s.endedAt === null) return 'the session has not ended';
          survivors = s.processes.filter((p) => s.survivors.includes(p.key));
          const sleep = survivors.find((p) => p.os?.command === 'sleep');
          const python = survivors.find((p) => p.role === 'main' && p.parentKey !== null);
          return sleep && python && survivors.length === 2 ? s : `survivors: ${survivors.map((p) => `${p.name}(${p.pid})`).join(', ') || 'none'}`;
        });
        const pids = survivors.map((p) => p.pid);
        for (const pid of pids) {
          assert(osState(pid) !== undefined && !osState(pid)?.startsWith('Z'), `pid ${pid} is not running: ${osState(pid)}`);
          await waitForItem(api, pid, 'as a survivor', (n) => /\bsurvivor\b/.test(n.description));
        }
        const sessionNode = (await renderTree(api.processTree)).find((n) => n.label === session.label && /2 survivors/.test(n.description));
        assert(sessionNode, 'the session item does not count 2 survivors');
        await vscode.commands.executeCommand('mpscope.processes.focus');
        await quiet(api);
        await screenshot('processes-survivors');

        const result = await vscode.commands.executeCommand<{ killed: number[] } | undefined>('mpscope.killSurvivors', id, { confirm: false });
        assert(result && [...result.killed].sort().join() === [...pids].sort().join(), `killed ${JSON.stringify(result)}, expected ${pids.join(', ')}`);
        await waitFor('the survivors to be dead', () => (pids.every((pid) => osState(pid) === undefined || osState(pid)?.startsWith('Z')) ? true : undefined), {
          timeoutMs: 30_000,
          describeLast: () => pids.map((pid) => `${pid}: ${osState(pid) ?? 'gone'}`).join(', '),
        });
        await waitForSession(api, id, 'no survivors left, both recorded as killed', (s) => {
          if (s.survivors.length > 0) return `survivors: ${s.survivors.join(', ')}`;
          const killed = s.processes.filter((p) => pids.includes(p.pid));
          // Killed, or a zombie when nobody reaps them (an init that does not): dead either way.
          return killed.every((p) => p.exit?.signal === 'SIGKILL' && ['killed', 'zombie'].includes(p.state)) ? true : killed.map((p) => `${p.pid} ${p.state}`).join(', ');
        }, 30_000);
      },
    },
    {
      name: 'Clear Finished Sessions empties the view of ended sessions',
      run: async () => {
        const before = api.snapshot().filter((s) => s.endedAt !== null).length;
        assert(before > 0, 'no ended session to clear');
        const cleared = await vscode.commands.executeCommand<number>('mpscope.clearFinishedSessions');
        assert(cleared === before, `cleared ${cleared}, expected ${before}`);
        assert(api.snapshot().every((s) => s.endedAt === null), 'an ended session is still there');
        await waitFor('the view to drop them', async () => ((await renderTree(api.processTree)).length === api.snapshot().length ? true : undefined));
      },
    },
  ];
}
