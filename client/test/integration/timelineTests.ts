// The Timeline, trace export and saved sessions in a real VS Code: run a sample, open the
// Timeline and wait until its webview reports a drawing of every process, export the session as
// a trace and check it, save it and open the file again (the replay must equal the original),
// and open a file written by the terminal launcher (`python -m mpscope run --output`).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import type { SessionSnapshot } from '../../src/model/types';
import { extensionId, openInEditor, sessionsOf, workspaceFile } from './mpscopeExtension';
import type { IntegrationTest } from './runner';
import { screenshot } from './screenshot';
import { waitFor } from './wait';

interface TraceEventLike {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly cat?: string;
  readonly args?: Readonly<Record<string, unknown>>;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** A snapshot without what a replay changes on purpose. */
function comparable(session: SessionSnapshot): string {
  const { id: _id, label: _label, kind: _kind, ...rest } = session;
  return JSON.stringify(rest, null, 1);
}

function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const index = left.findIndex((line, i) => line !== right[i]);
  return index < 0 ? 'none' : `line ${index}: ${left[index]} ≠ ${right[index]}`;
}

async function runSample(api: MpscopeApi, file: string): Promise<SessionSnapshot> {
  const earlier = new Set(sessionsOf(api).map((session) => session.id));
  await openInEditor(file);
  await vscode.commands.executeCommand('mpscope.runFile', workspaceFile(file));
  const newest = (): SessionSnapshot | undefined => sessionsOf(api).filter((session) => !earlier.has(session.id)).pop();
  return waitFor(
    `${file} to run and end`,
    () => {
      const session = newest();
      // Ended, and every process has its exit record (the main one and the crashing child).
      return session && session.endedAt !== null && session.processes.length >= 2 && session.processes.every((p) => p.exit !== null) ? session : undefined;
    },
    { timeoutMs: 90_000, describeLast: () => JSON.stringify(newest())?.slice(0, 2000) ?? 'no session' },
  );
}

function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-timeline-test-'));
}

export function timelineTests(api: MpscopeApi): IntegrationTest[] {
  let session: SessionSnapshot | undefined;
  const ranSession = (): SessionSnapshot => {
    assert(session, 'the sample run of the first timeline test did not happen');
    return session;
  };

  return [
    {
      name: 'Timeline: shows every process of a run, drawn by the webview under its strict policy',
      timeoutMs: 150_000,
      run: async () => {
        session = await runSample(api, 'crashing_child.py');
        const shown = ranSession();
        await vscode.commands.executeCommand('mpscope.showTimeline', shown.id);
        const status = await waitFor(
          'the Timeline webview to draw the session',
          () => {
            const current = api.timeline();
            const rendered = current?.rendered;
            return current?.visible && rendered && rendered.sessionId === shown.id && rendered.lanes === shown.processes.length ? current : undefined;
          },
          { timeoutMs: 60_000, describeLast: () => JSON.stringify(api.timeline()) },
        );
        // One lifetime bar per process; an exit marker per process (the child's is its exception).
        assert(status.rendered && status.rendered.bars >= shown.processes.length, `bars: ${JSON.stringify(status.rendered)}`);
        assert(status.rendered.markers >= shown.processes.length, `markers: ${JSON.stringify(status.rendered)}`);
        await screenshot('timeline-crashing_child');
      },
    },
    {
      name: 'Export Trace: writes a Chrome/Perfetto trace with every process, its lifetime and its exit',
      run: async () => {
        const shown = ranSession();
        const dir = scratchDir();
        try {
          const target = vscode.Uri.file(path.join(dir, 'run.trace.json'));
          const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('mpscope.exportTrace', shown.id, target);
          assert(written?.fsPath === target.fsPath, `the command returned ${written?.toString()}`);
          const trace = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as { traceEvents: TraceEventLike[]; displayTimeUnit: string };
          assert(trace.displayTimeUnit === 'ms', 'displayTimeUnit');
          for (const process of shown.processes) {
            const named = trace.traceEvents.some((e) => e.ph === 'M' && e.name === 'process_name' && e.pid === process.pid);
            const lifetime = trace.traceEvents.some((e) => e.ph === 'X' && e.cat === 'process' && e.pid === process.pid);
            assert(named && lifetime, `pid ${process.pid}: process_name ${named}, lifetime ${lifetime}`);
          }
          const child = shown.processes.find((p) => p.state === 'failed');
          assert(child, 'the run has no failed child');
          const exception = trace.traceEvents.find((e) => e.ph === 'i' && e.cat === 'exception' && e.pid === child.pid);
          assert(exception && /ValueError/.test(exception.name), `no exception instant for pid ${child.pid}`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'Save Session, then Open Saved Session: the replay equals the original',
      run: async () => {
        const original = ranSession();
        const dir = scratchDir();
        try {
          const target = vscode.Uri.file(path.join(dir, 'saved.jsonl'));
          const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('mpscope.saveSession', original.id, target);
          assert(written?.fsPath === target.fsPath, `the command returned ${written?.toString()}`);
          const lines = fs.readFileSync(target.fsPath, 'utf8').trimEnd().split('\n');
          const header = JSON.parse(lines[0] ?? '{}') as { mpscope?: string; items?: number };
          assert(header.mpscope === 'session' && header.items === lines.length - 1, `header: ${lines[0]}`);
          assert(!lines.some((line) => line.includes('"token"') && !line.includes('mpscope:redacted')), 'a token was saved');

          const replayedId = await vscode.commands.executeCommand<string | undefined>('mpscope.openSession', target);
          assert(replayedId, 'Open Saved Session returned no session');
          const replayed = sessionsOf(api).find((s) => s.id === replayedId);
          assert(replayed, `no session ${replayedId} in the model`);
          assert(replayed.kind === 'replay' && replayed.label.includes('saved.jsonl'), `kind ${replayed.kind}, label ${replayed.label}`);
          const current = sessionsOf(api).find((s) => s.id === original.id);
          assert(current, 'the original session is gone');
          const [a, b] = [comparable(current), comparable(replayed)];
          assert(a === b, `the replay differs from the original; first difference: ${firstDifference(a, b)}`);

          // The Timeline can show the replay too.
          await vscode.commands.executeCommand('mpscope.showTimeline', replayedId);
          await waitFor('the Timeline to draw the replay', () => {
            const rendered = api.timeline()?.rendered;
            return rendered?.sessionId === replayedId && rendered.lanes === replayed.processes.length ? true : undefined;
          });
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'Open Saved Session: replays a file written by python -m mpscope run --output',
      timeoutMs: 150_000,
      run: async () => {
        const extension = vscode.extensions.getExtension(extensionId);
        assert(extension, 'mpscope is not loaded');
        const dir = scratchDir();
        try {
          const output = path.join(dir, 'run.jsonl');
          const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: path.join(extension.extensionPath, 'runtime') };
          delete env.MPSCOPE_ADDR;
          delete env.MPSCOPE_TOKEN;
          await new Promise<void>((resolve, reject) => {
            execFile(
              'python3',
              ['-m', 'mpscope', 'run', '--no-summary', '--output', output, workspaceFile('crashing_child.py').fsPath],
              { env, cwd: dir, timeout: 90_000 },
              (error, _stdout, stderr) => (error ? reject(new Error(`launcher failed: ${error.message}\n${stderr}`)) : resolve()),
            );
          });
          const replayedId = await vscode.commands.executeCommand<string | undefined>('mpscope.openSession', vscode.Uri.file(output));
          const replayed = sessionsOf(api).find((s) => s.id === replayedId);
          assert(replayed, 'the launcher file opened no session');
          assert(replayed.label === 'crashing_child.py (run.jsonl)', `label ${replayed.label}`);
          assert(replayed.endedAt !== null, 'a replay must be finished');
          const states = replayed.processes.map((p) => `${p.role}:${p.state}`).sort();
          assert(JSON.stringify(states) === JSON.stringify(['main:exited', 'process:failed']), `states ${JSON.stringify(states)}`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
