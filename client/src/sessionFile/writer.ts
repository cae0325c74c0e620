// Turns a session's recording into the lines of a saved-session file, one at a time, so even the
// largest recording is written without building the whole file as one string.
import { DebuggeeNamed, isStreamClosing, OsObserved, RecordedItem, SessionRecording } from '../model/recording';
import type { SessionView } from '../model/session';
import type { MpscopeEvent } from '../protocol/events';
import { DebuggeeLine, OsSnapshotLine, REDACTED_TOKEN, SESSION_FILE_FORMAT, SessionHeader, StreamClosedLine } from './format';

export function sessionHeader(session: SessionView, recording: SessionRecording, savedAt: number): SessionHeader {
  return {
    mpscope: 'session',
    format: SESSION_FILE_FORMAT,
    label: session.label,
    sessionKind: session.kind,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    savedAt,
    items: recording.items.length,
    dropped: recording.dropped,
  };
}

/** Every line of the file, without newlines: the header, then each recorded item in order. */
export function* sessionFileLines(session: SessionView, recording: SessionRecording, savedAt: number): Generator<string> {
  yield JSON.stringify(sessionHeader(session, recording, savedAt));
  // The recording may grow while this runs (a live session): stop at its length now.
  const items = recording.items;
  const count = items.length;
  for (let index = 0; index < count; index++) {
    yield itemLine(items[index] as RecordedItem);
  }
}

export function itemLine(item: RecordedItem): string {
  if (isStreamClosing(item)) {
    const line: StreamClosedLine = { mpscope: 'stream.closed', pid: item.pid, t: item.t };
    return JSON.stringify(line);
  }
  if (item instanceof OsObserved) {
    const { t, processes } = item.snapshot;
    const line: OsSnapshotLine = { mpscope: 'os.snapshot', t, processes: processes.map((entry) => [entry.pid, entry.ppid, entry.stat, entry.command, entry.startedAt ?? null]) };
    return JSON.stringify(line);
  }
  if (item instanceof DebuggeeNamed) {
    const line: DebuggeeLine = { mpscope: 'debuggee', pid: item.pid };
    return JSON.stringify(line);
  }
  return JSON.stringify(withoutSecrets(item));
}

function withoutSecrets(event: MpscopeEvent): MpscopeEvent {
  return event.kind === 'hello' ? { ...event, token: REDACTED_TOKEN } : event;
}

/** Joins lines into chunks of about `chunkChars` characters, each line ending in `\n`. */
export function* chunked(lines: Iterable<string>, chunkChars = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line, '\n');
    size += line.length + 1;
    if (size >= chunkChars) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) {
    yield parts.join('');
  }
}
