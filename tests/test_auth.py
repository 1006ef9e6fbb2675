"""Who may see and change what: login before any figure, lockout kept in the store, roles enforced in smartdash,
the audit log, and inert user text."""

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql
from streamlit.testing.v1 import AppTest

from smartdash import actions, auth, i18n, schema
from smartdash import models as m
from smartdash.auth import CurrentUser, PermissionDenied
from smartdash.db import make_engine, session_scope
from smartdash.demo import load_demo
from smartdash.inert import unescape
from smartdash.web import registry
from smartdash.web import store as web_store
from tests.conftest import PASSWORD, login, shown_tables

ROOT = Path(__file__).resolve().parent.parent
PAGES = [None] + [page.name for page in registry.PAGES[1:]]
VIEWER, EDITOR = CurrentUser("viewer", "viewer"), CurrentUser("editor", "editor")


def fresh_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page:
        at.switch_page(f"pages/{page}.py")
    return at.run()


def shows_no_figure(at: AppTest) -> bool:
    return not at.metric and not at.dataframe and not at.table and not at.get("arrow_vega_lite_chart") and not at.tabs


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_figure_before_login(demo_store, app_env, page):
    app_env(demo_store.url)
    at = fresh_app(page)
    assert not at.exception
    assert shows_no_figure(at)
    assert at.text_input(key="login_username") and at.text_input(key="login_password")
    assert len(at.button) == 1  # the form's one submit button


def submit_login(at: AppTest, login_name: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(login_name)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def test_a_wrong_password_shows_no_figure_and_the_same_message_as_an_unknown_login(demo_store, app_env):
    app_env(demo_store.url)
    wrong = submit_login(fresh_app(), "viewer", "pas le bon mot de passe")
    unknown = submit_login(fresh_app(), "personne", "pas le bon mot de passe")
    assert shows_no_figure(wrong) and shows_no_figure(unknown)
    assert wrong.error[0].value == unknown.error[0].value == i18n._("fr", auth.LOGIN_FAILED)
    good = submit_login(fresh_app(), "viewer", PASSWORD)
    assert not good.exception and good.metric  # logged in: the overview's tiles


def test_a_login_shows_the_overview_in_the_run_it_starts(demo_store, app_env, monkeypatch):
    """The password is checked before anything is drawn, so the run the button starts shows the overview: no run that
    draws the form again only to leave it (each such run was a second turn of the server for every member logging
    in)."""
    from smartdash.web import turns

    app_env(demo_store.url)
    at = fresh_app()
    runs, turn = [], turns.turn

    def counted():
        runs.append(True)
        return turn()

    monkeypatch.setattr(turns, "turn", counted)
    good = submit_login(at, "viewer", PASSWORD)
    assert not good.exception and good.metric
    assert len(runs) == 1
    assert "login_password" not in good.session_state  # the form is gone, and the password with it


def test_lockout_after_five_failures_survives_a_new_session(store, app_env):
    app_env(store.url)
    for _ in range(5):
        submit_login(fresh_app(), "editor", "mauvais mot de passe")
    locked = submit_login(fresh_app(), "editor", PASSWORD)  # a fresh session, the right password: still locked
    assert shows_no_figure(locked) and locked.error[0].value == i18n._("fr", auth.LOGIN_FAILED)
    with session_scope(store.engine) as s:
        until = s.scalar(select(m.User.locked_until).where(m.User.login == "editor"))
        actions_seen = s.scalars(select(m.AuditEvent.action).where(m.AuditEvent.login == "editor")).all()
    assert until is not None
    assert actions_seen.count("login_failed") == 5 and "lockout" in actions_seen and "login_refused_locked" in actions_seen
    later = auth._aware(until) + dt.timedelta(seconds=1)
    assert auth.authenticate(store.engine, "editor", PASSWORD, now=later) == CurrentUser("editor", "editor")


def test_passwords_are_stored_as_argon2_hashes_only(store):
    auth.add_user(store.engine, "claire", "viewer", "un très long mot de passe", by="test")
    with session_scope(store.engine) as s:
        stored = s.scalar(select(m.User.password_hash).where(m.User.login == "claire"))
        audit = " ".join(s.scalars(select(m.AuditEvent.detail)).all())
    assert stored.startswith("$argon2id$") and "un très long mot de passe" not in stored + audit
    with pytest.raises(auth.AccountError, match="at least 12 characters") as refused:
        auth.add_user(store.engine, "court", "viewer", "court", by="test")
    assert refused.value.render("fr") == "un mot de passe d'au moins 12 caractères"


def test_sessions_expire_after_the_idle_time(demo_store, app_env):
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    at.session_state["auth_last_seen"] = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
    at.run()
    assert shows_no_figure(at) and "Session expirée" in at.info[0].value


def test_a_disabled_account_is_logged_out_at_its_next_page(store, app_env):
    load_demo(store.engine)
    app_env(store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "editor").run()
    assert at.metric
    auth.disable_user(store.engine, "editor", by="test")
    at.run()
    assert shows_no_figure(at) and at.text_input(key="login_username")


def test_a_viewer_cannot_use_the_data_or_admin_pages_nor_see_client_names(demo_store, app_env):
    app_env(demo_store.url)
    titles = registry.visible_page_titles("fr", VIEWER)
    assert "Chargement des données" not in titles and "Administration" not in titles and "Créances" in titles
    assert "Chargement des données" in registry.visible_page_titles("fr", EDITOR)
    for page in ("data", "admin"):
        at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert at.error[0].value == "Votre rôle ne donne pas accès à cette page."
        assert not at.get("file_uploader") and not at.dataframe
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    at.session_state["filter_as_of"] = dt.date(2023, 12, 31)
    at.switch_page("pages/receivables.py").run()
    assert not at.exception
    assert not any("Client" in t.columns for t in shown_tables(at))  # the clients table is not there
    assert "réservés à la direction" in at.info[-1].value
    editor = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "editor")
    editor.session_state["filter_as_of"] = dt.date(2023, 12, 31)
    editor.switch_page("pages/receivables.py").run()
    assert any(list(t.columns)[0] == "Client" for t in shown_tables(editor))


def test_the_smartdash_api_refuses_a_viewer_and_changes_nothing(store):
    load_demo(store.engine)
    with session_scope(store.engine) as s:
        loads = s.scalar(select(func.count()).select_from(m.DataLoad))
        load_id = s.scalar(select(func.max(m.DataLoad.id)))
    data = b"bureau;fin_periode;membres\nGAND;30/06/2026;760\n"
    with pytest.raises(PermissionDenied):
        actions.import_files(VIEWER, store.engine, [("s.csv", data)])
    with pytest.raises(PermissionDenied):
        actions.undo_load(VIEWER, store.engine, load_id)
    with pytest.raises(PermissionDenied):
        actions.add_user(VIEWER, store.engine, "mallory", "admin", "un mot de passe assez long")
    with pytest.raises(PermissionDenied), session_scope(store.engine) as s:
        actions.largest_overdue_clients(VIEWER, session=s, entity="SMARTCOOP", as_of=dt.date(2023, 12, 31))
    with pytest.raises(PermissionDenied):
        actions.add_user(EDITOR, store.engine, "mallory", "admin", "un mot de passe assez long")
    with pytest.raises(PermissionDenied):
        actions.import_files(None, store.engine, [("s.csv", data)])
    with session_scope(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(m.DataLoad)) == loads
        assert s.scalar(select(func.count()).select_from(m.User)) == 0
    with session_scope(store.engine) as s:
        assert len(actions.largest_overdue_clients(EDITOR, session=s, entity="SMARTCOOP", as_of=dt.date(2023, 12, 31))) == 10


def test_the_pages_cached_client_names_are_never_handed_to_a_viewer(demo_store, app_env):
    app_env(demo_store.url)
    end_2023 = dt.date(2023, 12, 31)
    assert len(web_store.largest_overdue_clients(EDITOR, "SMARTCOOP", end_2023)) == 10  # now in the cache
    with pytest.raises(PermissionDenied):
        web_store.largest_overdue_clients(VIEWER, "SMARTCOOP", end_2023)
    with pytest.raises(PermissionDenied):
        web_store.largest_overdue_clients(None, "SMARTCOOP", end_2023)
    assert len(web_store.largest_overdue_clients(EDITOR, "SMARTCOOP", end_2023)) == 10


def test_actions_are_written_to_the_audit_log(store):
    load_demo(store.engine)
    admin = CurrentUser("admin", "admin")
    [result] = actions.import_files(EDITOR, store.engine, [("s.csv", b"bureau;fin_periode;membres\nGAND;30/06/2026;760\n")])
    actions.undo_load(EDITOR, store.engine, result.load_id)
    actions.add_user(admin, store.engine, "denis", "viewer", "un mot de passe assez long")
    actions.disable_user(admin, store.engine, "denis")
    actions.record_export(VIEWER, store.engine, "slides", {"as_of": "2026-11-22"})
    log = actions.audit_log(admin, store.engine)
    assert list(log["action"])[:5] == ["export", "user_disabled", "user_added", "undo", "import"]
    assert list(log["login"])[:5] == ["viewer", "admin", "admin", "editor", "editor"]
    with pytest.raises(PermissionDenied):
        actions.audit_log(EDITOR, store.engine)


HOSTILE = [
    "'; DROP TABLE entity; --",
    "<script>alert('x')</script>",
    "**gras** [lien](http://evil.example)",
    '=HYPERLINK("http://evil.example")',
]


def test_hostile_text_is_stored_and_shown_as_inert_text(store, app_env):
    load_demo(store.engine)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "code",
            "version_plan",
            "apporteur",
            "categorie_apporteur",
            "beneficiaire",
            "instrument",
            "periode",
            "date_prevue",
            "montant_prevu",
            "statut",
        ]
    )
    for i, text in enumerate(HOSTILE):
        writer.writerow(
            [f"X-{i}", "PLAN-2024-06", text, "partenaires", "SMARTFR", "UNDECIDED", "2024", "31/12/2024", "1 000", "prévu"]
        )
    data = out.getvalue().encode()
    actions.import_files(EDITOR, store.engine, [("financements.csv", data)])
    with session_scope(store.engine) as s:
        stored = s.scalars(
            select(m.FundingContribution.contributor)
            .where(m.FundingContribution.code.like("X-%"))
            .order_by(m.FundingContribution.code)
        ).all()
        assert s.scalar(select(func.count()).select_from(m.Entity)) == 5  # the store is intact
    assert stored == HOSTILE
    app_env(store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer").run()
    assert not at.exception
    shown = [md.value for md in at.markdown if "Apport en retard" in md.value]
    for text in HOSTILE:
        assert any(text in unescape(line) for line in shown)  # shown as written…
    for live in ("<script>", "**gras**", "[lien](", "http://"):  # …and inert: no HTML, bold, link or autolink
        assert not any(live in line for line in shown)
    failed = auth.authenticate(store.engine, "' OR '1'='1", "' OR '1'='1")
    assert failed is None


def test_the_first_admin_needs_the_setup_token_and_is_created_only_once(store, monkeypatch):
    monkeypatch.setenv("SMARTDASH_DATABASE_URL", store.url)
    at = fresh_app()
    assert shows_no_figure(at) and [t.key for t in at.text_input] == [
        "first_admin_token",
        "first_admin_login",
        "first_admin_password",
    ]
    at.text_input(key="first_admin_token").input("0" * 32)
    at.text_input(key="first_admin_login").input("mallory")
    at.text_input(key="first_admin_password").input("un mot de passe assez long")
    at = at.button[0].click().run()
    assert "jeton de mise en service" in at.error[0].value and not auth.has_users(store.engine)
    with pytest.raises(auth.AccountError):
        auth.create_first_admin(store.engine, "mallory", "un mot de passe assez long", "")
    token = auth.setup_token(store.engine)
    assert len(token) == 32 and token == auth.setup_token(store.engine)  # every process of the store prints the same
    at.text_input(key="first_admin_token").input(token)
    at.text_input(key="first_admin_login").input("alice")
    at.text_input(key="first_admin_password").input("un mot de passe assez long")
    at = at.button[0].click().run()
    assert not at.exception and at.session_state["auth_login"] == "alice"
    with pytest.raises(auth.AccountError) as refused:
        auth.create_first_admin(store.engine, "mallory", "un mot de passe assez long", token)
    assert "déjà créé" in refused.value.render("fr")
    with session_scope(store.engine) as s:
        assert s.scalars(select(m.AuditEvent.action).where(m.AuditEvent.action == "first_admin_refused")).all()


def test_users_from_the_command_line(store):
    env = dict(os.environ, SMARTDASH_DATABASE_URL=store.url)

    def run(*args, stdin=None):
        return subprocess.run(
            [sys.executable, "-m", "smartdash", "users", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    added = run("add", "bea", "--role", "editor", "--password-stdin", stdin="un mot de passe assez long\n")
    assert added.returncode == 0 and "un mot de passe" not in added.stdout + added.stderr
    assert run("add", "bea", "--role", "viewer", "--password-stdin", stdin="x" * 20 + "\n").returncode == 1
    assert run("set-password", "bea", "--password-stdin", stdin="un autre mot de passe long\n").returncode == 0
    assert auth.authenticate(store.engine, "bea", "un autre mot de passe long") == CurrentUser("bea", "editor")
    assert run("disable", "bea").returncode == 0
    assert run("list").stdout.strip() == "bea\teditor\tdésactivé"
    assert auth.authenticate(store.engine, "bea", "un autre mot de passe long") is None


def test_the_audit_log_never_keeps_what_was_typed_for_an_unknown_login(store):
    """A password typed in the login field by mistake must not be shown to admins."""
    typed = "Mon-Mot-De-Passe-2024!"
    assert auth.authenticate(store.engine, typed, "x") is None
    assert auth.authenticate(store.engine, typed, "y") is None
    assert auth.authenticate(store.engine, "quelqu'un d'autre", "z") is None
    with session_scope(store.engine) as s:
        rows = s.execute(
            select(m.AuditEvent.login, m.AuditEvent.detail).where(m.AuditEvent.action == "login_failed").order_by(m.AuditEvent.id)
        ).all()
    stored = " ".join(f"{login} {detail}" for login, detail in rows)
    assert typed not in stored and "Mot-De-Passe" not in stored and "quelqu'un" not in stored
    digests = [json.loads(detail)["identifiant inconnu"] for login, detail in rows]
    assert all(login is None for login, _ in rows)
    assert len(digests[0]) == 6 and digests[0] == digests[1] != digests[2]  # repeats show, the text does not


def test_unknown_logins_already_in_the_audit_log_are_removed_by_the_upgrade(tmp_path):
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = schema._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:  # the tables as they were at 0005: today's models have columns added since
        conn.execute(
            sql(
                "INSERT INTO app_user (login, role, active, failed_attempts, created_at) "
                "VALUES ('alice', 'admin', false, 0, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            sql(
                "INSERT INTO audit_event (at, login, action, detail) VALUES "
                "(:now, 'Mon-Mot-De-Passe-2024!', 'login_failed', 'compte inconnu ou inactif'), "
                "(:now, 'alice', 'login_failed', 'compte inconnu ou inactif')"
            ),
            {"now": now},
        )
    schema.upgrade(engine)
    with session_scope(engine) as s:
        kept = s.execute(select(m.AuditEvent.login, m.AuditEvent.detail).order_by(m.AuditEvent.id)).all()
    assert [tuple(r) for r in kept] == [(None, "identifiant inconnu"), ("alice", "compte inconnu ou inactif")]


LOGIN = """
import sys
from smartdash import auth
from smartdash.db import make_engine
user = auth.authenticate(make_engine(sys.argv[1]), "editor", sys.argv[2])
print(user.role if user else "refused")
"""


def test_lockout_survives_a_restart_of_the_process(store):
    """Five failures in one process; a new process with the right password is still refused, in the store."""
    auth.add_user(store.engine, "editor", "editor", PASSWORD, by="test")

    def login_in_a_new_process(password: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", LOGIN, store.url, password], cwd=ROOT, capture_output=True, text=True, timeout=120
        ).stdout.strip()

    for _ in range(5):
        assert auth.authenticate(store.engine, "editor", "mauvais mot de passe") is None
    assert login_in_a_new_process(PASSWORD) == "refused"
    with session_scope(store.engine) as s:
        assert s.scalar(select(m.User.locked_until).where(m.User.login == "editor")) is not None


def test_two_failures_at_the_same_time_both_count(store, monkeypatch):
    """The failure counter is read again in the write transaction: concurrent attempts cannot overwrite each other."""
    auth.add_user(store.engine, "editor", "editor", PASSWORD, by="test")
    hasher = auth._hasher

    class AnotherAttemptMeanwhile:
        """Checks the password while another failed attempt completes."""

        def __getattr__(self, name):
            return getattr(hasher, name)

        def verify(self, stored, password):
            monkeypatch.setattr(auth, "_hasher", hasher)
            assert auth.authenticate(store.engine, "editor", "un autre essai") is None
            return hasher.verify(stored, password)

    monkeypatch.setattr(auth, "_hasher", AnotherAttemptMeanwhile())
    assert auth.authenticate(store.engine, "editor", "mauvais mot de passe") is None
    with session_scope(store.engine) as s:
        assert s.scalar(select(m.User.failed_attempts).where(m.User.login == "editor")) == 2
