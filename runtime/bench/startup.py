"""Start-up cost of mpscope's hooks, measured (a benchmark: prints a table, asserts nothing).

    PYTHONPATH=runtime python3 runtime/bench/startup.py [--rounds N] [PYTHON...]

For each interpreter, the median wall time of a fresh process in these cases,
run interleaved so drift hits them all alike:

    plain             python -c pass
    bootstrap, off    sitecustomize on PYTHONPATH, MPSCOPE_ADDR unset
    hooks, no collector   MPSCOPE_ADDR points nowhere (connect fails fast)
    hooks, collector  hooks installed, hello sent to a live collector
    plain + mp        python -c "import multiprocessing"
    hooks + mp        the same with hooks (multiprocessing patched on import)

"eager" is what importing multiprocessing at start-up would add to every
hooked process: (plain + mp) - plain.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.dirname(HERE)
sys.path.insert(0, RUNTIME)

from mpscope.launcher.collector import Collector  # noqa: E402

CASES = (
    ("plain", "pass", False, None),
    ("bootstrap, off", "pass", True, None),
    ("hooks, no collector", "pass", True, "unix:/nonexistent/mpscope.sock"),
    ("hooks, collector", "pass", True, "live"),
    ("plain + mp", "import multiprocessing", False, None),
    ("hooks + mp", "import multiprocessing", True, "live"),
)


def main(argv: "list[str]") -> int:
    rounds = 40
    pythons = []
    index = 0
    while index < len(argv):
        if argv[index] == "--rounds":
            rounds = int(argv[index + 1])
            index += 2
            continue
        pythons.append(argv[index])
        index += 1
    pythons = pythons or [sys.executable]
    token = "0123456789abcdef" * 4
    collector = Collector(token, lambda event, line: None, lambda pid: None)
    live = collector.start()
    try:
        print("%-44s %s" % ("python", "  ".join("%18s" % name for name, _, _, _ in CASES)) + "  eager mp")
        for python in pythons:
            times: "dict[str, list[float]]" = {name: [] for name, _, _, _ in CASES}
            for _ in range(rounds):
                for name, code, bootstrap, address in CASES:
                    env = {k: v for k, v in os.environ.items() if not k.startswith(("MPSCOPE_", "PYTHON"))}
                    if bootstrap:
                        env["PYTHONPATH"] = os.path.join(RUNTIME, "bootstrap")
                    if address:
                        env["MPSCOPE_ADDR"] = live if address == "live" else address
                        env["MPSCOPE_TOKEN"] = token
                    started = time.perf_counter()
                    subprocess.run([python, "-c", code], env=env, check=True)
                    times[name].append(time.perf_counter() - started)
            medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
            base = medians["plain"]
            cells = []
            for name, _, _, _ in CASES:
                value = medians[name]
                cells.append("%18s" % ("%.1f ms" % value if name == "plain" else "%.1f (%+.1f)" % (value, value - base)))
            eager = medians["plain + mp"] - base
            print("%-44s %s  %+.1f ms" % (python, "  ".join(cells), eager))
    finally:
        collector.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
