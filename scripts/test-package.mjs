// `npm run package` must produce a .vsix that holds what the installed extension needs and
// nothing else, and that installs into a real VS Code (code-server --install-extension) and
// activates there. The activation check runs the package-probe fixture's tests next to the
// installed copy (client/test/fixtures/package-probe/).
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from './lib/build.mjs';
import { installExtension } from './lib/code-server.mjs';
import { runExtensionTests } from './lib/extension-tests.mjs';
import { makeLogger } from './lib/log.mjs';
import { fromRoot, repoRoot } from './lib/paths.mjs';
import { runCommand } from './lib/run-command.mjs';
import { readZipEntry, zipEntries } from './lib/zip-entries.mjs';

const log = makeLogger('package');
const vsix = fromRoot('dist', 'mpscope.vsix');
const probeTests = 'out/client/test/fixtures/package-probe/probeTests.js';
const probeExtension = fromRoot('client', 'test', 'fixtures', 'package-probe');

/** Paths (inside the package's extension/ folder) that must be there. */
const required = [
  'package.json',
  'dist/client.js',
  'dist/server.js',
  'dist/cli.js',
  'runtime/bootstrap/sitecustomize.py',
  'runtime/mpscope/__init__.py',
  'runtime/mpscope/events.schema.json',
  'media/timeline.js',
  'media/timeline.css',
  'media/icon.png',
];
/** vsce renames these (readme.md, changelog.md, LICENSE.txt), so they are matched by pattern. */
const requiredDocuments = [
  [/^readme\.md$/i, 'README.md'],
  [/^changelog\.md$/i, 'CHANGELOG.md'],
  [/^license(\.txt|\.md)?$/i, 'LICENSE'],
];

/** What must never ship: tests, sources, build leftovers, dependencies the bundles include. */
const forbidden = [
  [/^runtime\/tests\//, 'runtime tests'],
  [/^client\/test\/|^server\/test\//, 'extension or server tests'],
  [/^(client|server)\/src\//, 'TypeScript sources'],
  [/(?<!\.d)\.ts$/, 'TypeScript sources'],
  [/^out\//, 'tsc output (out/)'],
  [/(^|\/)node_modules\//, 'node_modules (the bundles include their dependencies)'],
  [/^\.cache\//, '.cache/'],
  [/^test-results\//, 'test results'],
  [/^scripts\//, 'build scripts'],
  [/^\.ci\//, 'CI scripts'],
  [/\.map$/, 'source maps'],
  [/(^|\/)__pycache__\/|\.pyc$/, 'compiled Python'],
  [/\.vsix$/, 'a nested .vsix'],
  [/^(tsconfig\.json|esbuild\.mjs|package-lock\.json)$/, 'build configuration'],
];

/** Files the extension reads at run time beside its bundles, as they are in the working tree. */
function shippedAssets() {
  const list = (folder, pattern) => {
    const full = fromRoot(folder);
    if (!fs.existsSync(full)) return [];
    return fs.readdirSync(full, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && pattern.test(entry.name))
      .map((entry) => path.relative(repoRoot, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'));
  };
  return [...list('docs/rules', /\.md$/), ...list('media', /^(?!.*\.map$)/)];
}

function checkContents(names) {
  const problems = [];
  for (const file of [...required, ...shippedAssets()]) {
    if (!names.includes(file)) problems.push(`missing: ${file}`);
  }
  for (const [pattern, file] of requiredDocuments) {
    if (!names.some((name) => pattern.test(name))) problems.push(`missing: ${file}`);
  }
  const runtimeModules = names.filter((name) => /^runtime\/mpscope\/.+\.py$/.test(name));
  if (runtimeModules.length < 2) problems.push(`the runtime package looks incomplete: ${runtimeModules.join(', ') || 'no .py files'}`);
  for (const name of names) {
    for (const [pattern, what] of forbidden) {
      if (pattern.test(name)) problems.push(`must not ship ${what}: ${name}`);
    }
  }
  return problems;
}

/**
 * The Marketplace shows the packaged README, whose images must be https URLs (vsce refuses
 * anything else). vsce rewrites the README's relative image paths to the repository's raw files
 * (`https://github.com/OWNER/REPO/raw/HEAD/<path>`): each such path must be a file of this
 * repository, or the picture is broken once the package is published.
 */
function readmeImageProblems(entries) {
  const readme = entries.find((entry) => /^readme\.md$/i.test(entry.name));
  if (!readme) return [];
  const text = readZipEntry(vsix, `extension/${readme.name}`).toString('utf8');
  const manifest = JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8'));
  const repository = /github\.com[/:]([^/]+\/[^/]+?)(\.git)?$/.exec(manifest.repository?.url ?? '');
  const rawPrefix = repository ? `https://github.com/${repository[1]}/raw/HEAD/` : undefined;
  const images = [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]+src=["']([^"']+)["']/g)].map((match) => match[1] ?? match[2]);
  const problems = [];
  for (const image of images) {
    if (!image.startsWith('https://')) {
      problems.push(`the packaged README shows ${image}: the Marketplace needs https images`);
    } else if (rawPrefix && image.startsWith(rawPrefix)) {
      const file = decodeURI(image.slice(rawPrefix.length));
      if (!fs.existsSync(fromRoot(file))) problems.push(`the packaged README shows ${image}, but ${file} is not in this repository`);
    }
  }
  return problems;
}

/** Every require() of a package in the bundles must be a Node built-in or `vscode`. */
function unbundledRequires() {
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const problems = [];
  for (const bundle of ['dist/client.js', 'dist/server.js', 'dist/cli.js']) {
    const text = fs.readFileSync(fromRoot(bundle), 'utf8');
    for (const match of text.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
      const name = match[1];
      if (name !== 'vscode' && !builtins.has(name) && !builtins.has(name.split('/')[0])) problems.push(`${bundle} requires "${name}" at run time, which is not shipped`);
    }
  }
  return [...new Set(problems)];
}

async function main() {
  await ensureBuilt(['dist/client.js', 'dist/server.js', 'dist/cli.js', probeTests], log);
  fs.rmSync(vsix, { force: true });
  log.info('npm run package');
  const packaged = await runCommand('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (packaged.code !== 0 || !fs.existsSync(vsix)) throw new Error(`npm run package failed (exit ${packaged.code})`);

  const entries = zipEntries(vsix)
    .filter((entry) => entry.name.startsWith('extension/'))
    .map((entry) => ({ ...entry, name: entry.name.slice('extension/'.length) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  log.info(`${path.relative(repoRoot, vsix)}: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB, ${entries.length} files`);
  for (const entry of entries) console.log(`  ${String(entry.size).padStart(9)}  ${entry.name}`);
  const problems = [...checkContents(entries.map((entry) => entry.name)), ...unbundledRequires(), ...readmeImageProblems(entries)];
  if (problems.length > 0) {
    log.error(`the package is wrong:\n  - ${problems.join('\n  - ')}`);
    return 1;
  }
  log.info('contents: ok');

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-package-'));
  try {
    const extensionsDir = path.join(scratch, 'extensions');
    await installExtension({ vsix, userDataDir: path.join(scratch, 'install-user-data'), extensionsDir });
    log.info(`installed into a fresh extensions folder: ${fs.readdirSync(extensionsDir).filter((name) => !name.endsWith('.json')).join(', ')}`);
    const workspace = path.join(scratch, 'workspace');
    fs.cpSync(fromRoot('samples'), workspace, { recursive: true });
    return await runExtensionTests({
      label: 'package',
      folder: workspace,
      extensionDevelopmentPath: probeExtension,
      extensionTestsPath: fromRoot(probeTests),
      extensionsDir,
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
