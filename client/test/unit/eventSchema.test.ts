// The runtime's events.schema.json through the client's validator: a valid and several invalid
// examples of every kind, and the TypeScript types kept in step with the schema.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainEvent, isValidEvent, schemaEventKinds } from '../../src/protocol/eventSchema';
import { EVENT_KINDS } from '../../src/protocol/events';
import * as make from './helpers/events';

/** Every field of every kind filled in, typed by the client's event types. */
const fullExamples = {
  'hello': make.hello(200, 100, 'process', {
    start_method: 'spawn',
    name: 'Process-1',
    executable: '/usr/bin/python3',
    argv: ['-c', 'from multiprocessing.spawn import spawn_main'],
    cwd: '/work',
    platform: 'linux',
    seq: 0,
  }),
  'process.created': make.created(100, '100-1', {
    daemon: false,
    target: 'work.compute',
    class: 'Process',
    site: { file: '/work/main.py', line: 12, function: '<module>' },
    start_method: 'forkserver',
    role: 'process',
    args: '(1, 2)',
  }),
  'process.started': make.started(100, '100-1', 200),
  'process.joined': make.joined(100, 200, { timeout: 1.5, alive: true }),
  'process.signalled': make.signalled(100, 200, 'terminate'),
  'process.closed': make.closed(100, 200),
  'process.exited': { ...make.exitedBy('parent', 100, 200, -9, 'SIGKILL'), exception: make.valueError },
  'runtime.error': make.runtimeError(100),
} as const;

/** Broken variants per kind, each with what makes it invalid. */
const invalidExamples: Record<string, Array<[string, unknown]>> = {
  'hello': [
    ['no token', omit(fullExamples.hello, 'token')],
    ['a short token', { ...fullExamples.hello, token: 'short' }],
    ['an unknown role', { ...fullExamples.hello, role: 'daemon' }],
    ['too many argv items', { ...fullExamples.hello, argv: new Array(257).fill('x') }],
    ['a non-string argv item', { ...fullExamples.hello, argv: [1] }],
  ],
  'process.created': [
    ['no proc', omit(fullExamples['process.created'], 'proc')],
    ['an unknown start method', { ...fullExamples['process.created'], start_method: 'thread' }],
    ['a site at line 0', { ...fullExamples['process.created'], site: { file: 'a.py', line: 0 } }],
    ['a site without a file', { ...fullExamples['process.created'], site: { line: 3 } }],
  ],
  'process.started': [
    ['child_pid 0', { ...fullExamples['process.started'], child_pid: 0 }],
    ['a string child_pid', { ...fullExamples['process.started'], child_pid: '200' }],
  ],
  'process.joined': [
    ['no waited', omit(fullExamples['process.joined'], 'waited')],
    ['a negative wait', { ...fullExamples['process.joined'], waited: -1 }],
    ['a string timeout', { ...fullExamples['process.joined'], timeout: '1' }],
  ],
  'process.signalled': [['an unknown method', { ...fullExamples['process.signalled'], method: 'interrupt' }]],
  'process.closed': [['no child_pid', omit(fullExamples['process.closed'], 'child_pid')]],
  'process.exited': [
    ['an unknown reporter', { ...fullExamples['process.exited'], reporter: 'os' }],
    ['a fractional exit code', { ...fullExamples['process.exited'], exitcode: 1.5 }],
    ['no exitcode at all', omit(fullExamples['process.exited'], 'exitcode')],
    ['an exception without a message', { ...fullExamples['process.exited'], exception: { type: 'ValueError' } }],
    ['a huge exception message', { ...fullExamples['process.exited'], exception: { type: 'E', message: 'x'.repeat(8193) } }],
  ],
  'runtime.error': [['no where', omit(fullExamples['runtime.error'], 'where')]],
};

function omit(value: object, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  delete copy[key];
  return copy;
}

describe('event schema', () => {
  it('lists the same kinds as the TypeScript types, in the same order', () => {
    assert.deepEqual(schemaEventKinds(), [...EVENT_KINDS]);
    assert.deepEqual(Object.keys(fullExamples), [...EVENT_KINDS]);
  });

  for (const kind of EVENT_KINDS) {
    describe(kind, () => {
      const full = fullExamples[kind];
      it('accepts an example with every field', () => {
        assert.deepEqual(explainEvent(full).errors, []);
        assert.equal(isValidEvent(full), true);
      });

      it('accepts an example with only the required fields', () => {
        const minimal = requiredOnly(kind, full);
        assert.deepEqual(explainEvent(minimal).errors, []);
      });

      for (const [what, broken] of invalidExamples[kind] ?? []) {
        it(`rejects ${what}`, () => {
          assert.equal(isValidEvent(broken), false);
          assert.notEqual(explainEvent(broken).errors.length, 0);
        });
      }

      it('rejects a wrong protocol version, a missing pid, a negative pid and a string time', () => {
        assert.equal(isValidEvent({ ...full, v: 2 }), false);
        assert.equal(isValidEvent(omit(full, 'pid')), false);
        assert.equal(isValidEvent({ ...full, pid: -1 }), false);
        assert.equal(isValidEvent({ ...full, t: 'now' }), false);
      });
    });
  }

  it('rejects unknown kinds and values that are not objects', () => {
    assert.equal(isValidEvent({ v: 1, kind: 'process.teleported', t: 1, pid: 1 }), false);
    for (const value of [null, 42, 'hello', [], true]) {
      assert.equal(isValidEvent(value), false);
    }
  });

  it('explains an invalid event by the fields of its kind', () => {
    const errors = explainEvent({ ...fullExamples['process.exited'], exitcode: 'nine' }).errors;
    assert.ok(errors.some((error) => error.startsWith('/exitcode')), errors.join('; '));
  });
});

/** The example reduced to the envelope and the fields the kind's schema requires. */
function requiredOnly(kind: string, full: object): Record<string, unknown> {
  const required: Record<string, readonly string[]> = {
    'hello': ['token', 'ppid', 'role', 'python', 'runtime'],
    'process.created': ['proc', 'name', 'start_method', 'role'],
    'process.started': ['proc', 'child_pid'],
    'process.joined': ['child_pid', 'waited'],
    'process.signalled': ['child_pid', 'method', 'signal'],
    'process.closed': ['child_pid'],
    'process.exited': ['reporter', 'exitcode'],
    'runtime.error': ['where', 'message'],
  };
  const source = full as Record<string, unknown>;
  const minimal: Record<string, unknown> = { v: 1, kind, t: source.t, pid: source.pid };
  for (const key of required[kind] ?? []) {
    minimal[key] = source[key];
  }
  return minimal;
}
