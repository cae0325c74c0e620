// Names of the things besides processes that a session holds and views show (pools, queues, …),
// as they travel in change notifications: `<kind>:<id>`, where the id is the runtime's own
// (unique in the run). One spelling, so the model and the tree agree on what changed.

export type ObjectKind = 'pool' | 'queue' | 'pipe' | 'sync' | 'manager' | 'shared';

export function objectId(kind: ObjectKind, id: string): string {
  return `${kind}:${id}`;
}

/** The kind and runtime id of an object id; undefined when it is not one. */
export function parseObjectId(value: string): { readonly kind: ObjectKind; readonly id: string } | undefined {
  const colon = value.indexOf(':');
  if (colon <= 0) {
    return undefined;
  }
  const kind = value.slice(0, colon);
  return isObjectKind(kind) ? { kind, id: value.slice(colon + 1) } : undefined;
}

const KINDS: ReadonlySet<string> = new Set<ObjectKind>(['pool', 'queue', 'pipe', 'sync', 'manager', 'shared']);

function isObjectKind(kind: string): kind is ObjectKind {
  return KINDS.has(kind);
}
