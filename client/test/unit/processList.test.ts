// Reading the OS process list: `ps` (Linux, macOS) and PowerShell (Windows) output, and the walk
// that finds a session's descendants in it whatever order the OS listed them in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { commandName, descendantsOf, isZombieStat } from '../../src/model/osSnapshot';
import { parseElapsed, parsePsOutput, parseWindowsProcessList, PS_ARGUMENTS } from '../../src/os/processList';

describe('parsePsOutput', () => {
  it('reads procps output (right-aligned pids, STAT flags, elapsed times, names with spaces)', () => {
    const text = [
      '    1     0 SLl  2-03:04:05 process_api',
      '    2     0 S      01:00:00 kthreadd',
      ' 4242  4100 S+        00:10 python3',
      ' 4243  4242 Z         00:01 sleep',
      ' 4244  4242 R+        00:00 Web Content',
      '',
    ].join('\n');
    assert.deepEqual(parsePsOutput(text, 1_000_000), [
      { pid: 1, ppid: 0, stat: 'SLl', command: 'process_api', startedAt: 1_000_000 - (2 * 86_400 + 3 * 3600 + 4 * 60 + 5) },
      { pid: 2, ppid: 0, stat: 'S', command: 'kthreadd', startedAt: 1_000_000 - 3600 },
      { pid: 4242, ppid: 4100, stat: 'S+', command: 'python3', startedAt: 999_990 },
      { pid: 4243, ppid: 4242, stat: 'Z', command: 'sleep', startedAt: 999_999 },
      { pid: 4244, ppid: 4242, stat: 'R+', command: 'Web Content', startedAt: 1_000_000 },
    ]);
  });

  it('reads macOS output (full paths) and skips what is not a process line', () => {
    const text = '  PID  PPID STAT ELAPSED COMM\n  501     1 Ss   12:00 /usr/libexec/logd\n  777   501 Z    00:03 <defunct>\ngarbage line\n  778   501 S    00:02\n  779   501 S    /bin/sh\n';
    assert.deepEqual(parsePsOutput(text, 100), [
      { pid: 501, ppid: 1, stat: 'Ss', command: '/usr/libexec/logd', startedAt: -620 },
      { pid: 777, ppid: 501, stat: 'Z', command: '<defunct>', startedAt: 97 },
      { pid: 778, ppid: 501, stat: 'S', command: '', startedAt: 98 },
    ]);
  });

  it('reads elapsed times in every ps format', () => {
    assert.equal(parseElapsed('00:07'), 7);
    assert.equal(parseElapsed('59:59'), 3599);
    assert.equal(parseElapsed('01:02:03'), 3723);
    assert.equal(parseElapsed('3-00:00:01'), 259_201);
    assert.equal(parseElapsed('7'), undefined);
    assert.equal(parseElapsed('-'), undefined);
  });

  it('parses what this machine\'s ps prints, and finds this very process in it', { skip: process.platform === 'win32' }, () => {
    const now = Date.now() / 1000;
    const listed = parsePsOutput(execFileSync('ps', [...PS_ARGUMENTS], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }), now);
    const self = listed.find((entry) => entry.pid === process.pid);
    assert.ok(self, `pid ${process.pid} not in ${listed.length} parsed lines`);
    assert.equal(self.ppid, process.ppid);
    assert.match(self.command, /node/);
    const started = now - process.uptime();
    assert.ok(self.startedAt !== undefined && Math.abs(self.startedAt - started) <= 3, `started ${self.startedAt}, expected about ${started}`);
  });
});

describe('parseWindowsProcessList', () => {
  it('reads the PowerShell lines (BOM, CRLF, tabs, unknown start times) and skips the rest', () => {
    const text = '\uFEFF0\t0\t\tSystem Idle Process\r\n4\t0\t\tSystem\r\n9120\t8004\t1764230000\tpython.exe\r\n9200\t9120\t1764230001\tcmd.exe\r\n\r\nWARNING: something\r\n';
    assert.deepEqual(parseWindowsProcessList(text), [
      { pid: 0, ppid: 0, stat: '', command: 'System Idle Process' },
      { pid: 4, ppid: 0, stat: '', command: 'System' },
      { pid: 9120, ppid: 8004, stat: '', command: 'python.exe', startedAt: 1764230000 },
      { pid: 9200, ppid: 9120, stat: '', command: 'cmd.exe', startedAt: 1764230001 },
    ]);
  });
});

describe('descendantsOf', () => {
  const entry = (pid: number, ppid: number, stat = 'S'): { pid: number; ppid: number; stat: string; command: string } =>
    ({ pid, ppid, stat, command: `p${pid}` });

  it('finds descendants listed before their parents (where ps-tree\'s single pass misses them)', () => {
    // 30 (a grandchild with a wrapped-around pid) comes before its parent 500.
    const list = [entry(0, 0), entry(1, 0), entry(30, 500), entry(400, 1), entry(500, 400), entry(501, 400), entry(600, 1)];
    assert.deepEqual(descendantsOf(list, [400]).map((p) => p.pid), [500, 501, 30]);
  });

  it('returns each process once, never the roots, and survives a self-parented pid 0', () => {
    const list = [entry(0, 0), entry(10, 0), entry(11, 10), entry(12, 11)];
    assert.deepEqual(descendantsOf(list, [10, 11]).map((p) => p.pid), [12]);
    assert.deepEqual(descendantsOf(list, [0]).map((p) => p.pid), [10, 11, 12]);
    assert.deepEqual(descendantsOf(list, [99]), []);
  });
});

describe('small helpers', () => {
  it('knows a zombie by its STAT', () => {
    assert.equal(isZombieStat('Z'), true);
    assert.equal(isZombieStat('Z+'), true);
    assert.equal(isZombieStat('S'), false);
    assert.equal(isZombieStat(''), false);
  });

  it('names a command by its last path segment', () => {
    assert.equal(commandName('/usr/bin/python3'), 'python3');
    assert.equal(commandName('C:\\Python312\\python.exe'), 'python.exe');
    assert.equal(commandName('sleep'), 'sleep');
    assert.equal(commandName(''), '');
  });
});
