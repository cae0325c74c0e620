// mpscope-lint's machine-readable formats: GitHub Actions workflow commands and SARIF 2.1.0.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { escapeData, escapeProperty } from '../../src/cli/githubFormat';
import { ALL_RULES } from '../../src/rules/registry';
import { RULE_DOCS_BASE_URL } from '../../src/rules/docsUrl';
import { runCliBundle, writeFile } from '../support/cliRun';
import { sarifProblems } from '../support/sarifShape';

const UNGUARDED = 'import multiprocessing as mp\n\npool = mp.Pool(2)\n';
const MESSAGE = 'missing main guard: `mp.Pool(...)` starts a process pool at import time, outside `if __name__ == "__main__":`';

describe('mpscope-lint --format github', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-github-'));
    writeFile(root, 'src/bad.py', UNGUARDED);
    writeFile(root, 'src/clean.py', 'x = 1\n');
    writeFile(root, 'pyproject.toml', '[tool.mpscope]\n');
    writeFile(root, 'warn/pyproject.toml', '[tool.mpscope]\nseverity = { MP001 = "warning" }\n');
    writeFile(root, 'warn/w.py', UNGUARDED);
    writeFile(root, 'note/pyproject.toml', '[tool.mpscope]\nseverity = { MP001 = "information" }\n');
    writeFile(root, 'note/n.py', UNGUARDED);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints one workflow command per finding with its position and code', () => {
    const result = runCliBundle(['--format', 'github', 'src'], root);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, `::error file=src/bad.py,line=3,col=8,endLine=3,endColumn=18,title=MP001::${MESSAGE}\n`);
    assert.doesNotMatch(result.stderr, /Found/, 'the summary line is for the text format only');
  });

  it('uses ::warning and ::notice for lower severities', () => {
    const result = runCliBundle(['--format=github', 'warn', 'note'], root);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(
      result.stdout.trim().split('\n').map((line) => line.split(' ')[0]),
      ['::warning', '::notice'],
    );
  });

  it('escapes what the runner would otherwise misread', () => {
    assert.equal(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  });

  it('prints nothing and exits 0 when clean', () => {
    const result = runCliBundle(['--format', 'github', 'src/clean.py'], root);
    assert.deepEqual([result.status, result.stdout], [0, '']);
  });
});

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: { id: string; name: string; helpUri: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
      };
    };
    columnKind: string;
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[];
    results: {
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
    }[];
  }[];
}

describe('mpscope-lint --format sarif', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-sarif-'));
    writeFile(root, 'src/bad.py', UNGUARDED);
    writeFile(root, 'src/wide é.py', 'import multiprocessing as mp\nlabel = "é😀"; pool = mp.Pool()\n');
    writeFile(root, 'src/clean.py', 'x = 1\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Runs with --format sarif and checks the log's shape; the fields tests read are typed below. */
  function sarif(args: readonly string[], expectedStatus: number): SarifLog {
    const result = runCliBundle(['--format', 'sarif', ...args], root);
    assert.equal(result.status, expectedStatus, result.stderr);
    const log: unknown = JSON.parse(result.stdout);
    assert.deepEqual(sarifProblems(log), []);
    return log as SarifLog;
  }

  it('writes a valid SARIF 2.1.0 log with every rule and 1-based regions', () => {
    const log = sarif(['src'], 1);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'mpscope-lint');
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
    assert.equal(run.columnKind, 'unicodeCodePoints');
    assert.deepEqual(
      run.tool.driver.rules.map((rule) => rule.id),
      ALL_RULES.map((rule) => rule.meta.code),
    );
    const mp001 = run.tool.driver.rules[0];
    assert.deepEqual(
      { id: mp001.id, name: mp001.name, helpUri: mp001.helpUri, level: mp001.defaultConfiguration.level },
      { id: 'MP001', name: 'missing-main-guard', helpUri: `${RULE_DOCS_BASE_URL}MP001.md`, level: 'error' },
    );
    assert.equal(typeof mp001.shortDescription.text, 'string');
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(root).href}/`);
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    assert.deepEqual(run.results[0], {
      ruleId: 'MP001',
      ruleIndex: 0,
      level: 'error',
      message: { text: MESSAGE },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/bad.py', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 8, endLine: 3, endColumn: 18 },
          },
        },
      ],
    });
    // Columns count code points (declared by columnKind) and file names are URI-encoded.
    assert.deepEqual(run.results[1].locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/wide%20%C3%A9.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 22, endLine: 2, endColumn: 31 },
    });
  });

  it('writes an empty result list when clean, and records unreadable paths as failed execution', () => {
    const clean = sarif(['src/clean.py'], 0);
    assert.deepEqual(clean.runs[0].results, []);
    const failed = sarif(['src/clean.py', 'missing.py'], 2);
    assert.equal(failed.runs[0].invocations[0].executionSuccessful, false);
    assert.match(failed.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /cannot read 'missing.py'/);
  });

  it('points at absolute file URIs for files outside the working folder', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-sarif-outside-'));
    try {
      writeFile(outside, 'x.py', UNGUARDED);
      const log = sarif([path.join(outside, 'x.py')], 1);
      const artifact = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
      assert.equal(artifact.uri, pathToFileURL(path.join(outside, 'x.py')).href);
      assert.equal(artifact.uriBaseId, undefined);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('the shape check itself catches broken logs', () => {
    assert.deepEqual(sarifProblems({ version: '2.1.0', runs: [] }), []);
    const broken = {
      version: '2.0.0',
      runs: [
        {
          tool: { driver: { rules: [{ id: 'A', defaultConfiguration: { level: 'fatal' } }] } },
          results: [{ ruleId: 'A', ruleIndex: 3, level: 'info', locations: [{ physicalLocation: { artifactLocation: { uri: 'a b.py', uriBaseId: 'X' }, region: { startLine: 0 } } }] }],
        },
      ],
    };
    assert.deepEqual(sarifProblems(broken), [
      '$.version: must be "2.1.0"',
      '$.runs[0].tool.driver.name: must be a non-empty string',
      '$.runs[0].tool.driver.rules[0].defaultConfiguration.level: must be one of none, note, warning, error',
      '$.runs[0].results[0].message: must be an object',
      '$.runs[0].results[0].level: must be one of none, note, warning, error',
      '$.runs[0].results[0].ruleIndex: points past tool.driver.rules',
      '$.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri: must be a URI reference (no spaces or backslashes)',
      '$.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId: is not declared in originalUriBaseIds',
      '$.runs[0].results[0].locations[0].physicalLocation.region.startLine: must be an integer >= 1',
    ]);
  });
});
