"""Overhead of mpscope's hooks on multiprocessing work (a benchmark: prints a table, asserts nothing).

    python3 runtime/bench/overhead.py [--rounds N] [--python PYTHON] [CASE...]
    npm run bench:runtime

Each round runs every case twice, in a fresh interpreter: plainly, and under
``python -m mpscope run`` (hooks in every process, events to the launcher's
collector); the order alternates between rounds so drift hits both alike.
Each workload times only its own work (``workloads.py``). The table shows the
median of the rounds and the overhead of the medians against the goal:

    pool_map  Pool(2).map of 20,000 tiny tasks, chunksize 1     goal <= 3 %
    spawn     20 x spawn Process start + join                   goal <= 5 %
    fork      50 x fork Process start + join                    goal <= 10 %
    queue     100,000 Queue put/get between two processes       goal <= 5 %

The machine's load average is printed before and after: on a busy machine the
figures drift; compare runs made on a quiet one. mpscope's bytecode is compiled
first (``compileall``), as it is after a first run wherever ``__pycache__`` is
writable: without it every hooked process would compile the runtime again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.dirname(HERE)
WORKLOADS = os.path.join(HERE, "workloads.py")

GOALS = {"pool_map": 3.0, "spawn": 5.0, "fork": 10.0, "queue": 5.0}
DESCRIPTIONS = {
    "pool_map": "Pool.map, 20,000 tiny tasks (chunksize 1)",
    "spawn": "20 x spawn start+join",
    "fork": "50 x fork start+join",
    "queue": "100,000 Queue put/get, 2 processes",
}


def clean_env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("MPSCOPE_") and k != "PYTHONPATH"}


def measure(python: str, case: str, hooked: bool) -> float:
    env = clean_env()
    command = [python]
    if hooked:
        env["PYTHONPATH"] = RUNTIME
        command += ["-m", "mpscope", "run", "--no-summary"]
    command += [WORKLOADS, case]
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600,
                            universal_newlines=True)
    if result.returncode != 0:
        raise SystemExit("%s (%s) failed:\n%s" % (case, "hooked" if hooked else "plain", result.stderr))
    return float(result.stdout.strip().splitlines()[-1])


def load() -> str:
    try:
        return "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "unknown"


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="hooked vs. plain multiprocessing workloads")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("cases", nargs="*", default=list(GOALS))
    args = parser.parse_args(argv)
    # Every hooked process imports mpscope: measure with its bytecode cached, as after a first
    # run (a PYTHONDONTWRITEBYTECODE environment would otherwise compile it in every process).
    subprocess.run([args.python, "-m", "compileall", "-q", os.path.join(RUNTIME, "mpscope"),
                    os.path.join(RUNTIME, "bootstrap")], env=clean_env(), check=True)
    version = subprocess.run([args.python, "-c", "import sys; print(sys.version.split()[0])"], env=clean_env(),
                             stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
    print("python %s (%s), %d rounds, %d cpus, load average before: %s" % (
        version, args.python, args.rounds, os.cpu_count() or 0, load()), flush=True)
    times: Dict[str, Dict[bool, List[float]]] = {case: {False: [], True: []} for case in args.cases}
    for index in range(args.rounds):
        for case in args.cases:
            order = (False, True) if index % 2 == 0 else (True, False)
            for hooked in order:
                times[case][hooked].append(measure(args.python, case, hooked))
        print("round %d/%d done" % (index + 1, args.rounds), flush=True)
    rows = [["case", "plain (median)", "hooked (median)", "overhead", "goal", "spread plain / hooked"]]
    for case in args.cases:
        plain = statistics.median(times[case][False])
        hooked = statistics.median(times[case][True])
        overhead = (hooked / plain - 1.0) * 100.0
        goal = GOALS.get(case)
        verdict = "" if goal is None else ("<= %g %% %s" % (goal, "ok" if overhead <= goal else "MISSED"))
        spread = "%.0f %% / %.0f %%" % (spread_percent(times[case][False]), spread_percent(times[case][True]))
        rows.append([DESCRIPTIONS.get(case, case), "%.3f s" % plain, "%.3f s" % hooked, "%+.1f %%" % overhead, verdict,
                     spread])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for number, row in enumerate(rows):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if number == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\nspread: (slowest - fastest round) / median, per column; an overhead well inside the")
    print("plain spread is within this machine's round-to-round drift, not a measured cost.")
    print("load average after: %s" % load())
    return 0


def spread_percent(values: List[float]) -> float:
    median = statistics.median(values)
    return (max(values) - min(values)) / median * 100.0 if median > 0 else 0.0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
