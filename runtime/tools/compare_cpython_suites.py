"""Never change the program: CPython's own multiprocessing suites, plain and with mpscope's hooks.

Runs ``test.test_multiprocessing_fork``, ``..._spawn`` and ``..._forkserver`` (each
sub-suite: processes, threads, manager, misc) once plainly and once under
``python -m mpscope run`` (hooks loaded in every process through the bootstrap,
events going to the launcher's collector), records each test's outcome, and prints
a table and every difference. A difference is then re-run on its own, several
times each way, to tell a flaky test (the machine's load) from one the hooks change.

    python3 runtime/tools/compare_cpython_suites.py                 # everything (~8 min on 2 cores)
    python3 runtime/tools/compare_cpython_suites.py --methods fork --suites processes
    python3 runtime/tools/compare_cpython_suites.py --python /path/to/python3.13 --json report.json

Sub-suites run in sequence, each with a timeout. Exit status: 0 when no difference
survives the re-runs, 1 otherwise, 2 on a usage error. Not part of ``npm test``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.dirname(HERE)
RUNNER = os.path.join(HERE, "cpython_suite_runner.py")
METHODS = ("fork", "spawn", "forkserver")
SUITES = ("processes", "threads", "manager", "misc")
PASSING = ("ok", "skip", "xfail")


def find_python() -> Optional[str]:
    """A working CPython 3.13: pyenv's, else python3.13 on PATH (pyenv's shims may not be usable)."""
    pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = sorted(glob.glob(os.path.join(pyenv, "versions", "3.13*", "bin", "python3")), reverse=True)
    on_path = shutil.which("python3.13")
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        try:
            probe = subprocess.run([candidate, "-c", "import sys, test.test_multiprocessing_spawn; print(sys.version_info[:2])"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True,
                                   env=clean_env(), timeout=60)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 13)":
            return candidate
    return None


def clean_env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("MPSCOPE_") and k != "PYTHONPATH"}


class Run:
    def __init__(self, outcomes: Dict[str, str], seconds: float, status: str) -> None:
        self.outcomes = outcomes
        self.seconds = seconds
        self.status = status  # "done", "timeout" or "crashed (rc N)"


def run_tests(python: str, name: str, hooked: bool, timeout: float, workdir: str, log: str, runtime: str = RUNTIME) -> Run:
    """Run the tests ``name`` (module or test id) in a fresh directory; outcomes by test id."""
    cwd = tempfile.mkdtemp(prefix="run-", dir=workdir)
    results = os.path.join(cwd, "results.json")
    env = clean_env()
    command = [python]
    if hooked:
        env["PYTHONPATH"] = runtime
        command += ["-m", "mpscope", "run", "--no-summary"]
    command += [RUNNER, name, results]
    started = time.monotonic()
    status = "done"
    with open(log, "ab") as out:
        out.write(("\n$ %s%s\n" % ("PYTHONPATH=%s " % runtime if hooked else "", " ".join(command))).encode())
        out.flush()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                   start_new_session=True)
        try:
            rc = process.wait(timeout)
            if rc != 0:
                status = "crashed (rc %d)" % rc
        except subprocess.TimeoutExpired:
            status = "timeout"
            try:
                os.killpg(process.pid, 9)
            except OSError:
                pass
            process.wait()
    seconds = time.monotonic() - started
    outcomes: Dict[str, str] = {}
    try:
        with open(results, encoding="utf-8") as handle:
            outcomes = json.load(handle)["outcomes"]
    except (OSError, ValueError, KeyError):
        pass
    shutil.rmtree(cwd, ignore_errors=True)
    return Run(outcomes, seconds, status)


def counts(outcomes: Dict[str, str]) -> Dict[str, int]:
    found: Dict[str, int] = {}
    for outcome in outcomes.values():
        found[outcome] = found.get(outcome, 0) + 1
    return found


def differences(plain: Dict[str, str], hooked: Dict[str, str]) -> List[Tuple[str, str, str]]:
    names = sorted(set(plain) | set(hooked))
    return [(n, plain.get(n, "missing"), hooked.get(n, "missing")) for n in names if plain.get(n) != hooked.get(n)]


def test_id_of(name: str) -> str:
    """The runnable test id of a subtest entry (``id (params)`` / ``id [msg]``)."""
    for opener in (" (", " ["):
        if opener in name:
            name = name.split(opener, 1)[0]
    return name


def format_counts(c: Dict[str, int]) -> str:
    return "%d/%d/%d/%d" % (c.get("ok", 0) + c.get("xfail", 0), c.get("fail", 0), c.get("error", 0), c.get("skip", 0))


def table(rows: List[List[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=None, help="the CPython 3.13 to test (default: python3.13 or pyenv's)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated start methods")
    parser.add_argument("--suites", default=",".join(SUITES), help="comma-separated sub-suites")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per sub-suite run (default 1800)")
    parser.add_argument("--reruns", type=int, default=3, help="re-runs of each differing test, each way (default 3)")
    parser.add_argument("--json", dest="json_path", default=None, help="also write the report as JSON")
    parser.add_argument("--runtime", default=RUNTIME, help="the runtime directory to test (default: this checkout's)")
    parser.add_argument("--keep", default=None, help="directory for logs (default: a temporary one, printed)")
    args = parser.parse_args(argv)
    python = args.python or find_python()
    if not python:
        parser.error("no python3.13 found; pass --python")
    methods = [m for m in args.methods.split(",") if m]
    suites = [s for s in args.suites.split(",") if s]
    workdir = args.keep or tempfile.mkdtemp(prefix="mpscope-cpython-")
    os.makedirs(workdir, exist_ok=True)
    log = os.path.join(workdir, "tests.log")
    version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"], stdout=subprocess.PIPE,
                             universal_newlines=True, env=clean_env()).stdout.strip()
    print("CPython %s (%s); logs in %s" % (version, python, log), flush=True)

    rows = [["suite", "tests", "plain ok/fail/err/skip", "hooked ok/fail/err/skip", "plain s", "hooked s", "differences"]]
    report: Dict[str, object] = {"python": python, "version": version, "suites": []}
    all_diffs: List[Tuple[str, str, str, str]] = []
    for method in methods:
        for suite in suites:
            module = "test.test_multiprocessing_%s.test_%s" % (method, suite)
            plain = run_tests(python, module, False, args.timeout, workdir, log)
            hooked = run_tests(python, module, True, args.timeout, workdir, log, args.runtime)
            diffs = differences(plain.outcomes, hooked.outcomes)
            label = "%s.test_%s" % (method, suite)
            status = "" if plain.status == hooked.status == "done" else " (plain %s, hooked %s)" % (plain.status, hooked.status)
            rows.append([label, str(len(plain.outcomes)), format_counts(counts(plain.outcomes)),
                         format_counts(counts(hooked.outcomes)), "%.0f" % plain.seconds, "%.0f" % hooked.seconds,
                         str(len(diffs)) + status])
            print("%-28s plain %s in %.0fs, hooked %s in %.0fs, %d difference(s)%s" % (
                label, format_counts(counts(plain.outcomes)), plain.seconds, format_counts(counts(hooked.outcomes)),
                hooked.seconds, len(diffs), status), flush=True)
            report["suites"].append({"suite": label, "plain": plain.outcomes, "hooked": hooked.outcomes,  # type: ignore[attr-defined]
                                     "plain_status": plain.status, "hooked_status": hooked.status,
                                     "plain_seconds": plain.seconds, "hooked_seconds": hooked.seconds})
            all_diffs.extend((label, name, a, b) for name, a, b in diffs)

    print()
    print(table(rows))
    confirmed = []
    if all_diffs:
        print("\nDifferences (plain -> hooked), each re-run %d times both ways:" % args.reruns)
        rerun_done: Dict[str, Tuple[List[str], List[str]]] = {}
        for label, name, before, after in all_diffs:
            test_id = test_id_of(name)
            if test_id not in rerun_done:
                plain_runs, hooked_runs = [], []
                for _ in range(args.reruns):
                    plain_runs.append(run_tests(python, test_id, False, args.timeout, workdir, log).outcomes.get(test_id, "missing"))
                    hooked_runs.append(run_tests(python, test_id, True, args.timeout, workdir, log, args.runtime).outcomes.get(test_id, "missing"))
                rerun_done[test_id] = (plain_runs, hooked_runs)
            plain_runs, hooked_runs = rerun_done[test_id]
            # Caused by the hooks only if the hooked runs fail where the plain ones all pass.
            verdict = "flaky (not the hooks)"
            if all(o in PASSING for o in plain_runs) and any(o not in PASSING for o in hooked_runs):
                verdict = "CHANGED BY THE HOOKS"
                confirmed.append(name)
            print("  %s: %s -> %s; re-runs plain %s, hooked %s: %s" % (name, before, after, ",".join(plain_runs),
                                                                         ",".join(hooked_runs), verdict))
        report["reruns"] = {k: {"plain": v[0], "hooked": v[1]} for k, v in rerun_done.items()}
    report["confirmed"] = confirmed
    incomplete = [s["suite"] for s in report["suites"]  # type: ignore[attr-defined]
                  if s["plain_status"] != "done" or s["hooked_status"] != "done" or not s["plain"]]
    report["incomplete"] = incomplete
    if incomplete:
        print("\nincomplete runs (crashed, timed out or no tests): %s" % ", ".join(incomplete))
    total_plain = sum(len(s["plain"]) for s in report["suites"])  # type: ignore[attr-defined,index]
    print("\n%d tests per mode; %d difference(s) in the full runs; %d confirmed by re-runs" % (
        total_plain, len(all_diffs), len(confirmed)))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1, sort_keys=True)
    return 1 if confirmed or incomplete else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
