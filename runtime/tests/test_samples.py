"""Samples are documentation too: each says what it shows in a one-line docstring."""

import ast
import os
import unittest

from tests.support import SAMPLES


class SamplesTest(unittest.TestCase):
    def test_every_sample_has_a_one_line_docstring(self):
        names = sorted(n for n in os.listdir(SAMPLES) if n.endswith(".py"))
        self.assertGreaterEqual(len(names), 5)
        for name in names:
            with self.subTest(sample=name):
                with open(os.path.join(SAMPLES, name), encoding="utf-8") as handle:
                    docstring = ast.get_docstring(ast.parse(handle.read()))
                self.assertTrue(docstring, "no docstring")
                self.assertEqual(len(docstring.splitlines()), 1, docstring)


if __name__ == "__main__":
    unittest.main()
