"""The newest figures everywhere at once: the store's data version moves with every write a page shows (from any
process) and not with logins or exports; a real server shows a load from the command line at the next page run;
two servers on one PostgreSQL store behave as one app (loads, lockouts, the audit log)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from benchmarks.stream_client import StreamlitClient
from smartdash import actions, auth, cache, committee, i18n, queries
from smartdash import models as m
from smartdash.db import make_engine, session_scope
from smartdash.demo import load_demo
from smartdash.importing import import_files, undo_load
from tests.conftest import BACKENDS, ROOT, login

PASSWORD = "un mot de passe de fraîcheur"
CASH_FILE = "indicateur;entite;fin_periode;scenario;valeur\nCASH_NET;SMARTFR;22/11/2026;réel;9999999\n"
EDITOR = auth.CurrentUser("directrice", "editor")


def version(engine) -> int:
    with session_scope(engine) as s:
        return queries.data_version(session=s)


# --------------------------------------------------------------------------- the data version, in the library


def test_every_write_a_page_shows_moves_the_data_version_and_logins_and_exports_do_not(store):
    engine = store.engine
    assert version(engine) == 0
    load_demo(engine)
    steps = [v := version(engine)]
    assert v > 0

    def moved(what) -> bool:
        before = version(engine)
        what()
        steps.append(version(engine))
        return steps[-1] > before

    # login bookkeeping, the audit log and exports change nothing a page shows
    assert moved(lambda: auth.add_user(engine, "directrice", "editor", PASSWORD, by="test"))
    assert not moved(lambda: auth.authenticate(engine, "directrice", PASSWORD))
    assert not moved(lambda: [auth.authenticate(engine, "directrice", "faux", max_failed=2) for _ in range(3)])
    with session_scope(engine) as s:
        assert s.scalar(select(m.User.locked_until).where(m.User.login == "directrice")) is not None  # locked out
    assert not moved(lambda: auth.set_password(engine, "directrice", PASSWORD + "!", by="test"))
    assert not moved(lambda: actions.record_export(EDITOR, engine, "csv", {"table": "x"}))
    assert not moved(lambda: auth.record(engine, "directrice", "logout"))
    # what pages show
    [load] = import_files(engine, [("cash.csv", CASH_FILE.encode())], loaded_by="test")
    steps.append(version(engine))
    assert steps[-1] > steps[-2]
    assert not moved(lambda: import_files(engine, [("cash.csv", CASH_FILE.encode())], loaded_by="test"))  # no change
    assert moved(lambda: undo_load(engine, load.load_id, undone_by="test"))
    meeting = committee.add_meeting(
        EDITOR, engine, held_on=dt.date(2026, 12, 10), as_of=dt.date(2026, 11, 22), title="Comité de décembre"
    )
    steps.append(version(engine))
    assert steps[-1] > steps[-2]
    assert moved(lambda: committee.add_note(EDITOR, engine, meeting, "Une note", indicator="CASH_NET"))
    assert moved(lambda: committee.add_decision(EDITOR, engine, meeting, "Relancer", owner="Présidente", due_date=None))
    with session_scope(engine) as s:
        decision = int(committee.decisions(session=s, open_only=True).iloc[0]["id"])
    assert moved(lambda: committee.close_decision(EDITOR, engine, decision))
    assert moved(lambda: committee.close_meeting(EDITOR, engine, meeting))  # and its snapshot
    admin = auth.CurrentUser("admin", "admin")
    assert moved(
        lambda: committee.save_plan_values(
            admin, engine, indicator="TURNOVER", version="PLAN-2026-DRAFT", values=[("SMARTFR", dt.date(2027, 1, 31), 9_000_000)]
        )
    )
    assert moved(lambda: auth.set_role(engine, "directrice", "viewer", by="test"))
    assert moved(lambda: auth.disable_user(engine, "directrice", by="test"))
    assert steps == sorted(steps)
    with session_scope(engine) as s:  # one row per write, saying what it changed
        log = s.execute(select(m.DataChange.id, m.DataChange.tables).order_by(m.DataChange.id)).all()
    assert len(log) == len(set(steps)) and log[-1].id == steps[-1]
    assert "observation" in log[0].tables.split(",") and "audit_event" not in log[0].tables


def test_writers_at_the_same_moment_each_move_the_version_once(store):
    """Concurrent writers (REPEATABLE READ on PostgreSQL, as a page's snapshot reads) neither fail nor share a
    version: ids are handed out in commit order."""
    load_demo(store.engine)
    isolation = {"isolation_level": "REPEATABLE READ"} if store.backend == "postgresql" else {}
    engine = make_engine(store.url, **isolation)
    meeting = committee.add_meeting(EDITOR, engine, held_on=dt.date(2026, 12, 10), as_of=dt.date(2026, 11, 22), title="Comité")
    before, errors = version(engine), []

    def write(n: int) -> None:
        try:
            for k in range(5):
                committee.add_note(EDITOR, engine, meeting, f"note {n}.{k}")
        except Exception as exc:  # collected: the assertion below shows it
            errors.append(repr(exc))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert version(engine) == before + 20
    engine.dispose()


def test_a_page_run_reads_the_data_version_once(demo_store, app_env, monkeypatch):
    app_env(demo_store.url)
    reads = []
    real = queries.data_version
    monkeypatch.setattr(queries, "data_version", lambda **kw: reads.append(1) or real(**kw))
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer").run()
    assert not at.exception
    assert len(reads) == 1  # the sidebar, the filters and the overview read through several cached loaders
    at.switch_page("pages/equity.py").run()
    assert len(reads) == 2
    at.switch_page("pages/overview.py").run()
    assert len(reads) == 3


def test_a_page_run_reads_the_account_once_with_the_data_version_in_one_transaction(demo_store, app_env, monkeypatch):
    """The gate in app.py, the sidebar, the page's own gate and its downloads all ask who is logged in: one read of
    the account per run, in the transaction that reads the data version."""
    app_env(demo_store.url)
    accounts, transactions = [], []
    real = auth.active_account
    monkeypatch.setattr(auth, "active_account", lambda session, login: accounts.append(login) or real(session, login))
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    real_scope = cache.session_scope

    def counted(engine):
        transactions.append(1)
        return real_scope(engine)

    at.run()  # the caches are warm from now on
    monkeypatch.setattr(cache, "session_scope", counted)
    accounts.clear()
    at.run()
    assert not at.exception
    assert accounts == ["viewer"] and len(transactions) == 1


def test_an_account_disabled_between_two_runs_is_out_at_the_next_one_even_with_its_answers_cached(demo_store, app_env):
    app_env(demo_store.url)
    auth.add_user(demo_store.engine, "passager", "viewer", PASSWORD, by="test")
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "passager").run()
    assert "À surveiller" in [h.value for h in at.header]
    auth.disable_user(demo_store.engine, "passager", by="test")
    at.run()
    assert "À surveiller" not in [h.value for h in at.header] and not at.metric
    assert "auth_login" not in at.session_state


def test_an_answer_missing_when_sessions_ask_at_once_is_read_once_and_shared(demo_store, app_env):
    from smartdash.web import store as web_store

    app_env(demo_store.url)
    reads, started = [], threading.Event()

    @web_store.cached()
    def slow(session, n):
        reads.append(n)
        started.wait(2)  # every session has asked before the read ends
        return {"n": n}

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(slow(7))) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    started.set()
    for t in threads:
        t.join()
    assert reads == [7] and len(answers) == 8 and all(a is answers[0] for a in answers)


# --------------------------------------------------------------------------- real servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_ready(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"the smartdash server at {url} did not start within 60 s")


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def cli(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "smartdash", *args], cwd=ROOT, env=env, input=stdin, text=True, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def cash_of_smartfr(run) -> str:
    """The overview's "Trésorerie nette" tile of SmartFr, as shown."""
    entity = None
    for element in run.elements:
        kind = element.WhichOneof("type")
        if kind == "heading":
            entity = element.heading.body
        elif kind == "metric" and entity == "SmartFr" and element.metric.label.startswith("Trésorerie nette"):
            return element.metric.body
    raise AssertionError(f"no cash tile for SmartFr; exceptions: {run.exceptions()}")


def sync(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    """One server on a temporary SQLite store with the demo data and an editor account."""
    folder = tmp_path_factory.mktemp("fresh")
    env = dict(os.environ, SMARTDASH_DATABASE_URL=f"sqlite:///{folder / 'smartdash.db'}")
    cli(env, "init-db", "--demo")
    cli(env, "users", "add", "directrice", "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n")
    process, url = start_server(env)
    wait_ready(process, url)
    yield env, url, folder
    stop(process)


def test_a_load_from_the_command_line_shows_at_the_next_page_run(sqlite_server):
    env, url, folder = sqlite_server
    (folder / "cash.csv").write_text(CASH_FILE, encoding="utf-8")

    async def scenario():
        async with StreamlitClient(url) as reader:
            overview = await reader.login("directrice", PASSWORD)
            before = cash_of_smartfr(overview)
            line = cli(env, "import", str(folder / "cash.csv"))  # another process, as cron would
            same_session = cash_of_smartfr(await reader.run())
            async with StreamlitClient(url) as newcomer:
                new_session = cash_of_smartfr(await newcomer.login("directrice", PASSWORD))
            load_id = line.split("n° ")[1].split(")")[0]
            cli(env, "undo", load_id)
            undone = cash_of_smartfr(await reader.run())
        return before, same_session, new_session, undone

    before, same_session, new_session, undone = sync(scenario())
    assert before == "2,98\u00a0M€"
    assert same_session == new_session == "10\u00a0M€"
    assert undone == before


# --------------------------------------------------------------------------- two servers, one PostgreSQL store


@pytest.fixture(scope="module")
def two_servers(request):
    """Two servers on one PostgreSQL store (a schema of the run's database) with the demo data and accounts."""
    database = request.getfixturevalue("pg_database")
    schema_name = f"t_{uuid.uuid4().hex[:10]}"
    base = make_engine(database)
    with base.begin() as conn:
        conn.execute(text("CREATE SCHEMA " + conn.dialect.identifier_preparer.quote(schema_name)))
    url = make_url(database).update_query_dict({"options": f"-csearch_path={schema_name}"}).render_as_string(hide_password=False)
    env = dict(os.environ, SMARTDASH_DATABASE_URL=url)
    cli(env, "init-db", "--demo")
    for login_name in ("directrice", "membre", "tiers"):
        cli(env, "users", "add", login_name, "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n")
    servers = [start_server(env) for _ in range(2)]
    for process, address in servers:
        wait_ready(process, address)
    engine = make_engine(url)
    yield engine, [address for _process, address in servers]
    stop(*(process for process, _address in servers))
    engine.dispose()
    with base.begin() as conn:
        conn.execute(text("DROP SCHEMA " + conn.dialect.identifier_preparer.quote(schema_name) + " CASCADE"))
    base.dispose()


def audit_count(engine, action: str, login_name: str | None = None) -> int:
    with session_scope(engine) as s:
        q = select(func.count()).select_from(m.AuditEvent).where(m.AuditEvent.action == action)
        if login_name is not None:
            q = q.where(m.AuditEvent.login == login_name)
        return s.scalar(q)


needs_postgres = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL run not selected")


@needs_postgres
def test_a_load_through_one_server_is_seen_at_once_in_the_other(two_servers):
    engine, (first, second) = two_servers
    loads_before = audit_count(engine, "import")

    async def scenario():
        async with StreamlitClient(first) as director, StreamlitClient(second) as member:
            before = cash_of_smartfr(await member.login("membre", PASSWORD))
            await director.login("directrice", PASSWORD)
            await director.open("Chargement des données")
            preview = await director.upload("Fichier CSV, XLSX ou FEC", "tresorerie.csv", CASH_FILE.encode())
            loaded = await director.click("Charger ce fichier")
            after = cash_of_smartfr(await member.run())
            # and an undo through the first is seen in the second: the load just made is chosen, the undo asks first
            number = re.search(r"chargé \(n° (\d+)\)", " ".join(loaded.texts()))[1]
            await director.click("Annuler ce chargement…")
            await director.click(f"Oui, annuler le chargement n° {number}")
            undone = cash_of_smartfr(await member.open("Vue d'ensemble"))
        return before, preview, loaded, after, undone

    before, preview, loaded, after, undone = sync(scenario())
    assert "Lignes modifiées" in preview.text() and not preview.exceptions()
    assert any("chargé (n°" in t for t in loaded.texts()), loaded.texts()
    assert before == "2,98\u00a0M€" and after == "10\u00a0M€" and undone == before
    assert audit_count(engine, "import") == loads_before + 1  # once, not once per server
    assert audit_count(engine, "undo") == 1


@needs_postgres
def test_a_lockout_counted_in_one_server_holds_in_the_other(two_servers):
    engine, servers = two_servers

    async def attempt(address: str, password: str):
        async with StreamlitClient(address) as visitor:
            return await visitor.login("tiers", password)

    async def scenario():
        for n in range(5):  # failures alternate between the two servers
            await attempt(servers[n % 2], "pas le bon mot de passe")
        return await attempt(servers[1], PASSWORD), await attempt(servers[0], PASSWORD)

    refused_second, refused_first = sync(scenario())
    for run in (refused_second, refused_first):
        assert "Connexion" in run.headings() and "À surveiller" not in run.headings()
        assert any(t.startswith(i18n._("fr", auth.LOGIN_FAILED)) for t in run.texts())
    assert audit_count(engine, "login_failed", "tiers") == 5  # every event once, whichever server saw it
    assert audit_count(engine, "lockout", "tiers") == 1
    assert audit_count(engine, "login_refused_locked", "tiers") == 2
    assert audit_count(engine, "login", "tiers") == 0
