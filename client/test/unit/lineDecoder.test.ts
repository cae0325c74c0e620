import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineDecoder, LineDropReason } from '../../src/session/lineDecoder';

function decoder(maxLineBytes?: number): { decoder: LineDecoder; lines: string[]; drops: LineDropReason[] } {
  const lines: string[] = [];
  const drops: LineDropReason[] = [];
  return {
    decoder: new LineDecoder({ line: (text) => lines.push(text), drop: (reason) => drops.push(reason) }, maxLineBytes),
    lines,
    drops,
  };
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('LineDecoder', () => {
  it('emits each complete line and keeps the partial one for later', () => {
    const { decoder: d, lines } = decoder();
    d.push(bytes('{"a":1}\n{"b"'));
    assert.deepEqual(lines, ['{"a":1}']);
    d.push(bytes(':2}\n\n{"c":3}\n'));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('joins a line split byte by byte, including a multi-byte character split in the middle', () => {
    const { decoder: d, lines, drops } = decoder();
    for (const byte of bytes('héllo ✓ \u{1F600}\n')) {
      d.push(Uint8Array.of(byte));
    }
    assert.deepEqual(lines, ['héllo ✓ \u{1F600}']);
    assert.deepEqual(drops, []);
  });

  it('accepts CRLF line ends', () => {
    const { decoder: d, lines } = decoder();
    d.push(bytes('one\r\ntwo\n'));
    assert.deepEqual(lines, ['one', 'two']);
  });

  it('drops a line longer than the bound and keeps decoding after it', () => {
    const { decoder: d, lines, drops } = decoder(10);
    d.push(bytes('0123456789\n')); // exactly at the bound: kept
    d.push(bytes('0123456789A\nnext\n'));
    assert.deepEqual(lines, ['0123456789', 'next']);
    assert.deepEqual(drops, ['oversize']);
  });

  it('discards an oversize line arriving in many chunks without buffering it, and counts it once', () => {
    const { decoder: d, lines, drops } = decoder(1024);
    const chunk = Buffer.alloc(4096, 0x61);
    for (let i = 0; i < 1000; i++) {
      d.push(chunk); // 4 MB without a newline
      assert.ok((d as unknown as { pendingBytes: number }).pendingBytes <= 1024);
    }
    d.push(bytes('tail\nafter\n'));
    assert.deepEqual(lines, ['after']);
    assert.deepEqual(drops, ['oversize']);
  });

  it('reports an oversize line as soon as it overflows, before its newline arrives', () => {
    const { decoder: d, drops } = decoder(8);
    d.push(bytes('0123'));
    assert.deepEqual(drops, []);
    d.push(bytes('456789'));
    assert.deepEqual(drops, ['oversize']);
    d.end(); // the rest of that line is not reported again as truncated
    assert.deepEqual(drops, ['oversize']);
  });

  it('drops a line that is not UTF-8 and keeps the next one', () => {
    const { decoder: d, lines, drops } = decoder();
    d.push(Buffer.concat([bytes('{"a":"'), Buffer.from([0xff, 0xfe]), bytes('"}\nok\n')]));
    assert.deepEqual(lines, ['ok']);
    assert.deepEqual(drops, ['invalid-utf8']);
  });

  it('drops a truncated final line when the stream ends', () => {
    const { decoder: d, lines, drops } = decoder();
    d.push(bytes('whole\nhalf'));
    d.end();
    assert.deepEqual(lines, ['whole']);
    assert.deepEqual(drops, ['truncated']);
  });

  it('ignores everything after stop(), even within the same chunk', () => {
    const lines: string[] = [];
    const d: LineDecoder = new LineDecoder({
      line: (text) => {
        lines.push(text);
        d.stop();
      },
      drop: () => assert.fail('nothing should be dropped'),
    });
    d.push(bytes('first\nsecond\nthird'));
    d.end();
    assert.deepEqual(lines, ['first']);
  });
});
