// Lint benchmark (`npm run bench:lint`): full lint of a large file, and re-lint after one edit the
// way the language server does it (the edit arrives as an LSP change, the open document parses
// incrementally and its analysis re-uses what the previous version found for unchanged
// statements), beside Debian's pylint on the same file in the same run. Prints tables; it
// asserts nothing about time.
//
//   npm run bench:lint [-- file.py] [-- --runs N] [-- --pylint-runs N] [-- --no-pylint]
//
// Default file: CPython's Lib/test/_test_multiprocessing.py from the newest pyenv Python found.
// Goals (issue 4): full lint ≤ 30 ms, re-lint after an edit ≤ 5 ms, ≥ 50× faster than pylint.
// On a busy machine the wall-clock numbers wander; the minimum and the CPU time say more.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { lint } = require(path.join(root, 'out/server/src/engine/index.js'));
const { ModuleAnalysis } = require(path.join(root, 'out/server/src/analysis/index.js'));
const { LineIndex, parseSource, walkStatements } = require(path.join(root, 'out/server/src/parser/index.js'));
const { OpenDocument } = require(path.join(root, 'out/server/src/lsp/openDocument.js'));
const { ALL_RULES } = require(path.join(root, 'out/server/src/rules/registry.js'));
const { parser: lezer } = require(path.join(root, 'node_modules/@lezer/python'));

const GOAL_FULL_MS = 30;
const GOAL_INCREMENTAL_MS = 5;
const GOAL_PYLINT_RATIO = 50;

function defaultFile() {
  const versions = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions');
  const candidates = fs.existsSync(versions) ? fs.readdirSync(versions).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).reverse() : [];
  for (const version of candidates) {
    const lib = path.join(versions, version, 'lib');
    for (const python of fs.existsSync(lib) ? fs.readdirSync(lib) : []) {
      const file = path.join(lib, python, 'test', '_test_multiprocessing.py');
      if (fs.existsSync(file)) return file;
    }
  }
  throw new Error('no _test_multiprocessing.py found under pyenv; pass a file: npm run bench:lint -- path/to/file.py');
}

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const args = process.argv.slice(2);
const runs = option('--runs', 40);
const pylintRuns = option('--pylint-runs', 1);
const withPylint = !args.includes('--no-pylint');
const file = args.find((arg, index) => !arg.startsWith('--') && !['--runs', '--pylint-runs'].includes(args[index - 1])) ?? defaultFile();
const text = fs.readFileSync(file, 'utf8');

function sorted(samples) {
  return [...samples].sort((a, b) => a - b);
}

function median(samples) {
  const ordered = sorted(samples);
  return ordered[Math.floor(ordered.length / 2)];
}

function percentile(samples, q) {
  const ordered = sorted(samples);
  return ordered[Math.min(ordered.length - 1, Math.floor(q * ordered.length))];
}

/** CPU time (user + system, all threads of this process) of each timed step, by sample array. */
const cpuTimes = new WeakMap();

function time(action) {
  const start = performance.now();
  action();
  return performance.now() - start;
}

/** Times `action` into `samples` (wall clock) and its CPU time alongside: on a busy machine the CPU time says more. */
function timeInto(samples, action) {
  const cpuStart = process.cpuUsage();
  const wall = time(action);
  const cpu = process.cpuUsage(cpuStart);
  samples.push(wall);
  if (!cpuTimes.has(samples)) cpuTimes.set(samples, []);
  cpuTimes.get(samples).push((cpu.user + cpu.system) / 1000);
  return wall;
}

// Warm up the JIT the way a long-running server is warm.
for (let i = 0; i < 10; i++) lint(parseSource(text));

// --- full lint -------------------------------------------------------------------------------
// lezer alone first: the floor under every full parse (the syntax view is built from its tree).
const lezerOnly = [];
for (let i = 0; i < runs; i++) timeInto(lezerOnly, () => lezer.parse(text));
const fullParse = [];
const full = [];
for (let i = 0; i < runs; i++) {
  timeInto(full, () => {
    let source;
    timeInto(fullParse, () => (source = parseSource(text)));
    lint(source);
  });
}

// --- re-lint after one edit --------------------------------------------------------------------
// What the language server does when a user types: the change arrives as an LSP event on the
// open document, which parses incrementally and analyses with what its previous version found;
// then every rule runs. Each edit types a character inside a name in a function body (the text
// stays valid Python), then deletes it again; both versions are linted. The edits are spread
// over the file's function bodies. A second series types anywhere a name is (module-level names
// too, which invalidate more).
// Typing inside a keyword (`return` → `reqturn`) is a syntax error, which the parser handles with
// a full parse (see IncrementalParser.parse); the edits here are meant to keep the text valid.
const KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield').split(' '),
);

function names(slice, offset) {
  const positions = [];
  for (const match of slice.matchAll(/[A-Za-z_][A-Za-z0-9_]{3,}/g)) {
    if (!KEYWORDS.has(match[0])) positions.push(offset + match.index + 2);
  }
  return positions;
}

function namesInFunctionBodies() {
  const positions = [];
  walkStatements(parseSource(text).module.body, (statement) => {
    if (statement.kind !== 'FunctionDef') return;
    const { from, to } = statement.body;
    positions.push(...names(text.slice(from, to), from));
  });
  return [...new Set(positions)].sort((a, b) => a - b);
}

function namesAnywhere() {
  return names(text, 0);
}

/**
 * Types and deletes a character at `runs` of `positions`. Timed: the re-parse, and re-parse plus
 * lint. With `ruleByRule`, the lint of each version instead runs rule by rule on the version's
 * analysis (registry order: the first rule to need a shared analysis pays for it), timing each.
 */
function editSeries(positions, ruleByRule = false) {
  const document = new OpenDocument('file:///bench.py', 'python', 1, text);
  lint(document.analysis(undefined));
  // Each edit is undone by the next, so the text before an edit is always the original one:
  // the original's line index gives the LSP positions (without indexing every version anew).
  const lines = new LineIndex(text);
  let version = 1;
  const parse = [];
  const total = [];
  const perRule = new Map(ALL_RULES.map((rule) => [rule.meta.code, []]));
  const scopes = [];
  for (let i = 0; i < runs; i++) {
    const at = positions[Math.floor(((i + 0.5) / runs) * positions.length)];
    for (const [from, to, insert] of [
      [at, at, 'q'],
      [at, at + 1, ''],
    ]) {
      const change = { range: { start: lines.positionAt(from), end: lines.positionAt(to) }, text: insert };
      if (!ruleByRule) {
        timeInto(total, () => {
          document.applyChanges([change], ++version);
          timeInto(parse, () => document.source());
          lint(document.analysis(undefined));
        });
        continue;
      }
      document.applyChanges([change], ++version);
      document.source();
      const analysis = document.analysis(undefined);
      scopes.push(time(() => analysis.scopes));
      for (const rule of ALL_RULES) perRule.get(rule.meta.code).push(time(() => lint(analysis, { rules: [rule] })));
    }
  }
  return { parse, total, perRule, scopes };
}

const inBodies = editSeries(namesInFunctionBodies());
const inBodiesByRule = editSeries(namesInFunctionBodies(), true);
const anywhere = editSeries(namesAnywhere());

// --- where the lint time goes ------------------------------------------------------------------
// "in the full lint": every rule in registry order on one shared analysis, so a shared analysis
// is charged to the first rule that needs it (these add up to the lint time). "alone": each
// rule on a fresh analysis (what selecting only that rule costs).
const source = parseSource(text);
const scopeTimes = [];
const sharedTimes = new Map(ALL_RULES.map((rule) => [rule.meta.code, []]));
const aloneTimes = new Map(ALL_RULES.map((rule) => [rule.meta.code, []]));
for (let i = 0; i < Math.max(5, Math.floor(runs / 4)); i++) {
  const analysis = new ModuleAnalysis(source, undefined);
  scopeTimes.push(time(() => analysis.scopes));
  for (const rule of ALL_RULES) sharedTimes.get(rule.meta.code).push(time(() => lint(analysis, { rules: [rule] })));
  for (const rule of ALL_RULES) aloneTimes.get(rule.meta.code).push(time(() => lint(new ModuleAnalysis(source, undefined), { rules: [rule] })));
}

// --- pylint ------------------------------------------------------------------------------------
function findPylint() {
  if (fs.existsSync('/usr/bin/pylint')) return { command: '/usr/bin/pylint', args: [] };
  const probe = spawnSync('python3', ['-m', 'pylint', '--version'], { encoding: 'utf8' });
  return probe.status === 0 ? { command: 'python3', args: ['-m', 'pylint'] } : undefined;
}

/** Wall-clock and CPU (user + system, from the shell's `times`) of one pylint run, in ms. */
function runPylint(pylint) {
  const quoted = [pylint.command, ...pylint.args, '--jobs=1', '--score=n', file].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
  const start = performance.now();
  const result = spawnSync('/bin/sh', ['-c', `${quoted} >/dev/null 2>&1; times`], { encoding: 'utf8' });
  const wall = performance.now() - start;
  const children = result.stdout.trim().split('\n').pop() ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((match) => Number(match[1]) * 60 + Number(match[2]));
  return { wall, cpu: seconds.length === 2 ? (seconds[0] + seconds[1]) * 1000 : Number.NaN };
}

let pylintResult;
let pylintNote;
if (withPylint) {
  const pylint = findPylint();
  if (pylint === undefined) {
    pylintNote = 'pylint not found: install it with `sudo apt-get install pylint` (Debian/Ubuntu) or `python3 -m pip install pylint`, then run again';
  } else {
    const version = spawnSync(pylint.command, [...pylint.args, '--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    const samples = Array.from({ length: pylintRuns }, () => runPylint(pylint));
    pylintResult = { version, wall: median(samples.map((sample) => sample.wall)), cpu: median(samples.map((sample) => sample.cpu)) };
  }
}

// --- mpscope-lint as a process (what a CI job or pre-commit hook pays) --------------------------
const cli = path.join(root, 'dist', 'cli.js');
const cliWall = fs.existsSync(cli)
  ? median(Array.from({ length: 5 }, () => time(() => spawnSync(process.execPath, [cli, file], { encoding: 'utf8' }))))
  : undefined;

// --- tables ------------------------------------------------------------------------------------
const lines = text.split('\n').length;
const fixed = (value) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
const row = (cells, widths) => `| ${cells.map((cell, index) => String(cell).padEnd(widths[index])).join(' | ')} |`;
const table = (header, rows) => {
  const widths = header.map((_, index) => Math.max(...[header, ...rows].map((cells) => String(cells[index]).length)));
  return [row(header, widths), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map((cells) => row(cells, widths))].join('\n');
};
const verdict = (ok) => (ok ? 'met' : 'not met');
const cpuMedian = (samples) => median(cpuTimes.get(samples) ?? [Number.NaN]);
const timed = (label, samples, goal, goalMs) => [
  label,
  fixed(sorted(samples)[0]),
  fixed(median(samples)),
  fixed(percentile(samples, 0.9)),
  fixed(cpuMedian(samples)),
  goal ?? '',
  goalMs === undefined ? '' : verdict(median(samples) <= goalMs),
];

console.log(`${path.basename(file)} (${file}): ${lines} lines, ${text.length} characters`);
console.log(`${runs} runs, ${runs * 2} edits per series; ${ALL_RULES.length} rules; Node ${process.version}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; load average ${os.loadavg()[0].toFixed(2)}`);
console.log('');
const fullMedian = median(full);
const incrementalMedian = median(inBodies.total);
const rows = [
  timed('full: lezer parse alone', lezerOnly),
  timed('full: parse + syntax view', fullParse),
  timed('full: parse + lint (all rules)', full, `≤ ${GOAL_FULL_MS}`, GOAL_FULL_MS),
  timed('typed in a function body: incremental re-parse', inBodies.parse),
  timed('typed in a function body: re-parse + lint', inBodies.total, `≤ ${GOAL_INCREMENTAL_MS}`, GOAL_INCREMENTAL_MS),
  timed('typed in any name: re-parse + lint', anywhere.total),
];
if (cliWall !== undefined) rows.push(['mpscope-lint CLI process (node start-up included)', '', fixed(cliWall), '', '', '', '']);
if (pylintResult) rows.push([`pylint process (${pylintResult.version})`, '', fixed(pylintResult.wall), '', fixed(pylintResult.cpu), '', '']);
console.log(table(['step', 'min ms', 'median ms', 'p90 ms', 'median CPU ms', 'goal', ''], rows));
console.log('');
if (pylintResult) {
  const ratio = (ours) => pylintResult.wall / ours;
  const ratios = [
    ['full lint in process', `${ratio(fullMedian).toFixed(0)}×`, `≥ ${GOAL_PYLINT_RATIO}×`, verdict(ratio(fullMedian) >= GOAL_PYLINT_RATIO)],
    ['re-lint after an edit', `${ratio(incrementalMedian).toFixed(0)}×`, '', ''],
  ];
  if (cliWall !== undefined) ratios.push(['CLI process vs pylint process', `${ratio(cliWall).toFixed(0)}×`, '', '']);
  console.log(table(['pylint wall clock ÷ mpscope', 'ratio', 'goal', ''], ratios));
} else if (pylintNote) {
  console.log(pylintNote);
}
console.log('');
console.log('Where the lint time goes (median ms):');
console.log('');
const ruleRows = ALL_RULES.map((rule) => [
  rule.meta.code,
  rule.meta.name,
  fixed(median(sharedTimes.get(rule.meta.code))),
  fixed(median(aloneTimes.get(rule.meta.code))),
  fixed(median(inBodiesByRule.perRule.get(rule.meta.code))),
]);
console.log(
  table(
    ['rule', 'name', 'in the full lint', 'alone', 'after an edit'],
    [['-', 'scopes (shared by all rules)', fixed(median(scopeTimes)), '', fixed(median(inBodiesByRule.scopes))], ...ruleRows],
  ),
);
console.log('');
console.log('"after an edit": the lint of each edited version (typed in a function body) run rule by rule,');
console.log('in registry order, the first rule to need a shared analysis paying for it.');
