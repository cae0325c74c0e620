# A stray indented line has no known place in the program: nothing is decided about it.
import multiprocessing as mp

x = 1
    stray = mp.Pool(2)
y = mp.Pool(3)  # expect: MP001
