// The validator's keywords one by one, on small schemas written for the test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchema, jsonEqual } from '../../src/protocol/jsonSchema';

function check(schema: unknown, value: unknown): boolean {
  const validator = compileSchema(schema);
  const fast = validator.isValid(value);
  const full = validator.validate(value);
  // Both modes must always agree, and a failure must always come with a reason.
  assert.equal(full.valid, fast, `fast and full validation disagree on ${JSON.stringify(value)}`);
  assert.equal(full.errors.length > 0, !fast);
  return fast;
}

describe('compileSchema', () => {
  it('checks type, including lists of types and integer versus number', () => {
    assert.equal(check({ type: 'integer' }, 3), true);
    assert.equal(check({ type: 'integer' }, 3.5), false);
    assert.equal(check({ type: 'number' }, 3.5), true);
    assert.equal(check({ type: 'number' }, '3'), false);
    assert.equal(check({ type: ['integer', 'null'] }, null), true);
    assert.equal(check({ type: ['integer', 'null'] }, 'x'), false);
    assert.equal(check({ type: 'object' }, []), false);
    assert.equal(check({ type: 'object' }, null), false);
    assert.equal(check({ type: 'array' }, []), true);
    assert.equal(check({ type: 'boolean' }, 0), false);
    assert.equal(check({ type: 'string' }, ''), true);
  });

  it('checks const and enum by JSON equality', () => {
    assert.equal(check({ const: 1 }, 1), true);
    assert.equal(check({ const: 1 }, '1'), false);
    assert.equal(check({ const: { a: [1] } }, { a: [1] }), true);
    assert.equal(check({ enum: ['fork', 'spawn'] }, 'spawn'), true);
    assert.equal(check({ enum: ['fork', 'spawn'] }, 'forkserver'), false);
  });

  it('checks required and nested properties, and reports the path', () => {
    const schema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'object', properties: { b: { type: 'integer', minimum: 1 } } } },
    };
    assert.equal(check(schema, { a: { b: 2 } }), true);
    assert.equal(check(schema, {}), false);
    const result = compileSchema(schema).validate({ a: { b: 0 } });
    assert.deepEqual(result.errors, ['/a/b must be >= 1']);
  });

  it('ignores properties the schema does not list, unless additionalProperties forbids them', () => {
    assert.equal(check({ properties: { a: { type: 'string' } } }, { a: 'x', extra: 1 }), true);
    assert.equal(check({ properties: { a: {} }, additionalProperties: false }, { a: 1, extra: 1 }), false);
    assert.equal(check({ properties: { a: {} }, additionalProperties: { type: 'integer' } }, { a: 'x', b: 2 }), true);
  });

  it('checks items, minItems and maxItems', () => {
    const schema = { type: 'array', maxItems: 2, minItems: 1, items: { type: 'string', maxLength: 3 } };
    assert.equal(check(schema, ['ab', 'cd']), true);
    assert.equal(check(schema, []), false);
    assert.equal(check(schema, ['a', 'b', 'c']), false);
    assert.equal(check(schema, ['abcd']), false);
    assert.deepEqual(compileSchema(schema).validate(['ok', 5]).errors, ['/1 must be string']);
  });

  it('counts string length in code points, as JSON Schema does', () => {
    const emoji = '\u{1F600}'; // two UTF-16 units, one character
    assert.equal(check({ maxLength: 2 }, emoji + emoji), true);
    assert.equal(check({ maxLength: 1 }, emoji + emoji), false);
    assert.equal(check({ minLength: 2 }, emoji + emoji), true);
    assert.equal(check({ minLength: 3 }, emoji + emoji), false);
    assert.equal(check({ minLength: 16 }, 'x'.repeat(15)), false);
  });

  it('checks minimum and maximum only on numbers', () => {
    assert.equal(check({ minimum: 0 }, -1), false);
    assert.equal(check({ minimum: 0 }, 'not a number'), true);
    assert.equal(check({ maximum: 10 }, 11), false);
  });

  it('requires exactly one oneOf branch to match', () => {
    const schema = { oneOf: [{ type: 'integer' }, { type: 'number' }] };
    assert.equal(check(schema, 1.5), true);
    assert.equal(check(schema, 1), false); // an integer is also a number
    assert.equal(check(schema, 'x'), false);
    assert.match(compileSchema(schema).validate(1).errors[0], /matches 2 schemas/);
  });

  it('counts oneOf matches the same when a const property picks the branches to try', () => {
    // `kind` discriminates, as in the event schema; one constant has two branches, one branch
    // pins nothing, and values may lack `kind` or hold a type no constant has.
    const schema = {
      oneOf: [
        { required: ['kind', 'a'], properties: { kind: { const: 'x' }, a: { type: 'integer' } } },
        { required: ['kind', 'b'], properties: { kind: { const: 'y' } } },
        { required: ['kind', 'c'], properties: { kind: { const: 'y' } } },
        { required: ['kind', 'n'], properties: { kind: { const: 7 } } },
        { required: ['free'] },
      ],
    };
    assert.equal(check(schema, { kind: 'x', a: 1 }), true);
    assert.equal(check(schema, { kind: 'x', a: 'one' }), false);
    assert.equal(check(schema, { kind: 'y', b: 1 }), true);
    assert.equal(check(schema, { kind: 'y', b: 1, c: 1 }), false); // both 'y' branches match
    assert.equal(check(schema, { kind: 7, n: 0 }), true);
    assert.equal(check(schema, { kind: 'z', free: true }), true); // only the unpinned branch
    assert.equal(check(schema, { kind: 'x', a: 1, free: true }), false); // pinned and unpinned
    assert.equal(check(schema, { kind: true, free: true }), true);
    assert.equal(check(schema, { free: true }), true); // no kind: every branch is tried
    assert.equal(check(schema, { a: 1 }), false);
    assert.equal(check(schema, 'x'), false);
  });

  it('explains a failed oneOf with the closest branch', () => {
    const schema = {
      oneOf: [
        { required: ['kind', 'a', 'b'], properties: { kind: { const: 'x' } } },
        { required: ['kind', 'c'], properties: { kind: { const: 'y' }, c: { type: 'integer' } } },
      ],
    };
    assert.deepEqual(compileSchema(schema).validate({ kind: 'y', c: 'no' }).errors, ['/c must be integer']);
  });

  it('follows local $ref, including recursive ones and escaped names', () => {
    const schema = {
      $ref: '#/$defs/node',
      $defs: {
        node: { type: 'object', properties: { next: { $ref: '#/$defs/node' }, 'a/b': { $ref: '#/$defs/x~1y' } } },
        'x/y': { type: 'integer' },
      },
    };
    assert.equal(check(schema, { next: { next: {} } }), true);
    assert.equal(check(schema, { next: { next: 5 } }), false);
    assert.equal(check(schema, { 'a/b': 'no' }), false);
  });

  it('refuses schemas it cannot honour instead of ignoring them', () => {
    assert.throws(() => compileSchema({ type: 'string', format: 'email' }), /unsupported schema keyword "format"/);
    assert.throws(() => compileSchema({ $ref: 'other.json#/x' }), /only local \$ref/);
    assert.throws(() => compileSchema({ $ref: '#/$defs/missing' }), /does not resolve/);
    assert.throws(() => compileSchema({ type: 'date' }), /invalid type/);
  });

  it('treats boolean schemas as allow-all and deny-all', () => {
    assert.equal(check(true, 'anything'), true);
    assert.equal(check({ properties: { a: false } }, { a: 1 }), false);
  });
});

describe('jsonEqual', () => {
  it('compares objects regardless of key order and arrays by position', () => {
    assert.equal(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }), true);
    assert.equal(jsonEqual([1, 2], [2, 1]), false);
    assert.equal(jsonEqual({ a: undefined }, {}), false);
  });
});
