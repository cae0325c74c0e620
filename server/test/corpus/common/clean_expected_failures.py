# Tests that run broken code on purpose, to see it raise, are not reported.
import multiprocessing as mp
import unittest

import pytest


def work(x):
    return x


class BrokenCallsTest(unittest.TestCase):
    def test_group_argument(self):
        with self.assertRaises(AssertionError):
            mp.Process(work)

    def test_args_not_iterable(self):
        with self.assertRaisesRegex(TypeError, "not iterable"):
            mp.Process(target=work, args=5)

    def test_queue_to_pool(self):
        queue = mp.Queue()
        with mp.Pool(2) as pool:
            with self.assertRaises(RuntimeError):
                pool.apply(work, (queue,))

    def test_lambda_to_pool(self):
        with mp.Pool(2) as pool:
            with pytest.raises(AttributeError):
                pool.map(lambda x: x, [1])

    def test_outside_the_block_still_counts(self):
        with self.assertRaises(AssertionError):
            mp.Process(work)
        return mp.Process(work)  # expect: MP006


if __name__ == "__main__":
    unittest.main()
