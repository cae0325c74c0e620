// Comments, error nodes and multi-line strings are gathered from lezer's raw tree storage in one
// pass (and, between incremental parses, taken over for the subtrees lezer re-used). The result
// must equal a plain walk over the tree with a cursor, on real code and on mangled code full of
// error nodes and f-strings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { collectLexicalInfo } from '../../src/parser/lexicalInfo';
import { CORPUS_DIR, filesUnder } from '../support/paths';
import { SeededRandom } from '../support/random';

/** The reference: every node in document order through a TreeCursor. */
function cursorWalk(tree: Tree, text: string): unknown {
  const comments: { from: number; to: number; text: string }[] = [];
  const errors: { from: number; to: number }[] = [];
  const multilineStrings: { from: number; to: number }[] = [];
  const cursor = tree.cursor();
  for (;;) {
    let enter = true;
    if (cursor.type.isError) {
      errors.push({ from: cursor.from, to: cursor.to });
    } else if (cursor.name === 'Comment') {
      comments.push({ from: cursor.from, to: cursor.to, text: text.slice(cursor.from, cursor.to) });
      enter = false;
    } else if (cursor.name === 'String' || cursor.name === 'FormatString') {
      if (/[\r\n]/.test(text.slice(cursor.from, cursor.to))) multilineStrings.push({ from: cursor.from, to: cursor.to });
      enter = cursor.name === 'FormatString';
    }
    if (enter && cursor.firstChild()) continue;
    while (!cursor.nextSibling()) {
      if (!cursor.parent()) return { comments, errors, multilineStrings };
    }
  }
}

const NOISE = ['(', ')', '[', '"', "'", '"""', 'f"{', '}"', '#', '\n', '\r\n', '\\', ':', '    ', 'def ', 'f"""{x # c\n}"""'];

describe('lexical facts of a tree', () => {
  const files = filesUnder(CORPUS_DIR, '.py');

  it('equal a cursor walk on the corpus', () => {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const tree = parser.parse(text);
      assert.deepEqual(collectLexicalInfo(tree, text), cursorWalk(tree, text), file);
    }
  });

  it('equal a cursor walk on mangled code', () => {
    const random = new SeededRandom(2718);
    for (let index = 0; index < 600; index++) {
      let text = fs.readFileSync(random.pick(files), 'utf8');
      for (let mutation = 0; mutation < 6; mutation++) {
        const at = random.int(text.length + 1);
        text = text.slice(0, at) + random.pick(NOISE) + text.slice(Math.min(text.length, at + random.int(8)));
      }
      const tree = parser.parse(text);
      assert.deepEqual(collectLexicalInfo(tree, text), cursorWalk(tree, text), `case ${index}:\n${text}`);
    }
  });
});
