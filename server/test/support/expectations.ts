// Inline expectations in corpus files: a trailing `# expect: MP001` (or `# expect: MP001, MP002`)
// says which findings start on that line. A file without any expects no findings at all.

const EXPECT = /#\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)\s*$/;

/** Sorted `line:code` entries (1-based lines), one per expected finding. */
export function expectedFindings(text: string): string[] {
  const expected: string[] = [];
  text.split(/\r\n|\n|\r/).forEach((line, index) => {
    const match = EXPECT.exec(line);
    if (!match) return;
    for (const code of match[1].split(',')) expected.push(`${index + 1}:${code.trim()}`);
  });
  return expected.sort();
}
