"""Shared memory: a Value with its lock, an Array and a SharedMemory block written by child processes."""

import multiprocessing
import sys
from multiprocessing import shared_memory


def add(counter, squares, block_name, index):
    with counter.get_lock():
        counter.value += 1
    squares[index] = index * index
    block = shared_memory.SharedMemory(name=block_name)
    block.buf[index] = index + 1
    block.close()


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    counter = context.Value("i", 0)
    squares = context.Array("i", 4)
    block = shared_memory.SharedMemory(create=True, size=4)
    workers = [context.Process(target=add, args=(counter, squares, block.name, n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(counter.value, list(squares), list(block.buf[:4]))
    block.close()
    block.unlink()
