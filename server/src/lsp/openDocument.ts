// One document the client has open: its text (kept in sync with incremental changes), the
// incremental parser that re-uses the previous tree for the unchanged parts, and what the
// analysis of the previous version keeps for the next (the facts of unchanged statements).

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { AnalysisCache, ModuleAnalysis, type ModuleIdentity } from '../analysis';
import { IncrementalParser, type SourceFile } from '../parser';

export class OpenDocument {
  private document: TextDocument;
  private readonly parser = new IncrementalParser();
  private readonly analyses = new AnalysisCache();

  constructor(uri: string, languageId: string, version: number, text: string) {
    this.document = TextDocument.create(uri, languageId, version, text);
  }

  get uri(): string {
    return this.document.uri;
  }

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  /** Applies the changes of one didChange notification, in order. */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) {
        const from = this.document.offsetAt(change.range.start);
        const to = this.document.offsetAt(change.range.end);
        this.parser.edit(from, to, change.text.length);
      } else {
        this.parser.reset();
      }
      this.document = TextDocument.update(this.document, [change], version);
    }
  }

  /** The parsed current text (parsed at most once per version). */
  source(): SourceFile {
    return this.parser.parse(this.document.getText());
  }

  /** A fresh analysis of the current text, re-using what the analysis of earlier versions found where it still holds. */
  analysis(identity: ModuleIdentity | undefined): ModuleAnalysis {
    return new ModuleAnalysis(this.source(), identity, this.analyses);
  }
}
