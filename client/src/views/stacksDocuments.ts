// Stack dumps open as read-only editors: documents of the `mpscope-stacks:` scheme whose text
// this provider holds (documents of a content provider cannot be edited). Frame lines link to
// the source line, as in a terminal traceback.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveSitePath } from '../commands/sitePath';
import { parseFrameLine } from '../stacks/stacksText';

export const STACKS_SCHEME = 'mpscope-stacks';

/** Documents kept; older ones say they are gone when reopened. */
const MAX_DOCUMENTS = 20;

export class StacksDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly texts = new Map<string, { readonly text: string; readonly cwd: string | null }>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly registrations: vscode.Disposable[];
  private counter = 0;

  constructor() {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(STACKS_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: STACKS_SCHEME }, this),
    ];
  }

  /** Stores a dump's text under a new URI and opens it; `cwd` resolves relative frame paths. */
  async open(title: string, text: string, cwd: string | null): Promise<vscode.Uri> {
    const safeTitle = title.replace(/[\\/:*?"<>|#%]/g, '_');
    const uri = vscode.Uri.from({ scheme: STACKS_SCHEME, path: `/${safeTitle}.txt`, query: String(++this.counter) });
    this.texts.set(uri.toString(), { text, cwd });
    while (this.texts.size > MAX_DOCUMENTS) {
      this.texts.delete(this.texts.keys().next().value as string);
    }
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString())?.text ?? 'This stack dump is no longer kept; dump the stacks again.\n';
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const cwd = this.texts.get(document.uri.toString())?.cwd ?? null;
    const links: vscode.DocumentLink[] = [];
    for (let index = 0; index < document.lineCount; index++) {
      const frame = parseFrameLine(document.lineAt(index).text);
      if (!frame) {
        continue;
      }
      const file = resolveSitePath(frame.file, cwd);
      if (!file || !path.isAbsolute(file)) {
        continue;
      }
      const target = vscode.Uri.file(file).with({ fragment: `L${frame.line}` });
      const link = new vscode.DocumentLink(new vscode.Range(index, frame.start, index, frame.end), target);
      link.tooltip = `Open ${path.basename(file)} at line ${frame.line}`;
      links.push(link);
    }
    return links;
  }

  dispose(): void {
    for (const registration of this.registrations) {
      registration.dispose();
    }
    this.changeEmitter.dispose();
    this.texts.clear();
  }
}
