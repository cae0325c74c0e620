// Markdown built from text the user's program controls (exception messages, names, paths). Every
// such piece is escaped so it renders as the literal text, never as links, images or HTML.

/** Backslash-escapes every ASCII punctuation character Markdown could give a meaning to. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&"'$:=]/g, '\\$&').replace(/\r?\n/g, '  \n');
}

/** A fenced code block that no backtick run inside `code` can close early. */
export function codeBlock(code: string, language = ''): string {
  let longestRun = 0;
  for (const run of code.match(/`+/g) ?? []) {
    longestRun = Math.max(longestRun, run.length);
  }
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}
