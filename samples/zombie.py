"""Two children end at once but their parent reaps them only 6 s later: meanwhile the OS lists them as zombies (POSIX)."""

import multiprocessing
import subprocess
import sys
import time


def finish_at_once():
    pass


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    python_child = context.Process(target=finish_at_once, name="quick")
    python_child.start()
    other_child = subprocess.Popen(["true"])
    time.sleep(6)  # neither join() nor wait() yet: both are zombies now
    python_child.join()
    other_child.wait()
    print("reaped:", python_child.exitcode, other_child.returncode)
