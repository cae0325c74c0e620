// mpscope.exportTrace: writes a session as a Chrome / Perfetto trace (JSON trace events) that
// ui.perfetto.dev, chrome://tracing and other trace viewers open.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import { buildTimeline, TaskSource } from '../timeline/timeline';
import { timelineToTrace, traceJsonChunks } from '../timeline/traceExport';
import { chooseSession } from './chooseSession';
import { fileStem } from './sessionArguments';
import { errorText, suggestedUri, writeChunks } from './textFiles';

export const EXPORT_TRACE_COMMAND = 'mpscope.exportTrace';

/** Arguments as for saveSession: a session (node or id) and an optional target Uri. */
export async function exportTrace(
  model: Model,
  tasks: TaskSource,
  session: unknown,
  target: unknown,
  selected: () => unknown,
): Promise<vscode.Uri | undefined> {
  const chosen = await chooseSession(model, session, { purpose: 'Export Trace', selected });
  if (!chosen) {
    return undefined;
  }
  const uri =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          title: `mpscope: Export "${chosen.label}" as a Chrome/Perfetto Trace`,
          defaultUri: suggestedUri(`${fileStem(chosen.label)}.trace.json`),
          filters: { 'Chrome/Perfetto trace (JSON)': ['json'] },
          saveLabel: 'Export Trace',
        });
  if (!uri) {
    return undefined;
  }
  const trace = timelineToTrace(buildTimeline(chosen, tasks), {
    now: chosen.endedAt ?? Date.now() / 1000,
    exportedBy: 'mpscope (VS Code)',
  });
  try {
    await writeChunks(uri, traceJsonChunks(trace));
  } catch (error) {
    void vscode.window.showErrorMessage(`mpscope: could not write the trace to ${uri.fsPath}: ${errorText(error)}`);
    return undefined;
  }
  void vscode.window.showInformationMessage(
    `mpscope: exported ${trace.traceEvents.length.toLocaleString('en-US')} trace events of "${chosen.label}" to ${path.basename(uri.fsPath)}. Open it in ui.perfetto.dev or chrome://tracing.`,
  );
  return uri;
}
