"""Whether a process the run knows of is gone, asked of the operating system.

A process that dies before it says hello (a signal during its start-up, an
interpreter without mpscope's hooks) leaves no stream to close, so nothing
tells the launcher it ended; without asking, the launcher would wait its whole
quiet timeout at the end of the run and print it as still running.
"""

import os


def process_gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (no such process, or a zombie); False when it may still run."""
    if os.name != "posix" or pid <= 0:
        return False  # Windows: os.kill(pid, 0) would terminate the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # someone else's process: it exists
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    # Linux only; elsewhere a zombie counts as running until its parent reaps it.
    try:
        with open("/proc/%d/stat" % pid, "rb") as handle:
            stat = handle.read()
    except OSError:
        return False
    # "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ")".
    end = stat.rfind(b")")
    return end >= 0 and stat[end + 2:end + 3] == b"Z"
