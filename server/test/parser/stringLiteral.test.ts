import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeStringLiteral } from '../../src/parser/stringLiteral';

describe('string literal decoding', () => {
  it('decodes quotes, prefixes and escapes', () => {
    const cases: [string, string | undefined][] = [
      [`"__main__"`, '__main__'],
      [`'spawn'`, 'spawn'],
      [`"""a\nb"""`, 'a\nb'],
      [`u"x"`, 'x'],
      [`r"a\\n"`, 'a\\n'],
      [`"a\\n\\t\\\\"`, 'a\n\t\\'],
      [`"\\x41\\u00e9\\101"`, 'Aé' + 'A'],
      [`"\\N{BULLET}"`, undefined],
      [`f"{x}"`, undefined],
      [`"unterminated`, undefined],
    ];
    for (const [token, value] of cases) assert.equal(decodeStringLiteral(token).value, value, token);
  });

  it('reports bytes and f-strings', () => {
    assert.equal(decodeStringLiteral(`b"x"`).isBytes, true);
    assert.equal(decodeStringLiteral(`rb"x"`).isBytes, true);
    assert.equal(decodeStringLiteral(`Rf"x"`).isFormat, true);
  });
});
