// Feeding a model the way the collector does: events (each checked against the schema first, so
// a fixture the runtime could never send fails the test) and stream closings, in a given order.
import assert from 'node:assert/strict';
import { Model } from '../../../src/model/model';
import type { SessionSnapshot } from '../../../src/model/types';
import { isValidEvent } from '../../../src/protocol/eventSchema';
import type { MpscopeEvent } from '../../../src/protocol/events';

/** One item a stream delivers: an event, or the end of the stream of `pid`. */
export type StreamItem = MpscopeEvent | { readonly close: number; readonly t?: number };

export function feed(model: Model, sessionId: string, items: readonly StreamItem[]): void {
  for (const item of items) {
    if ('close' in item) {
      model.streamClosed(sessionId, item.close, item.t ?? 2000);
    } else {
      assert.ok(isValidEvent(item), `test event does not match the schema: ${JSON.stringify(item)}`);
      assert.equal(model.ingest(sessionId, item), true);
    }
  }
}

export interface ModelRun {
  readonly model: Model;
  readonly sessionId: string;
  readonly session: SessionSnapshot;
}

export function runModel(items: readonly StreamItem[], model = new Model({ clock: () => 999 })): ModelRun {
  const sessionId = model.openSession({ label: 'test.py', startedAt: 999 });
  feed(model, sessionId, items);
  const session = model.snapshot().find((s) => s.id === sessionId);
  assert.ok(session);
  return { model, sessionId, session };
}
