// Regenerates server/test/precision/expected-findings.json from what the rules find now on
// CPython's multiprocessing code (every pyenv Python), keeping the verdict and note of every
// finding that is still there and marking new ones "unreviewed" — which fails the precision test
// until someone reads the code, decides, and writes the note. Run after adding or changing rules:
//
//   npm run build && node scripts/update-precision.mjs

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { repoRoot } from './lib/paths.mjs';

const require = createRequire(import.meta.url);
const { corpusPythons, countByKey, EXPECTED_FILE, findingsOf, keyOf, readExpected } = require(path.join(repoRoot, 'out/server/test/precision/cpythonCorpus.js'));

const pythons = corpusPythons();
if (pythons.length === 0) {
  console.error('no pyenv Python with multiprocessing found');
  process.exit(1);
}
const previous = fs.existsSync(EXPECTED_FILE) ? readExpected() : { reviewedWith: [], findings: [] };
const reviewed = new Map(previous.findings.map((entry) => [keyOf(entry), entry]));
const merged = new Map();
for (const python of pythons) {
  for (const [key, { finding, count }] of countByKey(findingsOf(python))) {
    const known = merged.get(key);
    if (known) {
      known.versions.push(python.version);
      known.count = Math.max(known.count, count);
      continue;
    }
    const old = reviewed.get(key);
    merged.set(key, {
      file: finding.file,
      code: finding.code,
      line: finding.line,
      count,
      versions: [python.version],
      verdict: old?.verdict ?? 'unreviewed',
      note: old?.note ?? '',
      message: finding.message,
    });
  }
}
const findings = [...merged.values()].sort((a, b) => a.file.localeCompare(b.file) || a.code.localeCompare(b.code) || a.line.localeCompare(b.line));
fs.writeFileSync(EXPECTED_FILE, `${JSON.stringify({ reviewedWith: pythons.map((python) => python.version), findings }, null, 2)}\n`);
const unreviewed = findings.filter((entry) => entry.verdict === 'unreviewed').length;
const dropped = previous.findings.filter((entry) => !merged.has(keyOf(entry))).length;
console.log(`${path.relative(repoRoot, EXPECTED_FILE)}: ${findings.length} findings (${unreviewed} unreviewed), ${dropped} no longer found and dropped`);
