"""Writes what its processes see (a variable, PYTHONPATH, sys.path) to the JSON file named by its argument; two children exit 0 and 3."""

# The debug-session tests launch it to check that mpscope keeps the user's environment.

import json
import multiprocessing
import os
import sys


def look():
    return {
        "pid": os.getpid(),
        "mark": os.environ.get("MPSCOPE_SAMPLE_MARK"),
        "pythonpath": os.environ.get("PYTHONPATH"),
        "sys_path": sys.path,
        "reporting": "MPSCOPE_ADDR" in os.environ,
    }


def child(queue, code):
    queue.put(look())
    sys.exit(code)


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    children = [multiprocessing.Process(target=child, args=(queue, code), name="exits-%d" % code) for code in (0, 3)]
    for process in children:
        process.start()
    seen = [queue.get(timeout=60) for _ in children]
    for process in children:
        process.join()
    report = sys.argv[1] if len(sys.argv) > 1 else "debug_env.json"
    with open(report, "w") as file:
        json.dump({"main": look(), "children": seen, "exitcodes": [process.exitcode for process in children]}, file)
