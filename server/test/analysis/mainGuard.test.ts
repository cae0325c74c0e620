import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainGuardBranches } from '../../src/analysis';
import { parseSource } from '../../src/parser';

function branches(test: string): [boolean, boolean] {
  const statement = parseSource(`if ${test}:\n    pass\n`).module.body.statements[0];
  assert.ok(statement.kind === 'If');
  const result = mainGuardBranches(statement.test);
  return [result.bodyRunsOnlyAsMain, result.orElseRunsOnlyAsMain];
}

describe('main guard recognition', () => {
  const cases: [string, [boolean, boolean]][] = [
    [`__name__ == "__main__"`, [true, false]],
    [`"__main__" == __name__`, [true, false]],
    [`__name__ == '__main__'`, [true, false]],
    [`(__name__ == "__main__")`, [true, false]],
    [`__name__ != "__main__"`, [false, true]],
    [`"__main__" != __name__`, [false, true]],
    [`not __name__ == "__main__"`, [false, true]],
    [`__name__ == "__main__" and debug`, [true, false]],
    [`debug and __name__ == "__main__"`, [true, false]],
    [`__name__ == "__main__" or debug`, [false, false]],
    [`__name__ != "__main__" or debug`, [false, true]],
    [`__name__ != "__main__" and debug`, [false, false]],
    [`__name__ == "__mp_main__"`, [false, false]],
    [`__name__ == b"__main__"`, [false, false]],
    [`__file__ == "__main__"`, [false, false]],
    [`__name__ is "__main__"`, [false, false]],
  ];
  for (const [test, expected] of cases) {
    it(`if ${test}`, () => assert.deepEqual(branches(test), expected));
  }
});
