// Every corpus file lints to exactly the findings its `# expect:` comments announce, and files
// without expectations lint clean.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../src/engine';
import { expectedFindings } from '../support/expectations';
import { CORPUS_DIR, FIXES_DIR, filesUnder } from '../support/paths';

describe('rule corpus', () => {
  const files = filesUnder(CORPUS_DIR, '.py');
  it('has cases', () => assert.ok(files.length >= 20, `only ${files.length} corpus files`));
  for (const file of files) {
    it(path.relative(CORPUS_DIR, file), () => {
      const text = fs.readFileSync(file, 'utf8');
      const actual = lint(text)
        .map((finding) => `${finding.range.start.line + 1}:${finding.code}`)
        .sort();
      assert.deepEqual(actual, expectedFindings(text));
    });
  }
});

describe('quick-fix results', () => {
  for (const file of filesUnder(FIXES_DIR, '.fixed.py')) {
    it(`${path.relative(FIXES_DIR, file)} lints clean`, () => {
      assert.deepEqual(lint(fs.readFileSync(file, 'utf8')), []);
    });
  }
});
