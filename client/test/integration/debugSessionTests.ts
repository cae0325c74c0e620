// Debug sessions with a real debug adapter: Debian's debugpy, run by the test-only fixture
// extension (client/test/fixtures/debugpy-fixture) that stands in for the Python Debugger.
// mpscope's configuration provider adds its environment to the launch; the debuggee and its
// children (debugpy's subProcess) report to a session of their own, labelled with the debug
// session's name, while the user's variables and PYTHONPATH stay as they were.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import type { SessionSnapshot } from '../../src/model/types';
import { sessionsOf, workspaceFile } from './mpscopeExtension';
import { contains, findByPid, formatTree, renderTree } from './processTree';
import type { IntegrationTest } from './runner';
import { screenshot } from './screenshot';
import { assert, clearFinishedSessions, describeSession, mainOf, quiet, waitForSession } from './sessionRuns';
import { waitFor } from './wait';

const PYTHON = '/usr/bin/python3';

/** What samples/debug_env.py writes about each of its processes. */
interface ProcessView {
  readonly pid: number;
  readonly mark: string | null;
  readonly pythonpath: string | null;
  readonly sys_path: readonly string[];
  readonly reporting: boolean;
}

interface Report {
  readonly main: ProcessView;
  readonly children: readonly ProcessView[];
  readonly exitcodes: readonly number[];
}

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  return folder;
}

function launchConfiguration(name: string, report: string, more: Partial<vscode.DebugConfiguration>): vscode.DebugConfiguration {
  return {
    type: 'debugpy',
    request: 'launch',
    name,
    program: workspaceFile('debug_env.py').fsPath,
    args: [report],
    cwd: workspaceFolder().uri.fsPath,
    python: PYTHON,
    console: 'internalConsole',
    subProcess: true,
    ...more,
  };
}

/** Starts the launch and waits until the debug session (and the children's sessions) ended. */
async function debug(configuration: vscode.DebugConfiguration, report: string): Promise<Report> {
  const ended = new Promise<void>((resolve) => {
    const subscription = vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.name === configuration.name) {
        subscription.dispose();
        resolve();
      }
    });
  });
  const started = await vscode.debug.startDebugging(workspaceFolder(), configuration);
  assert(started, `the debug session "${configuration.name}" did not start`);
  await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`"${configuration.name}" did not end within 90 s`)), 90_000))]);
  await waitFor(`${report} to be written`, () => (fs.existsSync(report) ? true : undefined), { timeoutMs: 10_000 });
  return JSON.parse(fs.readFileSync(report, 'utf8')) as Report;
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-debug-test-'));
}

function newSession(api: MpscopeApi, earlier: ReadonlySet<string>, label: string): SessionSnapshot | undefined {
  return sessionsOf(api).find((session) => !earlier.has(session.id) && session.label === label);
}

export function debugSessionTests(api: MpscopeApi): IntegrationTest[] {
  const bootstrap = path.join(vscode.extensions.getExtension('mpscope.mpscope')?.extensionPath ?? '', 'runtime', 'bootstrap');
  return [
    {
      name: 'Debug session (debugpy, subProcess): its own tree root with every process and exit code; the user\'s env and PYTHONPATH kept',
      timeoutMs: 180_000,
      run: async () => {
        const dir = scratch();
        const userLib = path.join(dir, 'user lib');
        fs.mkdirSync(userLib);
        const reportFile = path.join(dir, 'report.json');
        const name = 'mpscope test: debug_env.py';
        await clearFinishedSessions();
        const earlier = new Set(sessionsOf(api).map((s) => s.id));
        try {
          const report = await debug(launchConfiguration(name, reportFile, { env: { MPSCOPE_SAMPLE_MARK: 'kept', PYTHONPATH: userLib } }), reportFile);
          // What the program saw: the user's variable and PYTHONPATH, in every process, after mpscope's bootstrap.
          assert(report.children.length === 2, `children: ${JSON.stringify(report.children)}`);
          for (const view of [report.main, ...report.children]) {
            assert(view.mark === 'kept', `pid ${view.pid} saw MPSCOPE_SAMPLE_MARK=${view.mark}`);
            assert(view.reporting, `pid ${view.pid} had no MPSCOPE_ADDR`);
            assert(view.pythonpath === `${bootstrap}${path.delimiter}${userLib}`, `pid ${view.pid} saw PYTHONPATH=${view.pythonpath}`);
            assert(view.sys_path.includes(userLib), `pid ${view.pid}: ${userLib} is not on sys.path`);
          }
          assert(report.exitcodes.join() === '0,3', `exit codes ${report.exitcodes.join()}`);

          const session = await waitFor('the debug session in the model', () => newSession(api, earlier, name), { timeoutMs: 10_000 });
          const done = await waitForSession(api, session.id, 'the debug session to end with every exit code', (s) => {
            if (s.kind !== 'debug') return `kind ${s.kind}`;
            if (s.endedAt === null) return 'the session has not ended';
            const main = mainOf(s);
            if (!main || main.pid !== report.main.pid) return `no main process ${report.main.pid}`;
            if (main.state !== 'exited' || main.exit?.exitcode !== 0 || !main.exit.reporters.includes('launcher')) return `main is ${main.state}`;
            // The children reported in whatever order they ran, not in the order of their exit codes.
            const children = report.children.map((view) => s.processes.find((p) => p.pid === view.pid));
            const codes = children.map((p) => (p?.parentKey === main.key ? p.exit?.exitcode : undefined));
            const failed = children.find((p) => p?.exit?.exitcode === 3);
            return [...codes].sort().join() === '0,3' && failed ? { s, main, failed } : `children's exit codes: ${codes.join()}`;
          });
          assert(done.s.debuggeePid === report.main.pid, `debuggee pid ${done.s.debuggeePid}, main ${report.main.pid}`);
          // debugpy wraps os.fork: the children are still multiprocessing's, not bare forks.
          const roles = report.children.map((view) => done.s.processes.find((p) => p.pid === view.pid)?.role);
          assert(roles.every((role) => role === 'process'), `children's roles: ${roles.join()}`);

          // The view: the session under its debug name, the children under the main process.
          let tree = await renderTree(api.processTree);
          await waitFor('the view to show the debug session', async () => {
            tree = await renderTree(api.processTree);
            const root = tree.find((node) => node.label === name);
            const main = root && findByPid([root], report.main.pid)[0];
            const failed = main && findByPid([main], done.failed.pid).find((node) => /\bexit 3\b/.test(node.description));
            return root && main && failed && contains(root, main) ? true : undefined;
          }, { timeoutMs: 30_000, describeLast: () => `${formatTree(tree)}\n${describeSession(done.s)}` });
          await vscode.commands.executeCommand('mpscope.processes.focus');
          await quiet(api);
          await screenshot('processes-debug-session');
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'Debug session: PYTHONPATH from the launch configuration\'s envFile is kept',
      timeoutMs: 180_000,
      run: async () => {
        const dir = scratch();
        const fromFile = path.join(dir, 'from-env-file');
        fs.mkdirSync(fromFile);
        const envFile = path.join(dir, 'test.env');
        fs.writeFileSync(envFile, `# test\nLIB=${fromFile}\nPYTHONPATH="\${LIB}"\n`);
        const reportFile = path.join(dir, 'report.json');
        try {
          const report = await debug(launchConfiguration('mpscope test: envFile', reportFile, { envFile }), reportFile);
          for (const view of [report.main, ...report.children]) {
            assert(view.reporting, `pid ${view.pid} had no MPSCOPE_ADDR`);
            assert(view.pythonpath === `${bootstrap}${path.delimiter}${fromFile}`, `pid ${view.pid} saw PYTHONPATH=${view.pythonpath}`);
            assert(view.sys_path.includes(fromFile), `pid ${view.pid}: ${fromFile} is not on sys.path`);
          }
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'Debug session: "mpscope": false leaves the launch alone',
      timeoutMs: 180_000,
      run: async () => {
        const dir = scratch();
        const reportFile = path.join(dir, 'report.json');
        const name = 'mpscope test: off';
        const earlier = new Set(sessionsOf(api).map((s) => s.id));
        try {
          const report = await debug(launchConfiguration(name, reportFile, { mpscope: false, env: { MPSCOPE_SAMPLE_MARK: 'plain' } }), reportFile);
          assert(!report.main.reporting && report.children.every((view) => !view.reporting), 'a process had MPSCOPE_ADDR');
          assert(!(report.main.pythonpath ?? '').includes(bootstrap), `PYTHONPATH=${report.main.pythonpath}`);
          assert(report.main.mark === 'plain', `MPSCOPE_SAMPLE_MARK=${report.main.mark}`);
          assert(!sessionsOf(api).some((s) => !earlier.has(s.id) && s.kind === 'debug'), 'a session was opened for it');
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
