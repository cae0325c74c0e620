import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, selectRules } from '../../src/engine';
import { ALL_RULES } from '../../src/rules/registry';
import type { Rule } from '../../src/rules/rule';

const UNGUARDED = 'import multiprocessing as mp\npool = mp.Pool(2)\n';

describe('lint options', () => {
  it('selects rules by code or prefix; ignore wins', () => {
    const codes = (options: Parameters<typeof selectRules>[1]): string[] =>
      selectRules(ALL_RULES, options).map((rule) => rule.meta.code);
    const all = ALL_RULES.map((rule) => rule.meta.code);
    assert.deepEqual(codes({}), all);
    assert.deepEqual(codes({ select: ['MP0'] }), all);
    assert.deepEqual(codes({ select: ['mp001'] }), ['MP001']);
    assert.deepEqual(codes({ select: ['MP999'] }), []);
    assert.deepEqual(codes({ select: ['MP'], ignore: ['MP001'] }), all.filter((code) => code !== 'MP001'));
    assert.deepEqual(codes({ select: ['MP00'], ignore: ['MP001'] }), all.filter((code) => code.startsWith('MP00') && code !== 'MP001'));
  });

  it('applies severity overrides', () => {
    assert.equal(lint(UNGUARDED)[0].severity, 'error');
    assert.equal(lint(UNGUARDED, { severity: { MP001: 'warning' } })[0].severity, 'warning');
    assert.deepEqual(lint(UNGUARDED, { ignore: ['MP001'] }), []);
  });

  it('reports a rule that throws to onRuleError and keeps going; without it the error propagates', () => {
    const broken: Rule = {
      meta: { code: 'MP999', name: 'broken', defaultSeverity: 'error', summary: 'always throws' },
      check() {
        throw new Error('boom');
      },
    };
    const rules = [...ALL_RULES, broken];
    const errors: string[] = [];
    const findings = lint(UNGUARDED, { rules, onRuleError: (code, error) => errors.push(`${code}: ${(error as Error).message}`) });
    assert.deepEqual(errors, ['MP999: boom']);
    assert.deepEqual(
      findings.map((finding) => finding.code),
      ['MP001'],
    );
    assert.throws(() => lint(UNGUARDED, { rules }), /boom/);
  });
});
