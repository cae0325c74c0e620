"""A producer outruns its consumer: queue counts and backlog, a get that waits, and items left in the queue at exit."""

import multiprocessing
import sys
import time


def produce(items, count):
    for number in range(count):
        items.put(number)


def consume(items, count, ready):
    ready.set()
    first = items.get()  # waits: the producer starts later
    for _ in range(count - 1):
        items.get()
        time.sleep(0.01)  # slower than the producer: the backlog grows
    print("consumer took", count, "items, the first was", first, flush=True)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    items = context.Queue()
    ready = context.Event()
    consumer = context.Process(target=consume, args=(items, 50, ready))
    consumer.start()
    ready.wait()
    time.sleep(1.5)  # the consumer's first get waits this long
    producer = context.Process(target=produce, args=(items, 60))
    producer.start()
    producer.join()
    consumer.join()
    print("left in the queue:", items.qsize() if sys.platform != "darwin" else "unknown")
