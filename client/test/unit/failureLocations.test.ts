// From an exception to the places in the user's code that get a runtime error diagnostic.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  failureLocations,
  findDefLine,
  groupLocations,
  functionName,
  isLibraryPath,
  parseTraceback,
  RuntimeFailure,
  SourceAccess,
} from '../../src/runtimeErrors/failureLocations';

const STDLIB = '/root/.pyenv/versions/3.11.7/lib/python3.11';

// The traceback crashing_child.py produces (Python 3.11), as the runtime sends it.
const crashTraceback = [
  'Traceback (most recent call last):',
  `  File "${STDLIB}/multiprocessing/process.py", line 314, in _bootstrap`,
  '    self.run()',
  `  File "${STDLIB}/multiprocessing/process.py", line 108, in run`,
  '    self._target(*self._args, **self._kwargs)',
  '  File "/w/crashing_child.py", line 8, in fail',
  '    raise ValueError("boom")',
  'ValueError: boom',
  '',
].join('\n');

const crashingChild = [
  '"""A child whose target raises."""',
  '',
  'import multiprocessing',
  'import sys',
  '',
  '',
  'def fail():',
  '    raise ValueError("boom")',
  '',
].join('\n');

function sourceOf(files: Record<string, string>, workspace = '/w'): SourceAccess {
  return {
    resolve: (file, cwd) => (path.posix.isAbsolute(file) ? file : cwd ? path.posix.resolve(cwd, file) : undefined),
    isUserFile: (file) => file.startsWith(`${workspace}/`) && !isLibraryPath(file),
    readLines: (file) => files[file]?.split('\n'),
  };
}

const failure: RuntimeFailure = {
  exception: { type: 'ValueError', message: 'boom', traceback: crashTraceback, site: { file: '/w/crashing_child.py', line: 8, function: 'fail' } },
  target: '__main__.fail',
  processName: 'ForkProcess-1',
  pid: 4242,
  cwd: '/w',
};

describe('parseTraceback', () => {
  it('reads every frame, outermost first', () => {
    assert.deepEqual(parseTraceback(crashTraceback), [
      { file: `${STDLIB}/multiprocessing/process.py`, line: 314, function: '_bootstrap' },
      { file: `${STDLIB}/multiprocessing/process.py`, line: 108, function: 'run' },
      { file: '/w/crashing_child.py', line: 8, function: 'fail' },
    ]);
  });

  it('keeps the last traceback of a chain, and ignores 3.11+ position markers', () => {
    const chained = [
      'Traceback (most recent call last):',
      '  File "/w/a.py", line 3, in parse',
      '    int(text)',
      'ValueError: invalid literal',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/w/a.py", line 9, in work',
      '    return parse(x) + 1',
      '           ~~~~~^^^',
      '  File "/w/a.py", line 5, in parse',
      '    raise RuntimeError("bad")',
      'RuntimeError: bad',
    ].join('\r\n');
    assert.deepEqual(parseTraceback(chained), [
      { file: '/w/a.py', line: 9, function: 'work' },
      { file: '/w/a.py', line: 5, function: 'parse' },
    ]);
    assert.deepEqual(parseTraceback(''), []);
  });
});

describe('failureLocations', () => {
  it('marks the raising line and the target\'s def, naming the exception and the process', () => {
    const locations = failureLocations(failure, sourceOf({ '/w/crashing_child.py': crashingChild }));
    const raise = { file: '/w/crashing_child.py', line: 8, startColumn: 4, endColumn: 28 };
    const def = { file: '/w/crashing_child.py', line: 7, startColumn: 0, endColumn: 11 };
    assert.deepEqual(locations, [
      { ...raise, kind: 'raise', message: 'ValueError: boom — raised in ForkProcess-1 (pid 4242)', partner: def },
      { ...def, kind: 'def', message: 'ForkProcess-1 (pid 4242) failed in fail(): ValueError: boom', partner: raise },
    ]);
  });

  it('takes the innermost frame in a user file, not a library frame below it, and the def enclosing the target\'s frame', () => {
    const main = ['def helper(x):', '    return json.loads(x)', '', 'def work(item):', '    if item:', '        return helper(item)', '', 'def work(other):', '    pass'].join('\n');
    const traceback = [
      'Traceback (most recent call last):',
      `  File "${STDLIB}/multiprocessing/pool.py", line 125, in worker`,
      '  File "main.py", line 6, in work',
      '  File "main.py", line 2, in helper',
      `  File "${STDLIB}/json/__init__.py", line 346, in loads`,
      `  File "/w/.venv/lib/python3.11/site-packages/x/y.py", line 3, in decode`,
      'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
    ].join('\n');
    const task: RuntimeFailure = {
      exception: { type: 'json.decoder.JSONDecodeError', message: 'Expecting value: line 1 column 1 (char 0)\nmore', traceback },
      target: 'work',
      processName: 'ForkPoolWorker-2',
      pid: 77,
      cwd: '/w',
      task: 'task of map',
    };
    const locations = failureLocations(task, sourceOf({ '/w/main.py': main }));
    assert.deepEqual(locations.map((l) => [l.file, l.line, l.kind]), [['/w/main.py', 2, 'raise'], ['/w/main.py', 4, 'def']]);
    assert.equal(locations[0].message, 'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0) — raised by a task of map in ForkPoolWorker-2 (pid 77)');
    assert.equal(locations[1].message, 'ForkPoolWorker-2 (pid 77) ran a task of map that failed in work(): json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)');
  });

  it('falls back to the exception\'s site without a traceback, and marks nothing outside the user\'s files', () => {
    const noTraceback = { ...failure, exception: { type: 'KeyError', message: "'x'", site: { file: 'crashing_child.py', line: 8 } } };
    assert.deepEqual(failureLocations(noTraceback, sourceOf({ '/w/crashing_child.py': crashingChild })).map((l) => [l.line, l.kind]), [[8, 'raise'], [7, 'def']]);
    assert.deepEqual(failureLocations(failure, sourceOf({}, '/elsewhere')), []);
  });

  it('still marks the raising line when the file cannot be read, without a def', () => {
    assert.deepEqual(failureLocations(failure, sourceOf({})), [
      { file: '/w/crashing_child.py', line: 8, startColumn: 0, endColumn: 0, kind: 'raise', message: 'ValueError: boom — raised in ForkProcess-1 (pid 4242)' },
    ]);
  });

  it('marks a subclass\'s run() and skips a lambda target', () => {
    const text = ['class Worker(Process):', '    def run(self):', '        raise OSError("disk")'].join('\n');
    const traceback = ['Traceback (most recent call last):', `  File "${STDLIB}/multiprocessing/process.py", line 314, in _bootstrap`, '  File "/w/w.py", line 3, in run', 'OSError: disk'].join('\n');
    const subclass: RuntimeFailure = { ...failure, target: '__main__.Worker.run', exception: { type: 'OSError', message: 'disk', traceback } };
    assert.deepEqual(failureLocations(subclass, sourceOf({ '/w/w.py': text })).map((l) => [l.line, l.kind]), [[3, 'raise'], [2, 'def']]);
    assert.deepEqual(failureLocations({ ...subclass, target: 'main.<locals>.<lambda>' }, sourceOf({ '/w/w.py': text })).map((l) => l.kind), ['raise']);
  });
});

describe('helpers', () => {
  it('names the function of a qualified name', () => {
    assert.equal(functionName('__main__.fail'), 'fail');
    assert.equal(functionName('outer.<locals>.inner'), 'inner');
    assert.equal(functionName('<lambda>'), null);
    assert.equal(functionName(null), null);
  });

  it('finds the def enclosing a line, async defs and generic functions included', () => {
    const lines = ['def a():', '    pass', 'async def b(x):', '    await x', 'def c[T](v: T):', '    return v', 'def a():', '    return 2'];
    assert.equal(findDefLine(lines, 'b', 4), 3);
    assert.equal(findDefLine(lines, 'c', 6), 5);
    assert.equal(findDefLine(lines, 'a', 8), 7);
    assert.equal(findDefLine(lines, 'a'), 1);
    assert.equal(findDefLine(lines, 'zzz', 8), undefined);
  });

  it('tells library paths from the user\'s', () => {
    assert.equal(isLibraryPath(`${STDLIB}/multiprocessing/process.py`), true);
    assert.equal(isLibraryPath('/w/.venv/lib/python3.12/site-packages/numpy/core.py'), true);
    assert.equal(isLibraryPath('/usr/lib/python3/dist-packages/debugpy/server.py'), true);
    assert.equal(isLibraryPath('C:\\Python312\\Lib\\multiprocessing\\process.py'), true);
    assert.equal(isLibraryPath('/w/src/lib/python_tools/x.py'), false);
    assert.equal(isLibraryPath('/w/crashing_child.py'), false);
  });
});

describe('groupLocations', () => {
  it('folds failures at the same place into one entry that counts them', () => {
    const at = (line: number, kind: 'raise' | 'def', message: string) => ({ file: '/w/a.py', line, startColumn: 0, endColumn: 1, kind, message });
    const grouped = groupLocations([at(5, 'raise', 'first'), at(2, 'def', 'def'), at(5, 'raise', 'second'), at(5, 'raise', 'third'), at(2, 'def', 'def'), at(9, 'raise', 'alone')]);
    assert.deepEqual(grouped.map((l) => [l.line, l.kind, l.message]), [
      [5, 'raise', 'first (and 2 more failures here)'],
      [2, 'def', 'def (and 1 more failure here)'],
      [9, 'raise', 'alone'],
    ]);
  });
});
