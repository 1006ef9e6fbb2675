"""Thirty password guesses at once on one account, from six processes of five threads each (as thirty sessions spread
over server processes would): at most the allowed number of passwords is ever checked, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from smartdash import auth
from smartdash import models as m
from smartdash.db import session_scope
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
ATTEMPTS, MAX_FAILED, PROCESSES = 30, 5, 6

GUESS = """
import json, os, sys, threading, time
from smartdash import auth
from smartdash.db import make_engine, wait_for_deferred_writes

url, go, right, *passwords = sys.argv[1:]
engine = make_engine(url, pool_size=len(passwords))
hasher, checked = auth._hasher, set()


class Counting:
    def __getattr__(self, name):
        return getattr(hasher, name)

    def verify(self, stored, given):
        checked.add(given)
        return hasher.verify(stored, given)


auth._hasher = Counting()
results = {}


def guess(password):
    with engine.connect():
        pass  # connected before the start: the guesses arrive together
    while not os.path.exists(go):
        time.sleep(0.002)
    results[password] = auth.authenticate(engine, "editor", password, max_failed=5, lock_minutes=15) is not None


threads = [threading.Thread(target=guess, args=(p,)) for p in passwords]
for t in threads:
    t.start()
print("ready", flush=True)
for t in threads:
    t.join()
wait_for_deferred_writes()
print(json.dumps([{"checked": p in checked, "in": results[p], "right": p == right} for p in passwords]), flush=True)
"""


def guesses_at_once(url: str, passwords: list[str], go: Path) -> list[dict]:
    """Start the processes, each with its share of the passwords, wait until they are ready, then let every guess go
    at once."""
    shares = [passwords[i::PROCESSES] for i in range(PROCESSES)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", GUESS, url, str(go), PASSWORD, *share],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for share in shares
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    time.sleep(0.5)  # every thread connected
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        results += json.loads(out.strip().splitlines()[-1])
    assert len(results) == len(passwords)
    return results


def audit_counts(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        actions = s.scalars(select(m.AuditEvent.action).where(m.AuditEvent.login == "editor")).all()
    return {a: actions.count(a) for a in ("login_failed", "lockout", "login", "login_refused_locked")}


def test_thirty_wrong_guesses_at_once_check_five_passwords_and_lock(store, tmp_path):
    auth.add_user(store.engine, "editor", "editor", PASSWORD, by="test")
    results = guesses_at_once(store.url, [f"mauvais mot de passe {i:02d}" for i in range(ATTEMPTS)], tmp_path / "go")
    assert sum(r["checked"] for r in results) == MAX_FAILED
    assert audit_counts(store.engine) == {
        "login_failed": MAX_FAILED,
        "lockout": 1,
        "login": 0,
        "login_refused_locked": ATTEMPTS - MAX_FAILED,
    }
    with session_scope(store.engine) as s:
        assert s.scalar(select(m.User.locked_until).where(m.User.login == "editor")) is not None
    assert auth.authenticate(store.engine, "editor", PASSWORD) is None  # locked: even the right password


def test_the_right_password_among_twenty_nine_wrong_ones_at_once(store, tmp_path):
    """Whichever guesses are checked, they are at most five before the account is locked: the right one gets in only
    when it is among them, and then the wrong ones checked are those that arrived while it was checked."""
    auth.add_user(store.engine, "editor", "editor", PASSWORD, by="test")
    passwords = [f"mauvais mot de passe {i:02d}" for i in range(ATTEMPTS - 1)]
    passwords.insert(17, PASSWORD)
    started = time.monotonic()
    results = guesses_at_once(store.url, passwords, tmp_path / "go")
    checked = [r for r in results if r["checked"]]
    counts = audit_counts(store.engine)
    assert counts["login_failed"] == sum(not r["right"] for r in checked)
    assert counts["login_refused_locked"] == ATTEMPTS - len(checked)
    if any(r["in"] for r in results):  # the right one was among the first five claimed
        assert counts["login"] == 1 and len(checked) <= 2 * MAX_FAILED, (counts, time.monotonic() - started)
    else:
        assert len(checked) == MAX_FAILED and counts["lockout"] == 1 and counts["login"] == 0, counts
