// The `mpscope.runtime.*` settings as MPSCOPE_OPTIONS keys (runtime/mpscope/options.py). Only
// settings changed from their defaults are passed on, so a user who sets MPSCOPE_OPTIONS in the
// environment or a launch configuration keeps it unless the setting says otherwise.

import type { RuntimeOptions } from './sessionServer';

/** What the settings are read through: `vscode.WorkspaceConfiguration` fits, and so does a test's map. */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

const DEFAULT_TASK_THRESHOLD_MS = 1;
const DEFAULT_WAIT_THRESHOLD_MS = 1000;

function milliseconds(value: unknown, fallback: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value !== fallback ? value : undefined;
}

/** The runtime options the settings under `mpscope.runtime` ask for. */
export function runtimeOptionsFromSettings(settings: SettingsReader): RuntimeOptions {
  const options: { -readonly [K in keyof RuntimeOptions]: RuntimeOptions[K] } = {};
  if (settings.get<unknown>('captureArguments') === true) options.capture_args = true;
  const taskThreshold = milliseconds(settings.get<unknown>('taskThresholdMs'), DEFAULT_TASK_THRESHOLD_MS);
  if (taskThreshold !== undefined) options.task_threshold_ms = taskThreshold;
  if (settings.get<unknown>('taskDetail') === 'full') options.task_detail = 'full';
  const waitThreshold = milliseconds(settings.get<unknown>('waitThresholdMs'), DEFAULT_WAIT_THRESHOLD_MS);
  if (waitThreshold !== undefined) options.wait_threshold_ms = waitThreshold;
  return options;
}
