// Writing large generated text to a file the user chose, without holding it all in memory when
// the file is on this machine's disk, and through VS Code's file system otherwise.
import * as fs from 'node:fs';
import { once } from 'node:events';
import * as vscode from 'vscode';

/** Writes the chunks in order; returns the number of bytes written. */
export async function writeChunks(uri: vscode.Uri, chunks: Iterable<string>): Promise<number> {
  let bytes = 0;
  if (uri.scheme === 'file') {
    const stream = fs.createWriteStream(uri.fsPath, { encoding: 'utf8' });
    const failed = new Promise<never>((_, reject) => stream.once('error', reject));
    failed.catch(() => undefined);
    for (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      if (!stream.write(chunk)) {
        await Promise.race([once(stream, 'drain'), failed]);
      }
    }
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    return bytes;
  }
  const buffers = [...chunks].map((chunk) => Buffer.from(chunk, 'utf8'));
  const content = Buffer.concat(buffers);
  await vscode.workspace.fs.writeFile(uri, content);
  return content.length;
}

/** Where a save dialog starts: the workspace folder, with a suggested name. */
export function suggestedUri(fileName: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
