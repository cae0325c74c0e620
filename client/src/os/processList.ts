// The operating system's process list as text, turned into records: pid, parent pid, state
// letters and command name of every process. Pure parsers (unit-tested with captured output);
// processLister.ts runs the commands.
//
// Why not ps-tree's own walk: it reads `ps` once and keeps a process only when its parent was
// already kept, so a descendant listed before its parent (pids wrap around; reparented orphans)
// is missed, and on Windows it runs `wmic`, which Windows 11 24H2 no longer ships. mpscope reads
// the whole list and walks it itself (see model/osSnapshot.ts).
import type { OsProcess } from '../model/osSnapshot';

export type { OsProcess };

/**
 * `ps` arguments that work with procps (Linux), BSD and macOS: every process, no header,
 * columns pid, ppid, stat, elapsed time, command name. The command name is last because it may
 * hold spaces.
 */
export const PS_ARGUMENTS: readonly string[] = ['-A', '-o', 'pid=,ppid=,stat=,etime=,comm='];

const PS_LINE = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+((?:\d+-)?(?:\d+:)?\d+:\d+)(?:\s+(.*?))?\s*$/;

/**
 * Lines of `ps -A -o pid=,ppid=,stat=,etime=,comm=`, read at `now` (seconds since the epoch: the
 * start times are `now` minus the elapsed times). Lines that do not parse are skipped.
 */
export function parsePsOutput(text: string, now: number): OsProcess[] {
  const processes: OsProcess[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = PS_LINE.exec(line);
    if (!match) {
      continue;
    }
    const elapsed = parseElapsed(match[4]);
    const entry: OsProcess = {
      pid: Number(match[1]),
      ppid: Number(match[2]),
      stat: match[3] === '-' ? '' : match[3],
      command: match[5] ?? '',
    };
    processes.push(elapsed === undefined ? entry : { ...entry, startedAt: Math.round(now - elapsed) });
  }
  return processes;
}

/** `ps` etime, `[[dd-]hh:]mm:ss`, in seconds. */
export function parseElapsed(text: string): number | undefined {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, days, hours, minutes, seconds] = match;
  return ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes)) * 60 + Number(seconds);
}

/**
 * PowerShell (Windows PowerShell 5.1 and pwsh) script printing `pid<TAB>ppid<TAB>start<TAB>name`
 * per process (start in seconds since the epoch, empty when unknown), UTF-8. Get-CimInstance
 * replaces `wmic`, which recent Windows versions removed.
 */
export const WINDOWS_PROCESS_SCRIPT = [
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  'Get-CimInstance -ClassName Win32_Process | ForEach-Object { ' +
    '$start = if ($_.CreationDate) { ([DateTimeOffset]$_.CreationDate).ToUnixTimeSeconds() } else { \'\' }; ' +
    '"$($_.ProcessId)`t$($_.ParentProcessId)`t$start`t$($_.Name)" }',
].join('; ');

export const WINDOWS_POWERSHELL_ARGUMENTS: readonly string[] = ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_PROCESS_SCRIPT];

/** Output of WINDOWS_PROCESS_SCRIPT. Windows has no zombie state: `stat` is empty. */
export function parseWindowsProcessList(text: string): OsProcess[] {
  const processes: OsProcess[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const [pid, ppid, start, ...name] = line.split('\t');
    if (name.length === 0 || !/^\d+$/.test(pid.trim()) || !/^\d+$/.test(ppid.trim()) || !/^\d*$/.test(start.trim())) {
      continue;
    }
    const entry: OsProcess = { pid: Number(pid), ppid: Number(ppid), stat: '', command: name.join('\t').trim() };
    processes.push(start.trim() === '' ? entry : { ...entry, startedAt: Number(start) });
  }
  return processes;
}
