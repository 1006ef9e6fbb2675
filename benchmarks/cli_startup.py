"""Command-line start-up: `python -m smartdash --help` and a command's help that needs no data (median of N runs,
each a fresh process) beside the floor (`python -c pass`) and `python -c "import pandas"`, against the 0,4 s target.
Prints its figures; asserts nothing.

    python benchmarks/cli_startup.py [--runs 15] [--repo PATH] [--quick]

--repo runs the command line of another checkout (the figures before a change, e.g. the main worktree). The runs of
the four commands alternate, so a slower moment of a shared machine falls on all of them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.4


def commands(repo: Path) -> dict[str, tuple[list[str], Path]]:
    return {
        "python -c pass": ([sys.executable, "-c", "pass"], ROOT),
        'python -c "import pandas"': ([sys.executable, "-c", "import pandas"], ROOT),
        "python -m smartdash --help": ([sys.executable, "-m", "smartdash", "--help"], repo),
        "python -m smartdash revision --help": ([sys.executable, "-m", "smartdash", "revision", "--help"], repo),
        "python -m smartdash users add --help": ([sys.executable, "-m", "smartdash", "users", "add", "--help"], repo),
    }


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose command line runs (default: this one)")
    parser.add_argument("--quick", action="store_true", help="3 runs: a smoke test of the benchmark")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDASH_")}
    measured = commands(args.repo.resolve())
    times: dict[str, list[float]] = {name: [] for name in measured}
    for argv, cwd in measured.values():  # a first run of each outside the figures: files into the page cache
        timed(argv, cwd, env)
    for _ in range(runs):
        for name, (argv, cwd) in measured.items():
            times[name].append(timed(argv, cwd, env))
    floor = statistics.median(times["python -c pass"])
    bytecode = "not written (PYTHONDONTWRITEBYTECODE)" if sys.dont_write_bytecode else "cached"
    print(f"command-line start-up, median of {runs} runs, command line of {args.repo}; bytecode {bytecode}:")
    for name, values in times.items():
        median = statistics.median(values)
        verdict = ""
        if name.startswith("python -m smartdash"):
            verdict = f"  target ≤ {TARGET_S:.1f} s: {'met' if median <= TARGET_S else 'not met'}"
        print(f"  {name:<38} {median:6.3f} s  (+{median - floor:.3f} s over the floor; min {min(values):.3f}){verdict}")


if __name__ == "__main__":
    main()
