// Colors for the canvas, read from the CSS variables VS Code defines in every webview
// (--vscode-*), so the chart follows the user's theme, high contrast included. Read again when
// the theme changes (VS Code swaps the body's class and the variables' values).
import type { ProcessState } from '../../../model/types';
import type { MarkerKind, TaskState } from '../../../timeline/timeline';

export interface Palette {
  readonly font: string;
  readonly foreground: string;
  readonly mutedForeground: string;
  readonly background: string;
  readonly grid: string;
  readonly stripe: string;
  readonly hover: string;
  readonly selection: string;
  readonly selectionForeground: string;
  readonly focus: string;
  readonly now: string;
  readonly state: Readonly<Record<ProcessState, string>>;
  readonly task: Readonly<Record<TaskState, string>>;
  readonly marker: Readonly<Record<MarkerKind, string>>;
  /** High contrast themes: outline bars instead of relying on fill colors alone. */
  readonly highContrast: boolean;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const variable = (name: string, fallback: string): string => style.getPropertyValue(`--vscode-${name}`).trim() || fallback;
  const foreground = variable('foreground', '#cccccc');
  const blue = variable('charts-blue', '#3794ff');
  const green = variable('charts-green', '#89d185');
  const red = variable('charts-red', '#f14c4c');
  const orange = variable('charts-orange', '#d18616');
  const yellow = variable('charts-yellow', '#cca700');
  const purple = variable('charts-purple', '#b180d7');
  const muted = variable('descriptionForeground', '#999999');
  const disabled = variable('disabledForeground', '#888888');
  const classes = document.body.classList;
  return {
    font: `${variable('font-size', '13px')} ${variable('font-family', 'sans-serif')}`,
    foreground,
    mutedForeground: muted,
    background: variable('editor-background', '#1e1e1e'),
    grid: variable('editorRuler-foreground', variable('panel-border', '#80808040')),
    stripe: variable('list-inactiveSelectionBackground', '#80808014'),
    hover: variable('list-hoverBackground', '#80808030'),
    selection: variable('list-activeSelectionBackground', '#094771'),
    selectionForeground: variable('list-activeSelectionForeground', foreground),
    focus: variable('focusBorder', blue),
    now: variable('editorCursor-foreground', blue),
    state: { starting: yellow, running: blue, exited: green, failed: red, killed: orange, lost: disabled, zombie: purple, orphan: yellow },
    task: { running: blue, done: purple, failed: red },
    marker: {
      'signal-sent': orange,
      'exit': green,
      'failed': red,
      'exception': red,
      'killed': orange,
      'lost': disabled,
      'runtime-error': yellow,
    },
    highContrast: classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light'),
  };
}

/** Calls `changed` whenever VS Code switches the theme. */
export function watchTheme(changed: () => void): void {
  new MutationObserver(changed).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
