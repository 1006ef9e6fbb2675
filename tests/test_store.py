"""The store: migrations, exact money, natural keys, idempotent set-up — on every backend; one snapshot per read;
store faults (full disk, read-only, deleted or replaced file, unreachable server) told in a sentence."""

import datetime as dt
import gc
import os
import subprocess
import sys
import weakref
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError
from streamlit.testing.v1 import AppTest

from smartdash import actions, auth, db, importing, schema
from smartdash import models as m
from smartdash.auth import CurrentUser
from smartdash.cli import main as cli_main
from smartdash.config import DEMO_DIR
from smartdash.db import (
    StoreFull,
    StoreMissing,
    StoreReadOnly,
    StoreReplaced,
    StoreTooNew,
    StoreUnavailable,
    engine_for,
    make_engine,
    read_scope,
    session_scope,
    write_scope,
)
from smartdash.demo import demo_file_name
from smartdash.formatting import number
from smartdash.importing import import_files
from smartdash.store import ensure_schema, ensure_store, init_store, is_empty
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent

TABLES = [t for t in m.Base.metadata.sorted_tables]


def counts(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_schema_is_at_the_newest_migration(store):
    assert schema.current_revision(store.engine) == schema.head_revision()
    assert schema.upgrade(store.engine) is False  # nothing left to apply


def test_exact_amounts_survive_the_round_trip(store):
    amounts = [Decimal("23713846.00"), Decimal("-5900277.00"), Decimal("0.01"), Decimal("92233720368547.75")]
    with session_scope(store.engine) as s:
        s.add(m.Entity(code="X", name="X", country="FR", legal_form="SA"))
        s.flush()
        entity_id = s.scalar(select(m.Entity.id))
        s.add(m.Indicator(code="I", label_fr="i", label_en="i", unit="EUR", direction="up", frequency="yearly"))
        s.flush()
        indicator_id = s.scalar(select(m.Indicator.id))
        for i, amount in enumerate(amounts):
            s.add(
                m.Observation(
                    indicator_id=indicator_id,
                    entity_id=entity_id,
                    period_end=dt.date(2020 + i, 12, 31),
                    scenario="actual",
                    value=amount,
                )
            )
    with session_scope(store.engine) as s:
        stored = s.scalars(select(m.Observation.value).order_by(m.Observation.period_end)).all()
        total = s.scalar(select(func.sum(m.Observation.value)))
    assert stored == amounts
    assert all(isinstance(v, Decimal) for v in stored)
    assert total == sum(amounts)


def test_money_is_never_a_float():
    with pytest.raises(TypeError, match="never floats"):
        m.Money.process_bind_param(1.5, None)


def test_natural_key_with_no_office_is_unique(store):
    """NULL office must not let the same entity-level value be stored twice."""
    with session_scope(store.engine) as s:
        s.add(m.Entity(code="X", name="X", country="FR", legal_form="SA"))
        s.add(m.Indicator(code="I", label_fr="i", label_en="i", unit="EUR", direction="up", frequency="yearly"))
    row = {
        "indicator_id": 1,
        "entity_id": 1,
        "office_id": None,
        "period_end": dt.date(2024, 12, 31),
        "scenario": "actual",
        "plan_version_id": None,
        "value": Decimal(1),
        "is_synthetic": False,
    }
    with session_scope(store.engine) as s:
        s.execute(insert(m.Observation), [row])
    with pytest.raises(IntegrityError), session_scope(store.engine) as s:
        s.execute(insert(m.Observation), [dict(row, value=Decimal(2))])


def test_a_plan_value_needs_its_plan_version(store):
    with session_scope(store.engine) as s:
        s.add(m.Entity(code="X", name="X", country="FR", legal_form="SA"))
        s.add(m.Indicator(code="I", label_fr="i", label_en="i", unit="EUR", direction="up", frequency="yearly"))
    with pytest.raises(IntegrityError), session_scope(store.engine) as s:
        s.add(m.Observation(indicator_id=1, entity_id=1, period_end=dt.date(2024, 12, 31), scenario="plan", value=Decimal(1)))


def test_init_with_demo_twice_changes_nothing(store):
    first = init_store(store.engine, demo=True)
    after_first = counts(store.engine)
    second = init_store(store.engine, demo=True)
    assert first.demo_rows_written > 10_000
    assert second.demo_rows_written == 0
    assert second.migrated is False
    assert counts(store.engine) == after_first
    assert "déjà chargée" in second.line("fr")
    assert second.line("en") == f"Schema already up to date (revision {second.revision}). Demo: already loaded, nothing changed."
    assert f"Démonstration : {number(first.demo_rows_written, lang='fr')} lignes écrites." in first.line("fr")


def test_first_start_loads_the_demo_only_into_an_empty_store(store):
    assert is_empty(store.engine)
    assert ensure_store(store.engine, load_demo_when_empty=True) is True
    assert not is_empty(store.engine)
    assert ensure_store(store.engine, load_demo_when_empty=True) is False


def test_first_start_without_demo_leaves_the_store_empty(store):
    assert ensure_store(store.engine, load_demo_when_empty=False) is False
    assert is_empty(store.engine)


# --------------------------------------------------------------------------- one snapshot per read


def test_a_session_reads_one_snapshot_while_another_process_writes(store):
    """Item 8: the reads of one session (a page's loader) do not see a write committed between them."""

    def events(session) -> int:
        return session.scalar(select(func.count()).select_from(m.AuditEvent))

    for scope in (session_scope, read_scope):
        with scope(store.engine) as reading:
            first = events(reading)
            with write_scope(store.engine) as writing:  # another connection commits meanwhile
                writing.add(m.AuditEvent(at=dt.datetime.now(dt.UTC), login="w", action="x"))
            assert events(reading) == first
        with scope(store.engine) as later:
            assert events(later) == first + 1


def test_a_read_only_session_cannot_write(store):
    with pytest.raises(OperationalError if store.backend == "sqlite" else InternalError), read_scope(store.engine) as s:
        s.add(m.AuditEvent(at=dt.datetime.now(dt.UTC), login="w", action="x"))
        s.flush()


def test_an_engine_left_without_dispose_goes_with_its_pool_and_connections(store):
    """Nothing beside an engine keeps it alive: a test or a command that forgets dispose() leaks no connection."""
    engine = make_engine(store.url)
    for scope in (session_scope, read_scope, write_scope):
        with scope(engine) as s:
            assert s.scalar(text("SELECT 1")) == 1
    engine_gone, pool_gone = weakref.ref(engine), weakref.ref(engine.pool)
    del engine, s
    gc.collect()
    assert engine_gone() is None and pool_gone() is None


def test_shared_engines_past_the_few_kept_are_disposed(store, tmp_path, monkeypatch):
    monkeypatch.setattr(db, "_engines", {})  # this test's shared engines only
    try:
        first = engine_for(store.url)
        with read_scope(first) as s:
            s.scalar(text("SELECT 1"))
        assert engine_for(store.url) is first and first.pool.checkedin() == 1
        others = [engine_for(f"sqlite:///{tmp_path / f'other{i}.db'}") for i in range(db.ENGINES_KEPT)]
        assert first.pool.checkedin() == 0  # its pooled connection closed
        assert engine_for(store.url) is not first and engine_for(others[-1].url.render_as_string()) is others[-1]
    finally:
        db.dispose_engines()


def test_logging_in_and_the_audit_log_during_a_load_holding_the_store(store):
    """A load holds the store's write lock for seconds. On PostgreSQL a member logging in meanwhile is let in at once
    (the guess is counted on the account's row, which a load does not lock). SQLite has one writer, and a password is
    checked only once its guess is counted in the store: the login waits for the load's commit, then goes on. The
    audit lines of the login and of an export are written once the load commits."""
    import threading

    auth.add_user(store.engine, "membre", "viewer", PASSWORD, by="test")
    engine = make_engine(store.url, lock_wait=5)  # before: StoreBusy after these 5 s
    answered = []
    try:
        with write_scope(store.engine, load_lock=True) as loading:
            loading.add(m.AuditEvent(at=dt.datetime.now(dt.UTC), login="chargeur", action="import"))
            login = threading.Thread(target=lambda: answered.append(auth.authenticate(engine, "membre", PASSWORD)))
            login.start()
            login.join(timeout=2)
            assert answered == ([] if store.backend == "sqlite" else [CurrentUser("membre", "viewer")])
            if store.backend != "sqlite":
                auth.record(engine, "membre", "export", {"what": "receivables"})
        login.join(timeout=5)
        assert answered == [CurrentUser("membre", "viewer")]
        if store.backend == "sqlite":
            auth.record(engine, "membre", "export", {"what": "receivables"})
        db.wait_for_deferred_writes()
        with session_scope(store.engine) as s:
            logged = s.execute(select(m.AuditEvent.login, m.AuditEvent.action).order_by(m.AuditEvent.id)).all()
        assert sorted(logged[-3:]) == [("chargeur", "import"), ("membre", "export"), ("membre", "login")]
    finally:
        engine.dispose()


def test_a_failed_login_is_counted_before_it_is_answered(store):
    auth.add_user(store.engine, "membre", "viewer", PASSWORD, by="test")
    assert auth.authenticate(store.engine, "membre", "pas le bon mot de passe") is None
    with session_scope(store.engine) as s:
        assert s.scalar(select(m.User.failed_attempts).where(m.User.login == "membre")) == 1
    assert auth.authenticate(store.engine, "membre", PASSWORD) == CurrentUser("membre", "viewer")
    with session_scope(store.engine) as s:
        assert s.scalar(select(m.User.failed_attempts).where(m.User.login == "membre")) == 0


def test_a_view_reads_one_snapshot_while_a_load_commits_between_its_statements(store, monkeypatch):
    """The receivables view reads the ageing, then sales, then the ageing per office: a load committed between
    those reads must not show half in the totals and half in the offices."""
    from smartdash import queries
    from smartdash.views.receivables import receivables_view

    files = [(demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes()) for k in ("entities", "offices")]
    head = "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n"
    old = head + "31/03/2026;SMARTCOOP;GAND;A;R-1;01/01/2026;31/01/2026;1 000,00\n"
    new = head + "31/03/2026;SMARTCOOP;GAND;A;R-1;01/01/2026;31/01/2026;9 000,00\n"
    import_files(store.engine, [*files, ("creances.csv", old.encode())], loaded_by="test")
    observations, writes = queries.observations, []

    def observations_then_a_load(**kwargs):
        if not writes:
            writes.append(import_files(store.engine, [("creances.csv", new.encode())], loaded_by="other"))
        return observations(**kwargs)

    monkeypatch.setattr(queries, "observations", observations_then_a_load)
    with session_scope(store.engine) as s:
        view = receivables_view(session=s, entity="SMARTCOOP", as_of=dt.date(2026, 3, 31))
    assert writes and writes[0][0].updated == 1  # the load did commit between the view's reads
    assert view.total == sum(view.by_office["value"]) == Decimal("1000.00")


# --------------------------------------------------------------------------- store faults (SQLite files)


@pytest.fixture
def sqlite_store(tmp_path):
    """A SQLite store on a file of its own, migrated by the app's own path (so it has its marker), with the demo's
    reference data and a small receivables snapshot naming a client."""
    url = f"sqlite:///{tmp_path / 'store' / 'smartdash.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    files = [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
    ]
    import_files(engine, [*files, ("creances.csv", RECEIVABLES.encode())], loaded_by="test")
    yield url, engine, tmp_path / "store" / "smartdash.db"
    engine.dispose()


RECEIVABLES = (
    "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n"
    "31/03/2026;SMARTCOOP;GAND;Client Confidentiel;R-1;01/01/2026;31/01/2026;1 000,00\n"
)
BIG = "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n" + "".join(
    f"31/03/2026;SMARTCOOP;GAND;Client Confidentiel {i};R-{i};01/01/2026;31/01/2026;1 000,00\n" for i in range(2000)
)


def cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, SMARTDASH_DATABASE_URL=url)
    return subprocess.run(
        [sys.executable, "-m", "smartdash", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )


def items(engine) -> list[tuple]:
    with session_scope(engine) as s:
        return [tuple(r) for r in s.execute(select(m.ReceivableItem.__table__).order_by(m.ReceivableItem.id))]


def test_a_short_wait_for_the_write_lock_holds_for_its_own_transaction_only(sqlite_store):
    _url, engine, _path = sqlite_store
    with write_scope(engine, lock_wait=0.2) as s:
        assert s.scalar(text("PRAGMA busy_timeout")) == 200
    for scope in (session_scope, write_scope):  # the same pooled connection, the engine's own wait again
        with scope(engine) as s:
            assert s.scalar(text("PRAGMA busy_timeout")) == engine.smartdash_lock_wait * 1000


def test_a_full_disk_is_told_without_sql_values_or_client_names(sqlite_store, tmp_path, monkeypatch, capsys):
    url, engine, _path = sqlite_store
    before = items(engine)
    monkeypatch.setenv("SMARTDASH_DATABASE_URL", url)
    shared = engine_for(url)  # the engine the command line uses in this process
    with shared.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(shared, "connect")
    def disk_nearly_full(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    shared.dispose()
    (tmp_path / "creances.csv").write_text(BIG, encoding="utf-8")
    try:
        assert cli_main(["import", str(tmp_path / "creances.csv")]) == 3
        out, err = capsys.readouterr()
        assert out == "" and err == "Erreur : " + StoreFull().message("fr") + "\n"
        with pytest.raises(StoreFull) as told:  # what the data page shows, in the reader's language
            actions.import_files(CurrentUser("e", "editor"), shared, [("creances.csv", BIG.encode())])
        assert told.value.message("en").startswith("No space left to write in the data store (disk full)")
    finally:
        event.remove(shared, "connect", disk_nearly_full)
        shared.dispose()
    assert items(engine) == before


def _read_only(path: Path, on: bool) -> None:
    path.chmod(0o444 if on else 0o644)
    path.parent.chmod(0o555 if on else 0o755)


def test_a_read_only_store_is_read_by_commands_and_pages_and_refuses_writes_clearly(sqlite_store, tmp_path, monkeypatch):
    url, engine, path = sqlite_store
    auth.add_user(engine, "viewer", "viewer", PASSWORD, by="test")
    engine.dispose()  # the last connection checkpoints and removes the -wal and -shm files
    content, listing = path.read_bytes(), sorted(p.name for p in path.parent.iterdir())
    _read_only(path, True)
    try:
        loads = cli(url, "loads")
        assert loads.returncode == 0 and "creances.csv" in loads.stdout
        users = cli(url, "users", "list")
        assert users.returncode == 0 and users.stdout == "viewer\tviewer\tactif\n"
        exported = cli(url, "export", "receivables", "--out", str(tmp_path / "export.csv"))
        assert exported.returncode == 0 and "Client Confidentiel" in (tmp_path / "export.csv").read_text("utf-8-sig")
        (tmp_path / "creances.csv").write_text(BIG, encoding="utf-8")
        for refused in (
            cli(url, "import", str(tmp_path / "creances.csv")),
            cli(url, "users", "add", "x", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n"),
        ):
            assert refused.returncode == 3 and refused.stderr == "Erreur : " + StoreReadOnly().message("fr") + "\n"
        # a page: the login works (its audit cannot be kept) and the figures show
        monkeypatch.setenv("SMARTDASH_DATABASE_URL", url)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.text_input(key="login_username").input("viewer")
        at.text_input(key="login_password").input(PASSWORD)
        at = at.button[0].click().run()
        at.switch_page("pages/receivables.py").run()
        assert not at.exception and not at.error and at.metric
        assert path.read_bytes() == content and sorted(p.name for p in path.parent.iterdir()) == listing
    finally:
        _read_only(path, False)


def test_a_store_deleted_under_a_running_process_refuses_reads_and_writes_and_is_not_recreated(sqlite_store, tmp_path):
    url, engine, path = sqlite_store
    assert items(engine)  # the running process has the store open
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        name.unlink(missing_ok=True)
    with pytest.raises(StoreMissing):
        import_files(engine, [("creances.csv", BIG.encode())], loaded_by="test")
    with pytest.raises(StoreMissing):
        items(engine)
    assert not path.exists()
    restarted = make_engine(url)  # a restart: no fresh store with the demo and no accounts
    with pytest.raises(StoreMissing):
        ensure_store(restarted, load_demo_when_empty=True)
    assert not path.exists()
    told = cli(url, "loads")
    assert told.returncode == 3 and told.stderr == "Erreur : " + StoreMissing().message("fr") + "\n"
    new = cli(url, "init-db", "--new")
    assert new.returncode == 0 and path.exists() and "base neuve" in new.stdout


def test_a_store_replaced_under_a_running_process_refuses_to_write(sqlite_store, tmp_path):
    url, engine, path = sqlite_store
    assert items(engine)
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    ensure_schema(other)
    other.dispose()
    os.replace(tmp_path / "other.db", path)
    replaced = path.read_bytes()
    with pytest.raises(StoreReplaced):
        import_files(engine, [("creances.csv", BIG.encode())], loaded_by="test")
    assert path.read_bytes() == replaced


def test_a_store_replaced_under_a_running_server_is_refused_to_new_sessions_too(sqlite_store, tmp_path, monkeypatch):
    """The running server's new connections (a new session, a pool that closed its idle ones) open the file at the
    store's path: one put there meanwhile — here an empty store, which would offer the first-admin form — is refused
    as the old connections refuse it, until the server restarts."""
    url, _engine, path = sqlite_store
    auth.add_user(_engine, "admin", "admin", PASSWORD, by="test")
    monkeypatch.setenv("SMARTDASH_DATABASE_URL", url)
    server = engine_for(url)  # the engine the pages use in this process
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and [t.key for t in at.text_input] == ["login_username", "login_password"]
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    ensure_schema(other)  # a store without any account
    other.dispose()
    os.replace(tmp_path / "other.db", path)
    server.dispose()  # the pooled connections are gone: the next session opens new ones
    with pytest.raises(StoreReplaced):
        with read_scope(server) as s:
            s.scalar(select(func.count()).select_from(m.User))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # a new visitor
    assert not at.exception and not at.text_input and not at.warning
    assert [e.value.split(" (")[0] for e in at.error] == [StoreReplaced().message("fr").split(" (")[0]]


FULL_DISK = """
set -e
mount -t tmpfs -o size=2m tmpfs "$1"
cp "$2" "$2.id" "$1/"
dd if=/dev/zero of="$1/remplissage" bs=4k 2>/dev/null || true
SMARTDASH_DATABASE_URL="sqlite:///$1/smartdash.db" "$3" -m smartdash loads
"""


def test_loads_on_a_full_disk_says_disk_full(sqlite_store, tmp_path):
    """A disk 100 % full (a tmpfs filled to its last byte, in a mount namespace of its own): SQLite cannot make the
    shared-memory file a read needs, and says "disk I/O error"; the command says "disk full"."""
    url, engine, path = sqlite_store
    engine.dispose()  # the store's -wal and -shm files are folded back into it
    (tmp_path / "full").mkdir()
    namespace = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--user", "--map-root-user", "--mount"]
    done = subprocess.run(
        [*namespace, "sh", "-c", FULL_DISK, "sh", str(tmp_path / "full"), str(path), sys.executable],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "mount" not in done.stderr, f"no mount namespace on this machine: {done.stderr}"
    assert done.returncode == 3 and done.stderr == "Erreur : " + StoreFull().message("fr") + "\n", done.stderr


def test_a_store_vanishing_during_a_load_is_never_reported_as_loaded(sqlite_store, monkeypatch):
    url, engine, path = sqlite_store
    check = importing._check_versions_in_force

    def check_then_vanish(session, name):
        check(session, name)
        path.unlink()

    monkeypatch.setattr(importing, "_check_versions_in_force", check_then_vanish)
    with pytest.raises(StoreMissing):
        import_files(engine, [("creances.csv", BIG.encode())], loaded_by="test")


def test_a_store_written_by_a_newer_smartdash_is_refused(sqlite_store):
    url, engine, _path = sqlite_store
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreTooNew):
        ensure_schema(engine)


# --------------------------------------------------------------------------- PostgreSQL unreachable

UNREACHABLE = "postgresql+psycopg://smartdash@127.0.0.1:1/smartdash"


def test_postgresql_unreachable_is_one_line_on_the_command_line():
    told = cli(UNREACHABLE, "loads")
    assert told.returncode == 3 and told.stdout == ""
    assert told.stderr == "Erreur : " + StoreUnavailable().message("fr") + "\n"
    debug = cli(UNREACHABLE, "loads", "--debug")
    assert debug.returncode == 3 and "Traceback" in debug.stderr and "127.0.0.1" in debug.stderr


def test_postgresql_unreachable_shows_a_visitor_one_message_and_no_page(monkeypatch):
    monkeypatch.setenv("SMARTDASH_DATABASE_URL", UNREACHABLE)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    [error] = at.error
    assert error.value.startswith(StoreUnavailable().message("fr")) and "référence" in error.value
    shown = " ".join(e.value for e in (*at.title, *at.markdown, *at.caption, *at.error))
    assert "127.0.0.1" not in shown and "psycopg" not in shown and not at.text_input
    assert not at.sidebar.children  # no menu: not even the pages' names


def test_the_app_hides_uncaught_error_details():
    import tomllib

    with (ROOT / ".streamlit" / "config.toml").open("rb") as fh:
        assert tomllib.load(fh)["client"]["showErrorDetails"] in ("none", "type")
