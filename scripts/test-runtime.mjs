#!/usr/bin/env node
// Runs the Python runtime's unittest suites on every CPython >= 3.8 found on this machine.
//
//   node scripts/test-runtime.mjs [--list] [PYTHON...]
//
// Without arguments, interpreters are found in pyenv ($PYENV_ROOT/versions or
// ~/.pyenv/versions), as python3 / python3.X on PATH, and as /usr/bin/python3*;
// each is asked for its implementation, version and real executable, and
// duplicates (same real path, or same exact version) are run once. At most two
// interpreters run at a time (the suites start many processes themselves).
// Exits non-zero if any suite failed or if no interpreter was found.

import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIN_VERSION = [3, 8];
const PARALLEL = 2;
const SUITE_TIMEOUT_MS = 20 * 60 * 1000;
const PROBE = 'import sys; print(sys.implementation.name); print(sys.version.split()[0]); print(sys.executable)';

function isExecutableFile(path) {
  try {
    const stat = statSync(path);
    return stat.isFile() && (stat.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

function candidates() {
  const found = [];
  const pyenvRoot = process.env.PYENV_ROOT || join(homedir(), '.pyenv');
  const versions = join(pyenvRoot, 'versions');
  if (existsSync(versions)) {
    for (const name of readdirSync(versions).sort()) {
      for (const exe of ['python3', 'python']) {
        const path = join(versions, name, 'bin', exe);
        if (isExecutableFile(path)) {
          found.push(path);
          break;
        }
      }
    }
  }
  const namePattern = /^python3(\.\d+)?$/;
  const dirs = (process.env.PATH || '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/bin']) {
    if (dir.includes(`${join('.pyenv', 'shims')}`)) continue; // shims re-dispatch to the pyenv versions above
    let names;
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const path = join(dir, name);
      if (namePattern.test(name) && isExecutableFile(path)) found.push(path);
    }
  }
  return found;
}

function probe(path) {
  return new Promise((done) => {
    execFile(path, ['-c', PROBE], { timeout: 15000, env: cleanEnv() }, (error, stdout) => {
      if (error) return done(null);
      const [implementation, version, executable] = stdout.trim().split('\n');
      if (implementation !== 'cpython' || !version || !executable) return done(null);
      const parts = version.split('.').map((n) => parseInt(n, 10));
      if (parts[0] < MIN_VERSION[0] || (parts[0] === MIN_VERSION[0] && parts[1] < MIN_VERSION[1])) return done(null);
      let real;
      try {
        real = realpathSync(executable);
      } catch {
        real = executable;
      }
      done({ path: executable, real, version, parts });
    });
  });
}

function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === 'PYTHONPATH' || key === 'PYTHONHOME' || key.startsWith('MPSCOPE_')) delete env[key];
  }
  return env;
}

async function discover(explicit) {
  const paths = explicit.length > 0 ? explicit : candidates();
  const probed = await Promise.all(paths.map(probe));
  const seenReal = new Set();
  const seenVersion = new Set();
  const pythons = [];
  for (const python of probed) {
    if (!python || seenReal.has(python.real) || seenVersion.has(python.version)) continue;
    seenReal.add(python.real);
    seenVersion.add(python.version);
    pythons.push(python);
  }
  pythons.sort((a, b) => a.parts[0] - b.parts[0] || a.parts[1] - b.parts[1] || a.parts[2] - b.parts[2]);
  return pythons;
}

function summarize(output) {
  const ran = /^Ran (\d+) tests? in ([\d.]+)s$/m.exec(output);
  const tail = /^(OK|FAILED)(?: \(([^)]*)\))?\s*$/m.exec(output.split(/^-{20,}$/m).pop() || '');
  const counts = { failures: 0, errors: 0, skipped: 0 };
  if (tail && tail[2]) {
    for (const item of tail[2].split(',')) {
      const [key, value] = item.trim().split('=');
      if (key in counts) counts[key] = parseInt(value, 10);
    }
  }
  const tests = ran ? parseInt(ran[1], 10) : 0;
  const failed = counts.failures + counts.errors;
  return { tests, failed, skipped: counts.skipped, ok: Boolean(tail && tail[1] === 'OK' && ran) };
}

function runSuite(python) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(python.path, ['-m', 'unittest', 'discover', '-s', 'runtime/tests', '-t', 'runtime'], {
      cwd: REPO,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[test-runtime] timed out after ${SUITE_TIMEOUT_MS / 1000}s\n`;
      child.kill('SIGKILL');
    }, SUITE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      const summary = summarize(output);
      const ok = code === 0 && summary.ok;
      done({ python, ok, code, signal, seconds, output, ...summary });
    });
  });
}

async function runAll(pythons) {
  const results = new Array(pythons.length);
  let next = 0;
  async function worker() {
    while (next < pythons.length) {
      const index = next++;
      const python = pythons[index];
      const result = await runSuite(python);
      results[index] = result;
      const status = result.ok ? 'ok' : 'FAILED';
      console.log(`[test-runtime] ${python.version} ${status} (${result.tests} tests, ${result.seconds.toFixed(1)}s)`);
      if (!result.ok) process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, pythons.length) }, worker));
  return results;
}

function table(results) {
  const rows = [['python', 'executable', 'result', 'tests', 'failed', 'skipped', 'time']];
  for (const r of results) {
    rows.push([
      r.python.version,
      r.python.path,
      r.ok ? 'ok' : 'FAILED',
      String(r.tests),
      String(r.failed),
      String(r.skipped),
      `${r.seconds.toFixed(1)}s`,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const args = process.argv.slice(2);
const listOnly = args.includes('--list');
const pythons = await discover(args.filter((arg) => arg !== '--list'));
if (pythons.length === 0) {
  console.error('[test-runtime] no CPython >= 3.8 found (looked in pyenv, PATH and /usr/bin)');
  process.exit(1);
}
if (listOnly) {
  for (const python of pythons) console.log(`${python.version}\t${python.path}`);
  process.exit(0);
}
console.log(`[test-runtime] ${pythons.length} interpreter(s): ${pythons.map((p) => p.version).join(', ')}`);
const results = await runAll(pythons);
console.log('');
console.log(table(results));
const passed = results.reduce((n, r) => n + (r.tests - r.failed - r.skipped), 0);
const failed = results.reduce((n, r) => n + r.failed + (r.ok || r.failed ? 0 : 1), 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
console.log(`runtime: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
