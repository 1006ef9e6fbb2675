"""The web layer's own mechanics: cached reads with keyword arguments, the page registry, guarded actions, the places
of a page's elements from one run to the next."""

from pathlib import Path

import pytest

from smartdash import actions
from smartdash.auth import CurrentUser, PermissionDenied, role_can
from smartdash.web import registry, session
from smartdash.web import store as web_store

ROOT = Path(__file__).resolve().parent.parent


def test_a_cached_read_called_with_keywords_or_in_places_is_one_read(demo_store, app_env):
    app_env(demo_store.url)
    calls = []

    @web_store.cached()
    def read(session, meeting_id=None, open_only=False):
        calls.append((meeting_id, open_only))
        return len(calls)

    assert read(open_only=True) == read(None, True) == read(meeting_id=None, open_only=True) == 1
    assert read() == 2 and read(None) == 2 and calls == [(None, True), (None, False)]
    with pytest.raises(TypeError):
        read(unknown=1)


def test_each_page_has_one_address_and_only_its_permission_hides_it():
    names = [page.name for page in registry.PAGES]
    assert len(set(names)) == len(names) and names[0] == "overview"
    hidden = {page.name for page in registry.PAGES if not page.may_open(CurrentUser("viewer", "viewer"))}
    guarded = {page.name for page in registry.PAGES if page.permission and not role_can("viewer", page.permission)}
    assert hidden == guarded and hidden  # the viewer's role lacks some pages' permission, and only that hides them
    assert all(page.may_open(CurrentUser("admin", "admin")) for page in registry.PAGES)
    assert all(page.may_open(None) for page in registry.PAGES)  # before a login, the gate decides


def test_a_guarded_action_runs_as_the_sessions_user_and_refuses_without_one(demo_store, app_env):
    app_env(demo_store.url)
    with pytest.raises(PermissionDenied):  # no page run, no logged-in user
        session.as_user(actions.list_users)


@pytest.mark.parametrize("typed", ["31/12/2026", " 31/12/2026 ", "31/12/26", "31-12-2026", "2026-12-31"])
def test_a_typed_due_date_reads_as_the_reader_writes_it(typed):
    import datetime as dt

    from smartdash.web import widgets

    assert widgets.typed_date(typed) == dt.date(2026, 12, 31)


@pytest.mark.parametrize("typed", ["31/02/2026", "demain", "12/31/2026"])
def test_a_typed_due_date_that_is_no_date_is_refused(typed):
    from smartdash.web import widgets

    with pytest.raises(ValueError):
        widgets.typed_date(typed)


def test_an_empty_due_date_is_none():
    from smartdash.web import widgets

    assert widgets.typed_date("") is None and widgets.typed_date("  ") is None and widgets.typed_date(None) is None


def test_a_process_first_run_draws_the_page_where_the_next_run_does(demo_store, app_env, monkeypatch):
    """A process's first run says that the dashboard is starting and that its store is being prepared. Once those
    notices are cleared, each element of the page must sit where the next run draws it. Otherwise, until that next run
    ends, the browser shows its new form beside the first run's (two login forms at once, and a click in either)."""
    from streamlit.testing.v1 import AppTest

    from smartdash.web import starting

    app_env(demo_store.url)
    monkeypatch.setattr(web_store, "_engines", {})  # no store prepared yet in this process
    monkeypatch.setattr(starting, "first_run", lambda: True)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    first = {place: node.type for place, node in at.main.children.items()}
    monkeypatch.setattr(starting, "first_run", lambda: False)
    assert at.run().text_input(key="login_username")  # the next run: the login form again
    assert {place: node.type for place, node in at.main.children.items()} == first
    assert any(kind == "form" for kind in first.values())
