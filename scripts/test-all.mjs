// `npm test`: every stage, in order, even after a failure (CI gets one run, so it should report
// everything that is broken), then a table of stage → result → time. Exit 1 if any stage failed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatSeconds } from './lib/log.mjs';
import { repoRoot, resultsDir } from './lib/paths.mjs';
import { runCommand } from './lib/run-command.mjs';

const node = process.execPath;
const stages = [
  { name: 'build', command: 'npm', args: ['run', '--silent', 'build'] },
  { name: 'unit', command: node, args: ['scripts/test-unit.mjs'] },
  { name: 'runtime', command: node, args: ['scripts/test-runtime.mjs'], requires: 'scripts/test-runtime.mjs' },
  { name: 'integration', command: node, args: ['scripts/test-integration.mjs'] },
  { name: 'e2e', command: node, args: ['scripts/test-e2e.mjs'] },
  { name: 'package', command: node, args: ['scripts/test-package.mjs'] },
];

function banner(text) {
  console.log(`\n${'='.repeat(20)} ${text} ${'='.repeat(Math.max(0, 58 - text.length))}`);
}

const results = [];
const started = Date.now();
for (const stage of stages) {
  banner(`stage: ${stage.name}`);
  const stageStarted = Date.now();
  let outcome;
  if (stage.requires && !fs.existsSync(path.join(repoRoot, stage.requires))) {
    console.error(`${stage.requires} does not exist`);
    outcome = 'FAIL (missing)';
  } else {
    try {
      const env = { ...process.env, MPSCOPE_BUILD_STAGE_DONE: '1' };
      const { code } = await runCommand(stage.command, stage.args, { cwd: repoRoot, env });
      outcome = code === 0 ? 'pass' : `FAIL (exit ${code})`;
    } catch (error) {
      outcome = `FAIL (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  results.push({ stage: stage.name, outcome, ms: Date.now() - stageStarted });
}
const totalMs = Date.now() - started;

const rows = [['stage', 'result', 'time'], ...results.map((r) => [r.stage, r.outcome, formatSeconds(r.ms)]), ['total', results.every((r) => r.outcome === 'pass') ? 'pass' : 'FAIL', formatSeconds(totalMs)]];
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
const table = [line(rows[0]), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
banner('summary');
console.log(table);
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, 'summary.md'), `${table}\n`);
process.exit(results.every((r) => r.outcome === 'pass') ? 0 : 1);
