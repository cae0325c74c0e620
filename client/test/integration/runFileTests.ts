// "Run Python File with Process Tree" on the samples: the model (api.snapshot()) must hold the
// processes with the exit codes Python itself reports, and the Processes view must render them
// nested under their parents with the state and exit code or signal in their text.
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import type { ProcessSnapshot, ProcessState, SessionSnapshot } from '../../src/model/types';
import { openInEditor, sessionsOf, workspaceFile } from './mpscopeExtension';
import { contains, findByPid, formatTree, renderTree, type RenderedNode } from './processTree';
import type { IntegrationTest } from './runner';
import { screenshot } from './screenshot';
import { waitFor } from './wait';

/** One acceptable way for a process to end, and how the Processes view must show it. */
interface Outcome {
  readonly state: ProcessState;
  readonly exitcode: number;
  readonly signal?: string;
  readonly exceptionType?: string;
  /** What the tree item's label + description must show beside the pid and the state (`exit 1`, `SIGKILL`). */
  readonly shows: RegExp;
  readonly tooltipShows?: RegExp;
}

interface ExpectedProcess {
  /** Says which process this is, in failure messages. */
  readonly what: string;
  readonly select: (process: ProcessSnapshot, session: SessionSnapshot) => boolean;
  /** How many processes `select` must find (default 1). */
  readonly count?: number | 'one or more';
  /** Usually one; several where Python itself does not decide (see pool_map.py). */
  readonly outcomes: readonly Outcome[];
}

interface SampleRun {
  readonly file: string;
  readonly expected: readonly ExpectedProcess[];
}

const isMain = (process: ProcessSnapshot): boolean => process.parentKey === null && process.role === 'main';
const childOfMain = (process: ProcessSnapshot, session: SessionSnapshot): boolean => {
  const main = session.processes.find(isMain);
  return main !== undefined && process.parentKey === main.key;
};

const exitedCleanly: Outcome = { state: 'exited', exitcode: 0, shows: /\bexit 0\b/ };

const mainExitedCleanly: ExpectedProcess = { what: 'the main process', select: isMain, outcomes: [exitedCleanly] };

const samples: readonly SampleRun[] = [
  {
    file: 'guarded_process.py',
    expected: [
      mainExitedCleanly,
      { what: 'the child process', select: (p, s) => childOfMain(p, s) && p.role === 'process', outcomes: [exitedCleanly] },
    ],
  },
  {
    file: 'pool_map.py',
    expected: [
      mainExitedCleanly,
      {
        what: 'the pool workers',
        select: (p, s) => childOfMain(p, s) && p.role === 'pool-worker',
        count: 2,
        // Leaving `with Pool(...)` calls terminate(): a worker that already took its stop
        // sentinel exits 0, one still waiting for work gets SIGTERM. Which one wins is a race
        // inside multiprocessing, so both are correct.
        outcomes: [exitedCleanly, { state: 'killed', exitcode: -15, signal: 'SIGTERM', shows: /SIGTERM/ }],
      },
    ],
  },
  {
    file: 'crashing_child.py',
    expected: [
      mainExitedCleanly,
      {
        what: 'the crashing child',
        select: (p, s) => childOfMain(p, s) && p.role === 'process',
        outcomes: [{ state: 'failed', exitcode: 1, exceptionType: 'ValueError', shows: /\bexit 1\b/, tooltipShows: /ValueError/ }],
      },
    ],
  },
  {
    file: 'killed_child.py',
    expected: [
      mainExitedCleanly,
      {
        what: 'the killed child',
        select: (p, s) => childOfMain(p, s) && p.role === 'process',
        outcomes: [{ state: 'killed', exitcode: -9, signal: 'SIGKILL', shows: /SIGKILL/ }],
      },
    ],
  },
];

function describeProcess(p: ProcessSnapshot): string {
  const exit = p.exit ? ` exit=${p.exit.exitcode} signal=${p.exit.signal ?? '-'} exception=${p.exit.exception?.type ?? '-'}` : '';
  return `${p.key} ${p.name} role=${p.role ?? '-'} parent=${p.parentKey ?? '-'} state=${p.state}${exit}`;
}

function describeSession(session: SessionSnapshot | undefined): string {
  if (!session) return 'no new session';
  return `session ${session.id} "${session.label}" ended=${session.endedAt !== null}\n${session.processes.map(describeProcess).join('\n')}`;
}

function outcomeProblem(p: ProcessSnapshot, expected: Outcome): string | undefined {
  if (p.state !== expected.state) return `state ${p.state}, expected ${expected.state}`;
  if (p.exit?.exitcode !== expected.exitcode) return `exit code ${p.exit?.exitcode}, expected ${expected.exitcode}`;
  if (expected.signal !== undefined && p.exit?.signal !== expected.signal) return `signal ${p.exit?.signal}, expected ${expected.signal}`;
  if (expected.exceptionType !== undefined && p.exit?.exception?.type !== expected.exceptionType) {
    return `exception ${p.exit?.exception?.type}, expected ${expected.exceptionType}`;
  }
  return undefined;
}

/** Why the session does not (yet) match; undefined when it does. */
function mismatch(session: SessionSnapshot, expectations: readonly ExpectedProcess[]): string | undefined {
  if (session.endedAt === null) return 'the session has not ended';
  for (const expected of expectations) {
    const found = session.processes.filter((p) => expected.select(p, session));
    const count = expected.count ?? 1;
    if (count === 'one or more' ? found.length === 0 : found.length !== count) {
      return `${expected.what}: expected ${count} process(es), found ${found.length}`;
    }
    for (const p of found) {
      if (!expected.outcomes.some((outcome) => outcomeProblem(p, outcome) === undefined)) {
        return `${expected.what} (${p.key}): ${expected.outcomes.map((outcome) => outcomeProblem(p, outcome)).join(', or ')}`;
      }
    }
  }
  return undefined;
}

/** Why the rendered tree does not (yet) show the session as expected; undefined when it does. */
function treeMismatch(tree: readonly RenderedNode[], session: SessionSnapshot, expectations: readonly ExpectedProcess[]): string | undefined {
  const byKey = new Map(session.processes.map((p) => [p.key, p]));
  for (const expected of expectations) {
    for (const p of session.processes.filter((candidate) => expected.select(candidate, session))) {
      const nodes = findByPid(tree, p.pid);
      if (nodes.length === 0) return `no tree item shows pid ${p.pid} (${expected.what})`;
      // The outcome the model settled on decides what the item must show.
      const outcome = expected.outcomes.find((candidate) => outcomeProblem(p, candidate) === undefined) ?? expected.outcomes[0];
      const shown = nodes.find((node) => {
        const text = `${node.label} ${node.description}`.replace(new RegExp(`\\b${p.pid}\\b`, 'g'), '');
        return new RegExp(`\\b${outcome.state}\\b`, 'i').test(text) && outcome.shows.test(text) && (!outcome.tooltipShows || outcome.tooltipShows.test(node.tooltip));
      });
      if (!shown) {
        return `the tree item of pid ${p.pid} (${expected.what}) does not show "${outcome.state}", ${outcome.shows}${outcome.tooltipShows ? ` and a tooltip with ${outcome.tooltipShows}` : ''}`;
      }
      const parent = p.parentKey === null ? undefined : byKey.get(p.parentKey);
      if (parent && !findByPid(tree, parent.pid).some((node) => contains(node, shown))) {
        return `pid ${p.pid} (${expected.what}) is not nested under its parent ${parent.pid}`;
      }
    }
  }
  return undefined;
}

async function runSample(api: MpscopeApi, sample: SampleRun): Promise<void> {
  // Ids, not a count: the model may drop old sessions.
  const earlier = new Set(sessionsOf(api).map((session) => session.id));
  const uri = workspaceFile(sample.file);
  await openInEditor(sample.file);
  await vscode.commands.executeCommand('mpscope.runFile', uri);

  const newest = (): SessionSnapshot | undefined => sessionsOf(api).filter((session) => !earlier.has(session.id)).pop();
  let lastProblem = '';
  const session = await waitFor(
    `${sample.file} to finish with the expected processes`,
    () => {
      const candidate = newest();
      lastProblem = candidate ? mismatch(candidate, sample.expected) ?? '' : 'no new session yet';
      return candidate && !lastProblem ? candidate : undefined;
    },
    { timeoutMs: 90_000, describeLast: () => `${lastProblem}\n${describeSession(newest())}` },
  );

  let lastTree: RenderedNode[] = [];
  await waitFor(
    `the Processes view to show the run of ${sample.file}`,
    async () => {
      lastTree = await renderTree(api.processTree);
      lastProblem = treeMismatch(lastTree, session, sample.expected) ?? '';
      return lastProblem ? undefined : true;
    },
    { timeoutMs: 30_000, intervalMs: 250, describeLast: () => `${lastProblem}\n${formatTree(lastTree)}` },
  );
  // A picture of the view for people (test-results/integration/), not an assertion.
  await vscode.commands.executeCommand('mpscope.processes.focus');
  await screenshot(`processes-${sample.file.replace(/\.py$/, '')}`);
}

export function runFileTests(api: MpscopeApi): IntegrationTest[] {
  return samples.map((sample) => ({
    name: `Run Python File with Process Tree: ${sample.file}`,
    timeoutMs: 150_000,
    run: () => runSample(api, sample),
  }));
}
