// docs/rules/README.md lists exactly the registered rules, as the registry and their pages
// describe them; every rule has a page whose title names it, and every page belongs to a rule.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../src/rules/registry';
import { INDEX_FILE, readRulePage, RULE_DOCS_DIR, updatedIndex } from './ruleIndex';

describe('rule documentation', () => {
  it('has a page for every registered rule, titled with its name and code', () => {
    for (const rule of ALL_RULES) {
      assert.equal(readRulePage(rule.meta.code).title, `${rule.meta.name} (${rule.meta.code})`, `docs/rules/${rule.meta.code}.md`);
    }
  });

  it('has no page for a rule that does not exist', () => {
    const pages = fs.readdirSync(RULE_DOCS_DIR).filter((name) => /^MP\d+\.md$/.test(name));
    const codes = new Set(ALL_RULES.map((rule) => `${rule.meta.code}.md`));
    assert.deepEqual(pages.filter((page) => !codes.has(page)), []);
  });

  it('keeps the index in docs/rules/README.md current (regenerate with scripts/write-rule-index.mjs)', () => {
    const current = fs.readFileSync(INDEX_FILE, 'utf8');
    assert.equal(current, updatedIndex(current));
  });
});
