// The `mpscope.lint.*` settings as the server reads them, and how they combine with the
// pyproject.toml configuration of a document.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { ConfigError } from '../../src/config';
import { DocumentConfiguration } from '../../src/lsp/documentConfiguration';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../src/lsp/settings';

describe('editor settings', () => {
  it('keeps well-formed values and drops the rest', () => {
    assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(normalizeSettings({ lint: 'yes' }), DEFAULT_SETTINGS);
    assert.deepEqual(
      normalizeSettings({
        lint: {
          enable: false,
          select: ['mp001', ' MP01 ', 3, ''],
          ignore: 'MP002',
          severity: { mp013: 'warning', MP019: 'off', MP001: 'loud', MP002: 2 },
        },
      }),
      { lint: { enable: false, select: ['MP001', 'MP01'], ignore: [], severity: { MP013: 'warning', MP019: 'off' } } },
    );
  });
});

describe('document configuration (settings over pyproject.toml)', () => {
  let root: string;
  const errors: ConfigError[] = [];
  const uri = (relative: string): string => pathToFileURL(path.join(root, relative)).href;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-document-config-'));
    fs.mkdirSync(path.join(root, 'project', 'gen'), { recursive: true });
    fs.mkdirSync(path.join(root, 'broken'));
    fs.writeFileSync(path.join(root, 'project', 'pyproject.toml'), '[tool.mpscope]\nignore = ["MP0"]\nexclude = ["gen"]\nseverity = { MP001 = "hint" }\n');
    fs.writeFileSync(path.join(root, 'broken', 'pyproject.toml'), 'not toml\n');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('applies the file, then the settings over it', () => {
    const configuration = new DocumentConfiguration((error) => errors.push(error));
    assert.deepEqual(configuration.optionsFor(uri('project/a.py'), DEFAULT_SETTINGS), {
      excluded: false,
      options: { select: [], ignore: ['MP0'], severity: { MP001: 'hint' } },
    });
    assert.equal(configuration.optionsFor(uri('project/gen/b.py'), DEFAULT_SETTINGS).excluded, true);
    const settings = normalizeSettings({ lint: { select: ['MP001'], severity: { MP001: 'error' } } });
    assert.deepEqual(configuration.optionsFor(uri('project/a.py'), settings).options, { select: ['MP001'], ignore: [], severity: { MP001: 'error' } });
  });

  it('uses only the settings for documents that are not files', () => {
    const configuration = new DocumentConfiguration((error) => errors.push(error));
    assert.deepEqual(configuration.optionsFor('untitled:Untitled-1', DEFAULT_SETTINGS), { excluded: false, options: { select: [], ignore: [], severity: {} } });
  });

  it('reports a broken pyproject.toml once, until refreshed, and falls back to the settings', () => {
    errors.length = 0;
    const configuration = new DocumentConfiguration((error) => errors.push(error));
    for (const name of ['one.py', 'two.py']) {
      assert.deepEqual(configuration.optionsFor(uri(`broken/${name}`), DEFAULT_SETTINGS).options, { select: [], ignore: [], severity: {} });
    }
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /broken[/\\]pyproject\.toml:1:5: invalid TOML/);
    configuration.rereadFiles();
    configuration.optionsFor(uri('broken/one.py'), DEFAULT_SETTINGS);
    assert.equal(errors.length, 1, 'read again, but the same problem is not shown again');
    configuration.refresh();
    configuration.optionsFor(uri('broken/one.py'), DEFAULT_SETTINGS);
    assert.equal(errors.length, 2, 'reported again after the client said the file changed');
  });
});
