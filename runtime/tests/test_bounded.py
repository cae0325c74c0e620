import unittest

from mpscope.bounded import ELLIPSIS, clip, clip_middle, safe_repr, safe_str, utf16_length


class Unprintable:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __str__(self):
        raise RuntimeError("no str")


class BoundedTest(unittest.TestCase):
    def test_short_text_is_unchanged(self):
        self.assertEqual(clip("abc", 3), "abc")

    def test_clip_counts_utf16_units(self):
        text = "𝄞" * 10  # 20 UTF-16 units
        clipped = clip(text, 9)
        self.assertLessEqual(utf16_length(clipped), 9)
        self.assertTrue(clipped.endswith(ELLIPSIS))
        self.assertEqual(clipped, "𝄞" * 4 + ELLIPSIS)

    def test_clip_middle_keeps_both_ends(self):
        text = "HEAD" + "x" * 1000 + "TAIL"
        clipped = clip_middle(text, 100)
        self.assertLessEqual(len(clipped), 100)
        self.assertTrue(clipped.startswith("HEAD"))
        self.assertTrue(clipped.endswith("TAIL"))

    def test_safe_repr_survives_bad_objects(self):
        self.assertIn("Unprintable", safe_repr(Unprintable(), 100))
        self.assertEqual(safe_str(Unprintable(), 100), "<unprintable Unprintable>")
        recursive: list = []  # type: ignore[type-arg]
        recursive.append(recursive)
        self.assertLessEqual(len(safe_repr(recursive, 50)), 50)
        self.assertLessEqual(len(safe_repr(list(range(100000)), 200)), 200)
        self.assertLessEqual(len(safe_repr("y" * 100000, 64)), 64)


if __name__ == "__main__":
    unittest.main()
