// Where the collector's private directory goes: tmpfs on Linux (cheap dump files for every new
// process), the temp directory elsewhere or when the user chose one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultPrivateParent, prepareListenTarget } from '../../src/session/transport';

function scratchDir(mode: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-parent-'));
  fs.chmodSync(dir, mode);
  return dir;
}

describe('private directory parent', () => {
  it('a sticky, writable directory on Linux is preferred', () => {
    const sticky = scratchDir(0o1777);
    try {
      assert.equal(defaultPrivateParent('linux', {}, sticky), sticky);
    } finally {
      fs.rmSync(sticky, { recursive: true, force: true });
    }
  });

  it('the temp directory otherwise', () => {
    const plain = scratchDir(0o700);
    try {
      assert.equal(defaultPrivateParent('linux', {}, plain), os.tmpdir(), 'not sticky: somebody could replace what we make');
      assert.equal(defaultPrivateParent('linux', {}, path.join(plain, 'missing')), os.tmpdir());
      assert.equal(defaultPrivateParent('linux', { TMPDIR: '/somewhere' }, '/dev/shm'), os.tmpdir(), "the user's choice");
      assert.equal(defaultPrivateParent('darwin', {}, '/dev/shm'), os.tmpdir());
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it('the directory made there is private (0700) and holds the socket', { skip: process.platform === 'win32' }, async () => {
    const sticky = scratchDir(0o1777);
    try {
      const target = await prepareListenTarget('unix', sticky);
      const dir = target.privateDir ?? assert.fail('no private directory');
      assert.ok(dir.startsWith(sticky + path.sep));
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      assert.equal(path.dirname(target.socketPath ?? ''), dir);
    } finally {
      fs.rmSync(sticky, { recursive: true, force: true });
    }
  });
});
