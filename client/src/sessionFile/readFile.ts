// Opens a session file from disk and replays it, streaming: the file is read in chunks, split
// into bounded lines (the collector's own line reader), parsed one line at a time and applied in
// batches, with a pause between chunks so the extension host stays responsive on huge files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Model } from '../model/model';
import { LineDecoder, MAX_LINE_BYTES } from '../session/lineDecoder';
import { describeSkipped, SessionFileParser } from './parser';
import { ReplaySummary, SessionReplay } from './replay';

export interface ReadOptions {
  /** Called after each chunk with the bytes read so far and the file's size. */
  readonly progress?: (bytesRead: number, totalBytes: number) => void;
  /** Checked between chunks; true stops reading (what was read so far stays replayed). */
  readonly cancelled?: () => boolean;
  readonly chunkBytes?: number;
  readonly maxLineBytes?: number;
}

export interface ReadOutcome extends ReplaySummary {
  readonly lines: number;
  readonly skipped: number;
  /** `3 malformed lines skipped (…)`, or '' when every line was read. */
  readonly skippedText: string;
  readonly bytes: number;
  readonly cancelled: boolean;
}

export async function replaySessionFile(filePath: string, model: Model, options: ReadOptions = {}): Promise<ReadOutcome> {
  const totalBytes = (await fs.promises.stat(filePath)).size;
  const stream = fs.createReadStream(filePath, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  try {
    return await replayChunks(stream as AsyncIterable<Buffer>, totalBytes, path.basename(filePath), model, options);
  } finally {
    stream.destroy();
  }
}

/** Replays a file that arrives in chunks (from disk, or from another file system in one piece). */
export async function replayChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  totalBytes: number,
  fileName: string,
  model: Model,
  options: ReadOptions = {},
): Promise<ReadOutcome> {
  const parser = new SessionFileParser();
  const replay = new SessionReplay(model, { fileName });
  const decoder = new LineDecoder(
    {
      line: (text) => replay.accept(parser.parse(text)),
      drop: (reason) => {
        if (reason !== 'truncated') {
          replay.accept(parser.dropped(reason));
        }
      },
    },
    options.maxLineBytes ?? MAX_LINE_BYTES,
  );
  let bytes = 0;
  let cancelled = false;
  for await (const chunk of chunks) {
    decoder.push(chunk);
    bytes += chunk.length;
    replay.flush();
    options.progress?.(bytes, totalBytes);
    if (options.cancelled?.()) {
      cancelled = true;
      break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!cancelled) {
    // A last line without a newline is still a line in a file (unlike on a socket).
    decoder.push(Buffer.from('\n'));
  }
  decoder.end();
  const summary = replay.finish();
  return {
    ...summary,
    lines: parser.lines,
    skipped: parser.skippedTotal,
    skippedText: describeSkipped(parser),
    bytes,
    cancelled,
  };
}
