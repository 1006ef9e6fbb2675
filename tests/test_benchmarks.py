"""Every benchmark runs in its quick mode, so none can rot unseen: a benchmark that no longer runs on the code as it
is (a generated file the loader now refuses, a page heading it waits for that changed) fails here. The scripts are
found, not listed: a new benchmark is smoke-tested without anyone editing this file. Times are printed by the
benchmarks and never asserted (a shared machine's speed varies); only that each one runs and reports figures — as
`python benchmarks/run.py --quick`, `python benchmarks/load.py --quick` and every other script here do."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _runs_as_a_script(path: Path) -> bool:
    """A benchmark is a script with a `__main__` guard; the modules it imports (the protocol client) are not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in tree.body)


SCRIPTS = sorted(p for p in BENCHMARKS.glob("*.py") if _runs_as_a_script(p))


def test_the_benchmarks_are_found():
    assert SCRIPTS, f"no benchmark script found in {BENCHMARKS}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_every_benchmark_accepts_quick_and_says_so_in_its_help(script):
    help_text = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120, cwd=BENCHMARKS.parent
    )
    assert help_text.returncode == 0, help_text.stderr
    assert "--quick" in help_text.stdout, f"{script.name} has no --quick mode for CI's smoke test"


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_every_benchmark_runs_in_its_quick_mode_and_prints_figures(script, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDASH_")}
    env["SMARTDASH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.db'}"  # each benchmark makes its own stores
    run = subprocess.run(
        [sys.executable, str(script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=BENCHMARKS.parent,
        env=env,
    )
    assert run.returncode == 0, f"{script.name} --quick failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    assert re.search(r"\d", run.stdout), f"{script.name} --quick printed no figure:\n{run.stdout[-2000:]}"
