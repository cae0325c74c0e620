// `npm run bench:client`: the extension's performance goals (issue 5) in one table. Not a test:
// it prints what it measured and whether each goal holds, and always exits 0 unless something
// could not be measured at all.
//
//   1. ingest and Processes-view figures, in plain Node (out/client/test/bench/clientBench.js:
//      the real collector, decoder, validator, model and TreeDataProvider; `vscode` replaced by a
//      small stand-in for the tree);
//   2. the .vsix: `npm run package`, then its size;
//   3. the production bundle's load time: `require('dist/client.js')` in fresh Node processes;
//   4. activation in a real VS Code: code-server on an empty folder, a probe in the extension
//      host times `extension.activate()` (bundle load + activate()), and mpscope's own log says
//      how long activate() itself took ("activated in N ms").
//
// Options: --rounds N (code-server starts for the activation figure, default 3),
//          --no-code-server (skip 4).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from './lib/build.mjs';
import { ensureCodeServer } from './lib/code-server.mjs';
import { runExtensionTests } from './lib/extension-tests.mjs';
import { makeLogger } from './lib/log.mjs';
import { fromRoot, repoRoot, resultsDir } from './lib/paths.mjs';
import { runCommand } from './lib/run-command.mjs';

const log = makeLogger('bench:client');
const argv = process.argv.slice(2);
const roundsIndex = argv.indexOf('--rounds');
const rounds = roundsIndex >= 0 && Number(argv[roundsIndex + 1]) > 0 ? Number(argv[roundsIndex + 1]) : 3;
const withCodeServer = !argv.includes('--no-code-server');
const probe = 'out/client/test/bench/activationProbe.js';
const vsix = fromRoot('dist', 'mpscope.vsix');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const rows = [];
function add(name, value, unit, goal, note) {
  rows.push({ name, value, unit, goal, note });
}

function formatValue(value, unit) {
  if (value === undefined) return 'n/a';
  if (unit === 'events/s') return `${Math.round(value).toLocaleString('en-US')} events/s`;
  if (unit === 'MB') return `${value.toFixed(2)} MB`;
  return `${value.toFixed(unit === 'ms' && value < 1 ? 3 : 1)} ${unit}`;
}

function goalCells(row) {
  if (!row.goal) return ['', ''];
  const text = `${row.goal.atLeast ? '≥' : '≤'} ${row.goal.limit.toLocaleString('en-US')} ${row.unit}`;
  if (row.value === undefined) return [text, '?'];
  const ok = row.goal.atLeast ? row.value >= row.goal.limit : row.value <= row.goal.limit;
  return [text, ok ? 'yes' : 'NO'];
}

function printTable(header) {
  const cells = [['measure', 'value', 'goal', 'met', 'how'], ...rows.map((row) => [row.name, formatValue(row.value, row.unit), ...goalCells(row), row.note])];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const table = [line(cells[0]), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
  console.log(`\n${header}\n${table}`);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'bench-client.md'), `${header}\n\n${table}\n`);
}

function inProcessFigures() {
  log.info('ingest and tree figures (clientBench.js)…');
  const output = execFileSync(process.execPath, [fromRoot('out/client/test/bench/clientBench.js'), '--json'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const { measurements, load } = JSON.parse(output.trim().split('\n').pop());
  for (const m of measurements) add(m.name, m.value, m.unit, m.goal, m.note);
  return load;
}

async function packageSize() {
  log.info('npm run package…');
  fs.rmSync(vsix, { force: true });
  const { code } = await runCommand('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  if (code !== 0 || !fs.existsSync(vsix)) throw new Error(`npm run package failed (exit ${code}); run it alone to see why`);
  const bytes = fs.statSync(vsix).size;
  add('.vsix size', bytes / (1024 * 1024), 'MB', { limit: 2, atLeast: false }, `dist/mpscope.vsix, ${Math.round(bytes / 1024)} KiB`);
}

/** `require()` of the production bundle in a fresh Node process (parse, compile, top-level code), in CPU time. */
function bundleLoadTime() {
  log.info('bundle load time…');
  const script = `require(${JSON.stringify(fromRoot('out/client/test/bench/vscodeStandIn.js'))});
const cpu = () => { const usage = process.cpuUsage(); return (usage.user + usage.system) / 1000; };
const started = cpu();
require(${JSON.stringify(fromRoot('dist/client.js'))});
console.log(cpu() - started);`;
  const times = [];
  for (let round = 0; round < 7; round++) {
    times.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()));
  }
  const kib = Math.round(fs.statSync(fromRoot('dist/client.js')).size / 1024);
  add('bundle load: require(dist/client.js)', median(times), 'ms', undefined, `production bundle (${kib} KiB), fresh Node, median of 7`);
}

/** The figures of one cold start in code-server, or undefined when the probe could not run. */
async function activationOnce(round) {
  const label = `bench-activation-${round}`;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-bench-empty-'));
  try {
    const code = await runExtensionTests({
      label,
      folder: workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: fromRoot(probe),
      timeoutMs: 180_000,
    });
    if (code !== 0) return undefined;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  const outputDir = path.join(resultsDir, label);
  const automation = fs.readFileSync(path.join(outputDir, 'automation.log'), 'utf8');
  const reported = /mpscope-bench:(\{.*\})/.exec(automation);
  const ownLog = fs.readdirSync(path.join(outputDir, 'code-server-logs'), { recursive: true })
    .filter((file) => /mpscope\.log$/.test(String(file)))
    .map((file) => fs.readFileSync(path.join(outputDir, 'code-server-logs', String(file)), 'utf8'))
    .join('\n');
  const own = /activated in ([\d.]+) ms/.exec(ownLog);
  return {
    activateMs: reported ? JSON.parse(reported[1]).activateMs : undefined,
    activateCallMs: own ? Number(own[1]) : undefined,
  };
}

async function activationTimes() {
  await ensureCodeServer();
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    log.info(`activation in code-server, cold start ${round} of ${rounds}…`);
    const figures = await activationOnce(round);
    if (figures) runs.push(figures);
  }
  const pick = (key) => {
    const values = runs.map((run) => run[key]).filter((value) => typeof value === 'number');
    return values.length > 0 ? median(values) : undefined;
  };
  add('activation: activate() itself', pick('activateCallMs'), 'ms', { limit: 50, atLeast: false }, `mpscope's log "activated in N ms", code-server, median of ${runs.length} cold starts`);
  add('activation: extension.activate() from outside', pick('activateMs'), 'ms', undefined, 'bundle load + activate(), timed by a probe in the extension host');
}

async function main() {
  await ensureBuilt(['dist/client.js', 'out/client/test/bench/clientBench.js', probe], log);
  const load = inProcessFigures();
  await packageSize();
  bundleLoadTime();
  if (withCodeServer) await activationTimes();
  printTable(`mpscope client benchmark — Node ${process.version}, load average ${load} (CPU-time medians unless noted)`);
  log.info(`written to ${path.relative(repoRoot, path.join(resultsDir, 'bench-client.md'))}`);
}

main().catch((error) => {
  log.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
