// Precision on real code nobody here wrote: every rule on CPython's multiprocessing and
// concurrent.futures packages and its multiprocessing test suite, from every pyenv Python on the
// machine, compared with expected-findings.json, where each finding was reviewed and has a
// verdict and a note. For the Pythons the review covered the findings must match exactly; on
// other versions every finding must at least be a reviewed one. Rules whose findings are errors
// must have no false positives there. After changing rules, regenerate the file
// (scripts/update-precision.mjs) and review what it marks "unreviewed".
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleByCode } from '../../src/rules/registry';
import { corpusFiles, corpusPythons, countByKey, findingsOf, keyOf, readExpected } from './cpythonCorpus';

const REGENERATE = 'run `node scripts/update-precision.mjs` and review the entries it marks "unreviewed"';

describe('precision on CPython (pyenv Pythons on this machine)', () => {
  const pythons = corpusPythons();
  if (pythons.length === 0) {
    it('needs at least one pyenv Python', { skip: 'no pyenv Python found' }, () => undefined);
    return;
  }
  const expected = readExpected();
  const entries = new Map(expected.findings.map((entry) => [keyOf(entry), entry]));

  it('every expected finding is reviewed, and no error-severity rule has a false positive', () => {
    const unreviewed = expected.findings.filter((entry) => entry.verdict === 'unreviewed' || entry.note.trim() === '').map(keyOf);
    assert.deepEqual(unreviewed, [], `findings without a verdict and note: ${REGENERATE}`);
    for (const entry of expected.findings) {
      assert.ok(['true positive', 'false positive'].includes(entry.verdict), `${keyOf(entry)}: verdict "${entry.verdict}"`);
      const rule = ruleByCode(entry.code);
      assert.ok(rule, `${keyOf(entry)}: no rule ${entry.code} is registered`);
      if (entry.verdict === 'false positive') {
        assert.notEqual(rule.meta.defaultSeverity, 'error', `${keyOf(entry)}: ${entry.code} is an error-severity rule and must not have false positives`);
      }
    }
  });

  for (const python of pythons) {
    it(`Python ${python.version}`, () => {
      assert.ok(corpusFiles(python).length > 10, `only ${corpusFiles(python).length} files under ${python.library}`);
      const found = countByKey(findingsOf(python));
      const problems: string[] = [];
      for (const [key, { finding, count }] of found) {
        const entry = entries.get(key);
        if (entry === undefined) {
          problems.push(`not reviewed: ${key} (${finding.message})`);
          continue;
        }
        if (entry.verdict === 'false positive' && finding.severity === 'error') problems.push(`false positive reported as an error: ${key}`);
        if (expected.reviewedWith.includes(python.version) && !entry.versions.includes(python.version)) problems.push(`not expected in ${python.version}: ${key}`);
        if (count > entry.count) problems.push(`${count} findings, ${entry.count} reviewed: ${key}`);
      }
      if (expected.reviewedWith.includes(python.version)) {
        for (const entry of expected.findings) {
          if (!entry.versions.includes(python.version)) continue;
          if (!found.has(keyOf(entry))) problems.push(`no longer found: ${keyOf(entry)}`);
        }
      }
      assert.deepEqual(problems, [], `findings differ from expected-findings.json: ${REGENERATE}`);
    });
  }
});
