// A session's recording (what "Save Session" writes) is bounded, and once it misses something it
// stops for good: a file with a gap in the middle would replay into a state that never was.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import { approximateSize, isStreamClosing, SessionRecording } from '../../src/model/recording';
import * as make from './helpers/events';

describe('session recording', () => {
  it('keeps events and stream closings in arrival order', () => {
    const recording = new SessionRecording();
    const hello = make.hello(1, 0, 'main');
    recording.event(hello);
    recording.streamClosed(1, 5);
    assert.equal(recording.items.length, 2);
    assert.equal(recording.items[0], hello);
    const closing = recording.items[1];
    assert.ok(closing && isStreamClosing(closing));
    assert.deepEqual([closing.pid, closing.t], [1, 5]);
    assert.equal(recording.complete, true);
  });

  it('stops at the item limit and counts what it missed, even if later items would fit', () => {
    const recording = new SessionRecording({ maxItems: 3, maxBytes: Number.MAX_SAFE_INTEGER });
    for (let pid = 1; pid <= 5; pid++) {
      recording.event(make.hello(pid, 0, 'process'));
    }
    assert.equal(recording.items.length, 3);
    assert.equal(recording.dropped, 2);
    assert.equal(recording.complete, false);
  });

  it('stops at the byte budget, which large tracebacks use up first', () => {
    const traceback = 'x'.repeat(10_000);
    const failing = make.exitedSelf(2, 1, { type: 'ValueError', message: 'm', traceback });
    assert.ok(approximateSize(failing) >= traceback.length * 2);
    assert.ok(approximateSize(make.started(1, '1-1', 2)) < 100);
    const recording = new SessionRecording({ maxItems: 1000, maxBytes: 50_000 });
    recording.event(failing);
    recording.event(failing);
    recording.event(failing);
    assert.equal(recording.items.length, 2);
    assert.equal(recording.dropped, 1);
    recording.streamClosed(2, 3); // small, but after a gap
    assert.equal(recording.items.length, 2);
    assert.equal(recording.dropped, 2);
  });

  it('is kept by the model per session, with the limits the model was given', () => {
    const model = new Model({ recordingLimits: { maxItems: 2, maxBytes: 1e9 } });
    const id = model.openSession({ label: 'x' });
    model.ingestAll(id, [make.hello(1, 0, 'main'), make.hello(2, 1, 'process'), make.hello(3, 1, 'process')]);
    model.streamClosed(id, 3, 9);
    assert.equal(model.recording(id)?.items.length, 2);
    assert.equal(model.recording(id)?.dropped, 2);
    // The model itself is not limited by its recording.
    assert.equal(model.session(id)?.processCount, 3);
  });
});
