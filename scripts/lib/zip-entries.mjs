// Lists the file names in a .zip (a .vsix is one) from its central directory, so the package
// test needs neither `unzip` on the machine nor another dependency.
import * as fs from 'node:fs';

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
    names.push({ name: data.toString('utf8', offset + 46, offset + 46 + nameLength), size: uncompressedSize });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
