// A realistic run as the collector receives it, stream by stream: the terminal launcher (50)
// runs main (100); main starts a child that raises (101), a child it kills (102), a child that
// exits cleanly (103) and one whose stream closes without a word (104, lost). Used by the
// timeline, trace and session-file tests.
import assert from 'node:assert/strict';
import { Model } from '../../../src/model/model';
import { isValidEvent } from '../../../src/protocol/eventSchema';
import type { MpscopeEvent } from '../../../src/protocol/events';
import * as make from './events';

/** One item a stream delivers: an event, or the end of the stream of `pid`. */
export type StreamItem = MpscopeEvent | { readonly close: number; readonly t: number };

export const launcherStream: StreamItem[] = [
  make.hello(50, 10, 'launcher', { t: 1000.0 }),
  make.exitedBy('launcher', 50, 100, 0, undefined, 1003.5),
  { close: 50, t: 1003.6 },
];

export const mainStream: StreamItem[] = [
  make.hello(100, 50, 'main', { name: 'MainProcess', t: 1000.1, argv: ['/w/prog.py', '--fast'] }),
  make.created(100, '100-1', { name: 'cruncher', target: 'work.crunch', site: { file: '/w/prog.py', line: 12 }, t: 1000.2 }),
  make.started(100, '100-1', 101, { t: 1000.25 }),
  make.created(100, '100-2', { name: 'sleeper', start_method: 'spawn', t: 1000.3 }),
  make.started(100, '100-2', 102, { t: 1000.4 }),
  make.created(100, '100-3', { name: 'quiet', t: 1000.5 }),
  make.started(100, '100-3', 103, { t: 1000.55 }),
  make.created(100, '100-4', { name: 'vanisher', t: 1000.6 }),
  make.started(100, '100-4', 104, { t: 1000.65 }),
  { ...make.signalled(100, 102, 'kill'), t: 1001.5 },
  make.exitedBy('parent', 100, 102, -9, 'SIGKILL', 1001.6),
  make.exitedBy('parent', 100, 101, 1, undefined, 1001.7),
  make.joined(100, 103, { t: 1002.0 }),
  make.exitedBy('parent', 100, 103, 0, undefined, 1002.0),
  make.exitedSelf(100, 0, undefined, 1003.4),
  { close: 100, t: 1003.45 },
];

export const crashingStream: StreamItem[] = [
  make.hello(101, 100, 'process', { name: 'cruncher', start_method: 'fork', t: 1000.3 }),
  { ...make.runtimeError(101, 'hooks.queue', 'could not wrap Queue.put'), t: 1000.9 },
  make.exitedSelf(101, 1, make.valueError, 1001.65),
  { close: 101, t: 1001.66 },
];

export const killedStream: StreamItem[] = [
  make.hello(102, 100, 'process', { start_method: 'spawn', t: 1000.7 }),
  { close: 102, t: 1001.61 },
];

export const quietStream: StreamItem[] = [
  make.hello(103, 100, 'process', { t: 1000.6 }),
  make.exitedSelf(103, 0, undefined, 1001.9),
  { close: 103, t: 1001.95 },
];

export const lostStream: StreamItem[] = [make.hello(104, 100, 'process', { t: 1000.7 }), { close: 104, t: 1002.5 }];

export const allStreams = [launcherStream, mainStream, crashingStream, killedStream, quietStream, lostStream];

/** The streams in one plausible arrival order (by time, stream order kept). */
export function arrivalOrder(streams: readonly (readonly StreamItem[])[] = allStreams): StreamItem[] {
  const tagged = streams.flatMap((stream, streamIndex) => stream.map((item, index) => ({ item, streamIndex, index })));
  tagged.sort((a, b) => a.item.t - b.item.t || a.streamIndex - b.streamIndex || a.index - b.index);
  // Sorting by time could break a stream's own order only when its times go backwards; they don't here.
  return tagged.map((entry) => entry.item);
}

export function applyItems(model: Model, sessionId: string, items: readonly StreamItem[]): void {
  for (const item of items) {
    if ('close' in item) {
      model.streamClosed(sessionId, item.close, item.t);
    } else {
      assert.ok(isValidEvent(item), `test event does not match the schema: ${JSON.stringify(item)}`);
      assert.equal(model.ingest(sessionId, item), true);
    }
  }
}

/** A model holding the sample run as one ended session. */
export function sampleSession(items: readonly StreamItem[] = arrivalOrder()): { model: Model; sessionId: string } {
  const model = new Model({ clock: () => 999.9 });
  const sessionId = model.openSession({ label: 'prog.py', kind: 'run', startedAt: 999.9 });
  applyItems(model, sessionId, items);
  return { model, sessionId };
}
