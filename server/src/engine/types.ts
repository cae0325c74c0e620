// What the engine hands to its users (the language server, the CLI, tests). Ranges are
// 0-based lines and UTF-16 characters, the same shape as LSP's, so the server passes them on
// unchanged and the CLI adds 1.

import type { Position } from '../parser';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** `quickfix` repairs the code; `suppression` silences the finding with a comment. */
  readonly kind: 'quickfix' | 'suppression';
  readonly isPreferred: boolean;
  readonly edits: readonly TextEdit[];
}

export interface Finding {
  /** Rule id, e.g. `MP001`. */
  readonly code: string;
  /** Rule name, e.g. `missing-main-guard`. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  /** The same place as `range`, as offsets into the text. */
  readonly offsets: { readonly from: number; readonly to: number };
  readonly fixes: readonly Fix[];
}
