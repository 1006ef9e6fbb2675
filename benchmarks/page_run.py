"""What one page run of the committee's moment costs the server, in-process: SQL statements and CPU seconds of the
login page, of the login itself (form submitted, password checked, then the overview), and of the overview shown to
a second member once the caches are warm, and of one more page run of a logged-in session. Statement counts and CPU
time hold while other work shares the machine; wall time does not, and is not printed.

    python benchmarks/page_run.py [--runs 5] [--postgres URL] [--profile 25]

--profile N prints, for each step, the N functions with the most cumulative time (cProfile, the script thread only).
Each figure is the median of --runs sessions; statements are counted by an SQLAlchemy event listener.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

PASSWORD = "mot de passe du banc d'essai"


class ScriptThread:
    """CPU seconds spent in the script thread's runs (AppTest runs the page in a thread of its own, and spends CPU of
    its own reading what the page sent: that is not the server's), optionally profiled."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        self.cpu, self.profile, original = 0.0, None, ScriptRunner._run_script

        def run(runner, *args, **kwargs):
            started, profile = time.thread_time(), self.profile
            if profile is not None:
                profile.enable()
            try:
                return original(runner, *args, **kwargs)
            finally:
                if profile is not None:
                    profile.disable()
                self.cpu += time.thread_time() - started

        ScriptRunner._run_script = run
        share_script_cache()


def share_script_cache() -> None:
    """A server compiles each page's script once (one ScriptCache per runtime); AppTest makes a new cache per run, and
    would count the compilation of app.py and the page, with Streamlit's magic, in every run."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


class Meter:
    """SQL statements (by their first words) and CPU seconds of the process between start() and stop()."""

    def __init__(self) -> None:
        self.statements: Counter[str] = Counter()
        self.counting = False
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.counting:
            self.statements[" ".join(statement.split())[:90]] += 1

    def measure(self, step, script: ScriptThread, profile: cProfile.Profile | None):
        self.statements.clear()
        self.counting, cpu, script.profile = True, script.cpu, profile
        try:
            step()
        finally:
            self.counting, script.profile = False, None
        return script.cpu - cpu, sum(self.statements.values()), Counter(self.statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--statements", action="store_true", help="list each step's statements")
    parser.add_argument("--quick", action="store_true", help="one session: a smoke test of the benchmark")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1

    import os

    from load import drop_store
    from run import new_store
    from streamlit.testing.v1 import AppTest

    from smartdash import auth

    store_url, engine = new_store(args.postgres)
    os.environ["SMARTDASH_DATABASE_URL"] = store_url
    members = [f"membre{i:02d}" for i in range(args.runs + 1)]
    for login in members:
        auth.add_user(engine, login, "viewer", PASSWORD, by="bench")
    meter = Meter()
    figures: dict[str, list[tuple[float, int, Counter]]] = {}

    script, profiles = ScriptThread(), {}

    def step(name: str, action) -> None:
        profile = profiles.setdefault(name, cProfile.Profile()) if args.profile else None
        figures.setdefault(name, []).append(meter.measure(action, script, profile))

    def check(at) -> None:
        assert not at.exception, [e.value for e in at.exception]

    def overview_shown(at) -> None:
        check(at)
        assert "À surveiller" in [h.value for h in at.header], "the overview was not shown"

    try:
        warm = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)  # the server's first visitor
        warm.run()
        warm.text_input(key="login_username").input(members[-1])
        warm.text_input(key="login_password").input(PASSWORD)
        warm.button[0].click().run()
        check(warm)
        for login in members[:-1]:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            step("login page", at.run)
            at.text_input(key="login_username").input(login)
            at.text_input(key="login_password").input(PASSWORD)
            step("login, then the overview", at.button[0].click().run)
            overview_shown(at)
            # a logged-in session's next run of app.py and the overview (AppTest reruns only the page once it has
            # switched to it: a new session, logged in, runs both as the server does)
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.session_state["auth_login"], at.session_state["auth_last_seen"] = login, dt.datetime.now(dt.UTC)
            step("a page run of the overview", at.run)
            overview_shown(at)
        print(
            f"store: {'PostgreSQL' if args.postgres else 'SQLite'}; median of {args.runs} sessions, each step one "
            "user action (its page runs, st.rerun included); CPU of the script thread"
        )
        for name, runs in figures.items():
            cpu = statistics.median(r[0] for r in runs)
            count = statistics.median(r[1] for r in runs)
            print(f"  {name:34}{count:5.0f} SQL statements   {cpu * 1000:7.1f} ms CPU")
            if args.statements:
                for statement, n in runs[-1][2].most_common():
                    print(f"      {n:3d} × {statement}")
        for name, profile in profiles.items():
            print(f"\nprofile of the step « {name} », {args.runs} sessions (cumulative):")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    finally:
        drop_store(store_url, engine, args.postgres)


if __name__ == "__main__":
    main()
