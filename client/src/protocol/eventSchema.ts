// The runtime's event schema, bundled into the extension (esbuild inlines the JSON), compiled
// once on first use. Client code and unit tests validate against this one file.
import schemaJson from '../../../runtime/mpscope/events.schema.json';
import { compileSchema, SchemaValidator, ValidationResult } from './jsonSchema';
import type { MpscopeEvent } from './events';

let compiled: SchemaValidator | undefined;

function validator(): SchemaValidator {
  compiled ??= compileSchema(schemaJson);
  return compiled;
}

export function isValidEvent(value: unknown): value is MpscopeEvent {
  return validator().isValid(value);
}

/** Explains why a value is not a valid event (slower than `isValidEvent`). */
export function explainEvent(value: unknown): ValidationResult {
  return validator().validate(value);
}

/** The event kinds the schema allows, read from its `oneOf` list of `$ref`s. */
export function schemaEventKinds(): string[] {
  const defs = (schemaJson as { $defs: Record<string, { properties?: { kind?: { const?: unknown } } }> }).$defs;
  return schemaJson.oneOf.map((branch) => {
    const name = branch.$ref.replace('#/$defs/', '');
    const kind = defs[name]?.properties?.kind?.const;
    return typeof kind === 'string' ? kind : name;
  });
}
