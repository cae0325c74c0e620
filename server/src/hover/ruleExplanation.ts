// What a hover over a diagnostic says about its rule: the rule's summary, plus the first
// paragraph of "Why is this bad?" from its page in docs/rules/ (one source for the web page and
// the editor). The pages ship next to the bundles (dist/../docs/rules); when they cannot be
// found, the hover still has the summary and the link.

import * as fs from 'node:fs';
import * as path from 'node:path';

let docsFolder: string | undefined | null = null;

/** docs/rules above the running file: dist/ in the package, out/server/src/… in tests. */
export function ruleDocsFolder(): string | undefined {
  if (docsFolder !== null) return docsFolder;
  docsFolder = undefined;
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'docs', 'rules');
    if (fs.existsSync(path.join(candidate, 'MP001.md'))) {
      docsFolder = candidate;
      break;
    }
    if (path.dirname(folder) === folder) break;
  }
  return docsFolder;
}

const cache = new Map<string, string | undefined>();

/** The first paragraph under the page's "Why…" heading, as one line of Markdown. */
export function ruleRationale(code: string): string | undefined {
  if (cache.has(code)) return cache.get(code);
  const folder = ruleDocsFolder();
  let rationale: string | undefined;
  if (folder !== undefined) {
    try {
      rationale = rationaleFromPage(fs.readFileSync(path.join(folder, `${code}.md`), 'utf8'));
    } catch {
      rationale = undefined;
    }
  }
  cache.set(code, rationale);
  return rationale;
}

export function rationaleFromPage(markdown: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const heading = lines.findIndex((line) => /^##\s+why\b/i.test(line));
  if (heading < 0) return undefined;
  const paragraph: string[] = [];
  for (const line of lines.slice(heading + 1)) {
    if (/^#/.test(line) || /^```/.test(line)) break;
    if (line.trim() === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line.trim());
  }
  return paragraph.length > 0 ? paragraph.join(' ') : undefined;
}
