import json
import math
import unittest

from mpscope import jsonline


class JsonLineTest(unittest.TestCase):
    def roundtrip(self, value):
        line = jsonline.encode_line(value)
        self.assertTrue(line.endswith(b"\n"))
        self.assertEqual(line.count(b"\n"), 1)
        line.decode("ascii")  # pure ASCII, so always valid UTF-8
        return json.loads(line)

    def test_matches_json_module(self):
        value = {"a": [1, 2.5, None, True, False, "x"], "b": {"c": -3}, "d": "quote \" back \\ nl \n tab \t"}
        self.assertEqual(self.roundtrip(value), value)
        self.assertEqual(jsonline.encode(value), json.dumps(value, separators=(",", ":")))

    def test_non_ascii_and_surrogates(self):
        text = "héllo ✓ 𝄞 \udcff"  # a lone surrogate, as surrogateescape produces for undecodable bytes
        self.assertEqual(self.roundtrip([text]), [text])

    def test_pure_python_quoter_agrees(self):
        for text in ("plain", "é✓𝄞", "\x00\x1f\x7f", "\udcff", '"\\/'):
            with self.subTest(text=text):
                self.assertEqual(json.loads(jsonline._quote_py(text)), text)

    def test_non_finite_floats_become_null(self):
        self.assertEqual(self.roundtrip([math.nan, math.inf, -math.inf]), [None, None, None])

    def test_tuples_and_odd_values(self):
        self.assertEqual(self.roundtrip({"t": (1, 2), 3: object.__name__}), {"t": [1, 2], "3": "object"})
        self.assertEqual(self.roundtrip({"o": object, (1, 2): 1}), {"o": str(object), "(1, 2)": 1})

    def test_c_and_python_encoders_agree(self):
        values = [
            {"v": 1, "kind": "process.created", "t": 1764240000.123456, "pid": 4711, "name": "Process-1",
             "argv": ["a", "é", "\udcff"], "nested": {"x": [None, True, False, -0.0, 10 ** 20, 1e-7]}},
            [],
            {},
            "",
        ]
        self.assertIsNotNone(jsonline._encode_c, "this CPython build has _json")
        for value in values:
            with self.subTest(value=value):
                out = []
                jsonline._encode(value, out)
                self.assertEqual(jsonline.encode(value), "".join(out))


if __name__ == "__main__":
    unittest.main()
