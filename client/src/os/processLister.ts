// Runs the command that lists every process of the machine (`ps` on Linux and macOS, PowerShell
// on Windows) and parses its output (processList.ts).
import { execFile } from 'node:child_process';
import type { OsProcess } from '../model/osSnapshot';
import { parsePsOutput, parseWindowsProcessList, PS_ARGUMENTS, WINDOWS_POWERSHELL_ARGUMENTS } from './processList';

/** Lists every process of the machine. */
export type ProcessLister = () => Promise<OsProcess[]>;

const TIMEOUT_MS = 15_000;
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

export function systemProcessLister(platform: NodeJS.Platform = process.platform): ProcessLister {
  if (platform === 'win32') {
    return async () => parseWindowsProcessList(await run('powershell.exe', WINDOWS_POWERSHELL_ARGUMENTS));
  }
  return async () => {
    const output = await run('ps', PS_ARGUMENTS);
    return parsePsOutput(output, Date.now() / 1000);
  };
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      // The C locale keeps ps's columns and STAT letters as parsed here.
      { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout) => {
        // ps exits 1 on some systems when a process vanished while it read the table; the list is still good.
        if (error && !stdout) {
          reject(error);
        } else {
          resolve(stdout);
        }
      },
    );
  });
}
