// Lists the file names in a .zip (a .vsix is one) from its central directory, and reads one
// entry's contents, so the package test needs neither `unzip` on the machine nor another
// dependency.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryHeader = 0x02014b50;

export function zipEntries(file) {
  const data = fs.readFileSync(file);
  // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === endOfCentralDirectory) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${file} is not a zip archive (no end of central directory)`);
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (data.readUInt32LE(offset) !== centralDirectoryHeader) throw new Error(`${file}: corrupt central directory entry ${i}`);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const uncompressedSize = data.readUInt32LE(offset + 24);
    const method = data.readUInt16LE(offset + 10);
    const compressedSize = data.readUInt32LE(offset + 20);
    const localHeader = data.readUInt32LE(offset + 42);
    names.push({ name: data.toString('utf8', offset + 46, offset + 46 + nameLength), size: uncompressedSize, method, compressedSize, localHeader });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const localFileHeader = 0x04034b50;

/** The contents of the entry called `name` (stored or deflated, the two methods vsce writes). */
export function readZipEntry(file, name) {
  const entry = zipEntries(file).find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`${file} has no entry ${name}`);
  const data = fs.readFileSync(file);
  const at = entry.localHeader;
  if (data.readUInt32LE(at) !== localFileHeader) throw new Error(`${file}: corrupt local header of ${name}`);
  // The local header's own name and extra lengths may differ from the central directory's.
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const raw = data.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(raw);
  if (entry.method === 8) return zlib.inflateRawSync(raw);
  throw new Error(`${file}: ${name} uses compression method ${entry.method}`);
}
