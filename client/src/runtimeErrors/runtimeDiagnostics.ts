// Runtime errors in the editor: when a process or a Pool task of the newest run or debug session
// raises, an Error diagnostic marks the raising line in the user's file and the `def` of the
// function it ran (source "mpscope (runtime)"). A new run or debug session starts them afresh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeTracker } from '../model/changes';
import type { Model } from '../model/model';
import { isEvent } from '../model/recording';
import { resolveSitePath } from '../commands/sitePath';
import { Throttle } from '../views/refreshPlan';
import { FailureLocation, failureLocations, groupLocations, isLibraryPath, RuntimeFailure, SourceAccess, SourceSpot } from './failureLocations';
import { processFailures, taskFailure } from './sessionFailures';

export const RUNTIME_DIAGNOSTIC_SOURCE = 'mpscope (runtime)';

const UPDATE_INTERVAL_MS = 250;
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
/** Task failures kept per session: they are grouped by raising line, so more add nothing new to show. */
const MAX_TASK_FAILURES = 1000;

export class RuntimeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mpscope-runtime');
  private readonly tracker: ChangeTracker;
  private readonly throttle: Throttle;
  private readonly unsubscribe: () => void;
  /** Sessions seen so far: a session not in here is new. */
  private readonly known = new Set<string>();
  /** The session whose failures are shown. */
  private current: string | undefined;
  /** Task failures of the current session, and how far its recording was read. */
  private taskFailures: RuntimeFailure[] = [];
  private readRecorded = 0;
  /** How many processes of the current session had raised at the last render. */
  private renderedProcessExceptions = 0;

  constructor(private readonly model: Model) {
    this.tracker = model.createChangeTracker();
    this.throttle = new Throttle(() => this.update(), UPDATE_INTERVAL_MS);
    this.unsubscribe = model.onDidChange(() => this.throttle.request());
    for (const session of model.sessions()) {
      this.known.add(session.id);
    }
  }

  dispose(): void {
    this.throttle.dispose();
    this.unsubscribe();
    this.tracker.dispose();
    this.collection.dispose();
  }

  private update(): void {
    const changes = this.tracker.take();
    let dirty = false;
    if (changes.sessionList) {
      for (const session of this.model.sessions()) {
        if (!this.known.has(session.id)) {
          this.known.add(session.id);
          // A saved session replays an old run: it does not replace the newest run's errors.
          if (session.kind !== 'replay') {
            this.current = session.id;
            this.taskFailures = [];
            this.readRecorded = 0;
            this.renderedProcessExceptions = 0;
            dirty = true;
          }
        }
      }
      if (this.current !== undefined && !this.model.session(this.current)) {
        this.current = undefined; // cleared from the Processes view
        dirty = true;
      }
    }
    const id = this.current;
    if (id !== undefined) {
      dirty = this.readTaskFailures(id) || dirty;
      // A process that changed matters only when it brought an exception: a busy pool changes its
      // workers' counters all the time, and each render reads the failing files again.
      const session = this.model.session(id);
      if (session && (changes.sessions.has(id) || (changes.processes.get(id)?.size ?? 0) > 0)) {
        const processExceptions = processFailures(session).length;
        dirty ||= processExceptions !== this.renderedProcessExceptions;
        this.renderedProcessExceptions = processExceptions;
      }
    }
    if (dirty) {
      this.render();
    }
  }

  /** Reads what the session received since the last look; true when a task failure was among it. */
  private readTaskFailures(id: string): boolean {
    const session = this.model.session(id);
    const items = this.model.recording(id)?.items ?? [];
    let found = false;
    for (; session && this.readRecorded < items.length; this.readRecorded++) {
      const item = items[this.readRecorded];
      const failure = isEvent(item) ? taskFailure(item, session) : undefined;
      if (failure && this.taskFailures.length < MAX_TASK_FAILURES) {
        this.taskFailures.push(failure);
        found = true;
      }
    }
    return found;
  }

  private render(): void {
    this.collection.clear();
    const session = this.current === undefined ? undefined : this.model.session(this.current);
    if (!session) {
      return;
    }
    const source = workspaceSource();
    const locations = groupLocations([...processFailures(session), ...this.taskFailures].flatMap((failure) => failureLocations(failure, source)));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const location of locations) {
      const diagnostics = byFile.get(location.file) ?? [];
      diagnostics.push(toDiagnostic(location));
      byFile.set(location.file, diagnostics);
    }
    for (const [file, diagnostics] of byFile) {
      this.collection.set(vscode.Uri.file(file), diagnostics);
    }
  }
}

function rangeOf(spot: SourceSpot): vscode.Range {
  return new vscode.Range(spot.line - 1, spot.startColumn, spot.line - 1, spot.endColumn);
}

function toDiagnostic(location: FailureLocation): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(rangeOf(location), location.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = RUNTIME_DIAGNOSTIC_SOURCE;
  diagnostic.code = location.kind === 'raise' ? 'raised' : 'failed';
  // The raising line and the function's def point at each other.
  if (location.partner) {
    diagnostic.relatedInformation = [
      new vscode.DiagnosticRelatedInformation(
        new vscode.Location(vscode.Uri.file(location.partner.file), rangeOf(location.partner)),
        location.kind === 'raise' ? 'in this function' : 'raised here',
      ),
    ];
  }
  return diagnostic;
}

/** The user's files are the workspace's (libraries excepted); any file when no folder is open. */
function workspaceSource(): SourceAccess {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
  const cache = new Map<string, readonly string[] | undefined>();
  return {
    resolve: (file, cwd) => resolveSitePath(file, cwd),
    isUserFile: (file) => !isLibraryPath(file) && (folders.length === 0 || folders.some((folder) => isInside(file, folder))),
    readLines: (file) => {
      if (!cache.has(file)) {
        cache.set(file, readLines(file));
      }
      return cache.get(file);
    },
  };
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative.length > 0 && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function readLines(file: string): readonly string[] | undefined {
  try {
    if (fs.statSync(file).size > MAX_SOURCE_BYTES) {
      return undefined;
    }
    return fs.readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}
