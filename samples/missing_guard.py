"""Starts a Process at module level without the main guard (MP001). Works with fork; spawn and forkserver fail."""

import multiprocessing


def work():
    print("working", flush=True)


process = multiprocessing.Process(target=work)
process.start()
process.join()
