"""A child made with os.fork() by hand (not multiprocessing): it shows with role fork and its own exit record."""

import os
import sys

if __name__ == "__main__":
    if not hasattr(os, "fork"):
        sys.exit("os.fork() is not available on this platform")
    pid = os.fork()
    if pid == 0:
        print("the forked child runs", flush=True)
        os._exit(3)
    _, status = os.waitpid(pid, 0)
    print("child exit code:", os.WEXITSTATUS(status))
