// A small JSON Schema (2020-12) validator for the subset the event schema uses. Writing it here
// keeps the extension free of a validator dependency and lets the client check events against
// the very file the runtime ships. Schemas are compiled once into closures, so validating an
// event costs a handful of function calls. The fast check (`isValid`, every event the collector
// receives) builds no JSON pointers and skips the oneOf branches a discriminating `const` rules
// out; only `validate` pays for explanations. A keyword this validator does not know makes
// `compileSchema` throw: a schema change that needs more than this subset is noticed by the
// unit tests instead of being silently ignored.

export interface ValidationResult {
  readonly valid: boolean;
  /** Human-readable reasons, e.g. `/exitcode must be integer or null`; empty when valid. */
  readonly errors: readonly string[];
}

export interface SchemaValidator {
  /** Fast check: stops at the first failure and allocates nothing. */
  isValid(value: unknown): boolean;
  /** Full check with reasons (slower: use it to explain a failure). */
  validate(value: unknown): ValidationResult;
}

/** Keywords that only annotate and never affect validity. */
const ANNOTATIONS = new Set([
  '$schema', '$id', '$comment', '$defs', 'title', 'description', 'default', 'examples',
  'deprecated', 'readOnly', 'writeOnly',
]);

const SUPPORTED = new Set([
  'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minItems',
  'maxItems', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'oneOf', 'anyOf', '$ref',
]);

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
const JSON_TYPES = new Set<string>(['null', 'boolean', 'integer', 'number', 'string', 'array', 'object']);

interface Failure {
  readonly path: string;
  readonly message: string;
  /** A `const` that did not match: for oneOf, a sign the branch was not meant for this value. */
  readonly constMismatch: boolean;
}

/** `errors` is null in fast mode: the check returns at the first failure. */
type Check = (value: unknown, path: string, errors: Failure[] | null) => boolean;

type SchemaObject = { readonly [keyword: string]: unknown };

export function compileSchema(root: unknown): SchemaValidator {
  if (!isObject(root) && typeof root !== 'boolean') {
    throw new Error('schema must be an object or a boolean');
  }
  const compiledRefs = new Map<string, Check>();

  function resolvePointer(ref: string): unknown {
    if (!ref.startsWith('#')) {
      throw new Error(`only local $ref is supported, got ${JSON.stringify(ref)}`);
    }
    const pointer = decodeURIComponent(ref.slice(1));
    if (pointer === '') {
      return root;
    }
    if (!pointer.startsWith('/')) {
      throw new Error(`unsupported $ref ${JSON.stringify(ref)}`);
    }
    let node: unknown = root;
    for (const raw of pointer.slice(1).split('/')) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, segment)) {
        throw new Error(`$ref ${JSON.stringify(ref)} does not resolve`);
      }
      node = node[segment];
    }
    return node;
  }

  function compileRef(ref: string): Check {
    const existing = compiledRefs.get(ref);
    if (existing) {
      return existing;
    }
    // Register an indirection before compiling the target so recursive schemas terminate.
    let target: Check | undefined;
    const indirect: Check = (value, path, errors) => (target as Check)(value, path, errors);
    compiledRefs.set(ref, indirect);
    target = compile(resolvePointer(ref), `ref ${ref}`);
    return indirect;
  }

  function compile(schema: unknown, where: string): Check {
    if (schema === true) {
      return () => true;
    }
    if (schema === false) {
      return (_value, path, errors) => fail(errors, path, 'is not allowed');
    }
    if (!isObject(schema)) {
      throw new Error(`${where}: a schema must be an object or a boolean`);
    }
    for (const keyword of Object.keys(schema)) {
      if (!SUPPORTED.has(keyword) && !ANNOTATIONS.has(keyword)) {
        throw new Error(`${where}: unsupported schema keyword ${JSON.stringify(keyword)}`);
      }
    }
    const checks: Check[] = [];
    if ('$ref' in schema) {
      if (typeof schema.$ref !== 'string') {
        throw new Error(`${where}: $ref must be a string`);
      }
      checks.push(compileRef(schema.$ref));
    }
    if ('type' in schema) {
      checks.push(compileType(schema.type, where));
    }
    if ('const' in schema) {
      const expected = schema.const;
      const shown = JSON.stringify(expected);
      checks.push((value, path, errors) =>
        jsonEqual(value, expected) || fail(errors, path, `must be ${shown}`, true));
    }
    if ('enum' in schema) {
      const options = schema.enum;
      if (!Array.isArray(options)) {
        throw new Error(`${where}: enum must be an array`);
      }
      const shown = options.map((option) => JSON.stringify(option)).join(', ');
      checks.push((value, path, errors) => {
        for (const option of options) {
          if (jsonEqual(value, option)) {
            return true;
          }
        }
        return fail(errors, path, `must be one of ${shown}`);
      });
    }
    pushNumberChecks(schema, where, checks);
    pushStringChecks(schema, where, checks);
    pushArrayChecks(schema, where, checks);
    pushObjectChecks(schema, where, checks);
    pushCombinators(schema, where, checks);
    return sequence(checks);
  }

  function pushNumberChecks(schema: SchemaObject, where: string, checks: Check[]): void {
    if ('minimum' in schema) {
      const minimum = numberKeyword(schema, 'minimum', where);
      checks.push((value, path, errors) =>
        typeof value !== 'number' || value >= minimum || fail(errors, path, `must be >= ${minimum}`));
    }
    if ('maximum' in schema) {
      const maximum = numberKeyword(schema, 'maximum', where);
      checks.push((value, path, errors) =>
        typeof value !== 'number' || value <= maximum || fail(errors, path, `must be <= ${maximum}`));
    }
  }

  function pushStringChecks(schema: SchemaObject, where: string, checks: Check[]): void {
    if ('minLength' in schema) {
      const minLength = countKeyword(schema, 'minLength', where);
      checks.push((value, path, errors) =>
        typeof value !== 'string' || codePointsAtLeast(value, minLength) ||
        fail(errors, path, `must have at least ${minLength} characters`));
    }
    if ('maxLength' in schema) {
      const maxLength = countKeyword(schema, 'maxLength', where);
      checks.push((value, path, errors) =>
        typeof value !== 'string' || codePointsAtMost(value, maxLength) ||
        fail(errors, path, `must have at most ${maxLength} characters`));
    }
    if ('pattern' in schema) {
      if (typeof schema.pattern !== 'string') {
        throw new Error(`${where}: pattern must be a string`);
      }
      const pattern = new RegExp(schema.pattern, 'u');
      checks.push((value, path, errors) =>
        typeof value !== 'string' || pattern.test(value) || fail(errors, path, `must match ${pattern.source}`));
    }
  }

  function pushArrayChecks(schema: SchemaObject, where: string, checks: Check[]): void {
    if ('minItems' in schema) {
      const minItems = countKeyword(schema, 'minItems', where);
      checks.push((value, path, errors) =>
        !Array.isArray(value) || value.length >= minItems || fail(errors, path, `must have at least ${minItems} items`));
    }
    if ('maxItems' in schema) {
      const maxItems = countKeyword(schema, 'maxItems', where);
      checks.push((value, path, errors) =>
        !Array.isArray(value) || value.length <= maxItems || fail(errors, path, `must have at most ${maxItems} items`));
    }
    if ('items' in schema) {
      const item = compile(schema.items, `${where}/items`);
      checks.push((value, path, errors) => {
        if (!Array.isArray(value)) {
          return true;
        }
        let ok = true;
        for (let index = 0; index < value.length; index++) {
          if (!item(value[index], errors ? `${path}/${index}` : path, errors)) {
            ok = false;
            if (!errors) {
              return false;
            }
          }
        }
        return ok;
      });
    }
  }

  function pushObjectChecks(schema: SchemaObject, where: string, checks: Check[]): void {
    if ('required' in schema) {
      const required = schema.required;
      if (!Array.isArray(required) || !required.every((name) => typeof name === 'string')) {
        throw new Error(`${where}: required must be an array of strings`);
      }
      const names = required as string[];
      checks.push((value, path, errors) => {
        if (!isObject(value)) {
          return true;
        }
        let ok = true;
        for (const name of names) {
          if (!hasOwn(value, name)) {
            ok = fail(errors, path, `must have property ${JSON.stringify(name)}`);
            if (!errors) {
              return false;
            }
          }
        }
        return ok;
      });
    }
    const propertyChecks = new Map<string, Check>();
    if ('properties' in schema) {
      const properties = schema.properties;
      if (!isObject(properties)) {
        throw new Error(`${where}: properties must be an object`);
      }
      for (const [name, subschema] of Object.entries(properties)) {
        propertyChecks.set(name, compile(subschema, `${where}/properties/${name}`));
      }
      // Parallel arrays, and each property's pointer segment escaped once, here.
      const names = [...propertyChecks.keys()];
      const propertyCheckList = [...propertyChecks.values()];
      const segments = names.map((name) => `/${escapePointer(name)}`);
      checks.push((value, path, errors) => {
        if (!isObject(value)) {
          return true;
        }
        let ok = true;
        for (let index = 0; index < names.length; index++) {
          const name = names[index] as string;
          if (hasOwn(value, name) && !(propertyCheckList[index] as Check)(value[name], errors ? path + segments[index] : path, errors)) {
            ok = false;
            if (!errors) {
              return false;
            }
          }
        }
        return ok;
      });
    }
    if ('additionalProperties' in schema) {
      const additional = compile(schema.additionalProperties, `${where}/additionalProperties`);
      checks.push((value, path, errors) => {
        if (!isObject(value)) {
          return true;
        }
        if (!errors) {
          // for-in over a parsed JSON object sees exactly its own keys, without an array of them.
          for (const name in value) {
            if (hasOwn(value, name) && !propertyChecks.has(name) && !additional(value[name], path, null)) {
              return false;
            }
          }
          return true;
        }
        let ok = true;
        for (const name of Object.keys(value)) {
          if (!propertyChecks.has(name) && !additional(value[name], `${path}/${escapePointer(name)}`, errors)) {
            ok = false;
          }
        }
        return ok;
      });
    }
  }

  function pushCombinators(schema: SchemaObject, where: string, checks: Check[]): void {
    if ('oneOf' in schema) {
      const branches = compileBranches(schema.oneOf, `${where}/oneOf`);
      const dispatch = discriminate(schema.oneOf as unknown[], branches);
      checks.push((value, path, errors) => {
        let matches = 0;
        for (const branch of dispatch ? dispatch(value) : branches) {
          if (branch(value, path, null)) {
            matches++;
          }
        }
        if (matches === 1) {
          return true;
        }
        if (!errors) {
          return false;
        }
        if (matches > 1) {
          return fail(errors, path, `matches ${matches} schemas of oneOf, expected exactly one`);
        }
        errors.push(...closestBranchErrors(branches, value, path));
        return false;
      });
    }
    if ('anyOf' in schema) {
      const branches = compileBranches(schema.anyOf, `${where}/anyOf`);
      checks.push((value, path, errors) => {
        if (branches.some((branch) => branch(value, path, null))) {
          return true;
        }
        if (errors) {
          errors.push(...closestBranchErrors(branches, value, path));
        }
        return false;
      });
    }
  }

  function compileBranches(list: unknown, where: string): Check[] {
    if (!Array.isArray(list) || list.length === 0) {
      throw new Error(`${where} must be a non-empty array`);
    }
    return list.map((branch, index) => withConstShortcut(branch, compile(branch, `${where}/${index}`)));
  }

  /**
   * A branch whose property must equal a constant (the event schema's `kind`) cannot match a
   * value where that property holds something else: fast mode rejects it without running the
   * branch. The result is the same; oneOf over many event kinds just gets much cheaper.
   */
  function withConstShortcut(branch: unknown, check: Check): Check {
    const constants = constProperties(branch);
    if (constants.length === 0) {
      return check;
    }
    return (value, path, errors) => {
      if (!errors && isObject(value)) {
        for (const [name, expected] of constants) {
          if (hasOwn(value, name) && value[name] !== expected) {
            return false;
          }
        }
      }
      return check(value, path, errors);
    };
  }

  /**
   * For a oneOf whose branches pin one property to different constants (the event schema's
   * `kind`): a function that returns only the branches a value can match — the one whose constant
   * equals the value's property, and the branches that pin nothing there. The others would fail
   * on that constant anyway (see withConstShortcut), so the count of matches is the same.
   * Undefined when no property discriminates.
   */
  function discriminate(list: readonly unknown[], branches: readonly Check[]): ((value: unknown) => readonly Check[]) | undefined {
    const pinned = list.map((branch) => new Map(constProperties(branch)));
    const candidates = new Set(pinned.flatMap((constants) => [...constants.keys()]));
    for (const property of candidates) {
      const byConstant = new Map<string | number, Check[]>();
      const unpinned: Check[] = [];
      pinned.forEach((constants, index) => {
        const branch = branches[index] as Check;
        const constant = constants.get(property);
        if (constant === undefined) {
          unpinned.push(branch);
        } else {
          byConstant.set(constant, [...(byConstant.get(constant) ?? []), branch]);
        }
      });
      if (byConstant.size < 2) {
        continue;
      }
      const selections = new Map([...byConstant].map(([constant, matching]) => [constant, [...matching, ...unpinned]]));
      return (value) => {
        if (!isObject(value) || !hasOwn(value, property)) {
          return branches;
        }
        const key = value[property];
        return (typeof key === 'string' || typeof key === 'number' ? selections.get(key) : undefined) ?? unpinned;
      };
    }
    return undefined;
  }

  /** `[name, constant]` for each property a (possibly $ref'd) schema pins to a string or number. */
  function constProperties(schema: unknown): Array<[string, string | number]> {
    let node = schema;
    for (let hops = 0; isObject(node) && typeof node.$ref === 'string' && hops < 16; hops++) {
      node = resolvePointer(node.$ref);
    }
    const properties = isObject(node) ? node.properties : undefined;
    if (!isObject(properties)) {
      return [];
    }
    const found: Array<[string, string | number]> = [];
    for (const [name, property] of Object.entries(properties)) {
      const constant = isObject(property) ? property.const : undefined;
      if (typeof constant === 'string' || typeof constant === 'number') {
        found.push([name, constant]);
      }
    }
    return found;
  }

  const check = compile(root, '#');
  return {
    isValid: (value) => check(value, '', null),
    validate: (value) => {
      const errors: Failure[] = [];
      const valid = check(value, '', errors);
      return { valid, errors: valid ? [] : errors.map((error) => `${error.path || '/'} ${error.message}`) };
    },
  };
}

/**
 * When no branch matches, the most useful explanation is the branch that came closest: first
 * the branches whose `const`s matched (for the event schema: the one for the event's `kind`),
 * then the one with the fewest failures.
 */
function closestBranchErrors(branches: readonly Check[], value: unknown, path: string): Failure[] {
  let best: Failure[] | undefined;
  let bestScore = [Infinity, Infinity];
  for (const branch of branches) {
    const errors: Failure[] = [];
    branch(value, path, errors);
    const score = [errors.filter((error) => error.constMismatch).length, errors.length];
    if (!best || score[0] < bestScore[0] || (score[0] === bestScore[0] && score[1] < bestScore[1])) {
      best = errors;
      bestScore = score;
    }
  }
  return best && best.length > 0
    ? best
    : [{ path, message: 'matches none of the allowed schemas', constMismatch: false }];
}

function compileType(type: unknown, where: string): Check {
  const types = Array.isArray(type) ? type : [type];
  if (types.length === 0 || !types.every((name) => typeof name === 'string' && JSON_TYPES.has(name))) {
    throw new Error(`${where}: invalid type ${JSON.stringify(type)}`);
  }
  const accepted = types as JsonType[];
  const shown = accepted.join(' or ');
  if (accepted.length === 1) {
    const only = accepted[0] as JsonType;
    return (value, path, errors) => hasJsonType(value, only) || fail(errors, path, `must be ${shown}`);
  }
  return (value, path, errors) => {
    for (const name of accepted) {
      if (hasJsonType(value, name)) {
        return true;
      }
    }
    return fail(errors, path, `must be ${shown}`);
  };
}

function hasJsonType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
  }
}

function sequence(checks: readonly Check[]): Check {
  if (checks.length === 0) {
    return () => true;
  }
  if (checks.length === 1) {
    return checks[0];
  }
  return (value, path, errors) => {
    let ok = true;
    for (const check of checks) {
      if (!check(value, path, errors)) {
        ok = false;
        if (!errors) {
          return false;
        }
      }
    }
    return ok;
  };
}

function fail(errors: Failure[] | null, path: string, message: string, constMismatch = false): false {
  errors?.push({ path, message, constMismatch });
  return false;
}

function numberKeyword(schema: SchemaObject, keyword: string, where: string): number {
  const value = schema[keyword];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${where}: ${keyword} must be a number`);
  }
  return value;
}

function countKeyword(schema: SchemaObject, keyword: string, where: string): number {
  const value = numberKeyword(schema, keyword, where);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${where}: ${keyword} must be a non-negative integer`);
  }
  return value;
}

// JSON Schema counts characters as code points; a JS string's length counts UTF-16 units, which
// is never fewer than code points and at most twice as many, so most strings skip the count.
function codePointsAtMost(text: string, limit: number): boolean {
  if (text.length <= limit) {
    return true;
  }
  if (text.length > 2 * limit) {
    return false;
  }
  return countCodePoints(text) <= limit;
}

function codePointsAtLeast(text: string, limit: number): boolean {
  if (text.length < limit) {
    return false;
  }
  if (text.length >= 2 * limit) {
    return true;
  }
  return countCodePoints(text) >= limit;
}

function countCodePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
      }
    }
    count++;
  }
  return count;
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(value: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, name);
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Equality of JSON values as JSON Schema defines it for const and enum. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}
