"""The session's user and language: the login gate and its forms, page permissions, guarded actions as this user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine

from smartdash import cache
from smartdash.auth import CurrentUser
from smartdash.config import load_settings
from smartdash.i18n import _, _p
from smartdash.inert import Md, st
from smartdash.web import store

LANG_KEY = "app_lang"
APP_FRAME_KEY = "app_frame_seen"  # this session has run app.py's frame at least once
AUTH_KEY = "auth_login"
SEEN_KEY = "auth_last_seen"
LOGIN_SUBMIT_KEY = "login_submit"  # the login form's button: True in the run its press starts (or restarts)
LOGIN_FAILED_KEY = "login_failed"

P = ParamSpec("P")
R = TypeVar("R")


def language() -> str:
    """The reader's language: the sidebar's choice, else config.toml's default."""
    return st.session_state.get(LANG_KEY) or load_settings().language


def ensure_app_frame() -> None:
    """Run the page inside app.py's frame (sidebar, navigation, login gate), and never without a logged-in user.

    A page opened by its URL before any visitor has run app.py is routed by Streamlit's legacy discovery
    of pages/, which runs the page file alone. st.navigation turns that routing off for the whole server
    the first time app.py runs; this does the same and runs the request again, through app.py."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st.session_state.get(APP_FRAME_KEY):
        PagesManager.uses_pages_directory = False
        st.rerun()
    login_gate()  # every page checks the login itself too: no figure without a user, however it was reached


def current_user(*, fresh: bool = False):
    """The logged-in user of this session, or None: the account is read from the store once per page run (the gate,
    the sidebar and the page all ask), so an account disabled elsewhere is logged out at the next run; `fresh` reads
    it again now."""
    from smartdash import auth

    login = st.session_state.get(AUTH_KEY)
    if not login:
        return None
    if st.session_state.get("auth_sso"):
        return auth.CurrentUser(login, st.session_state["auth_sso"])
    engine = store.engine()
    if fresh:
        cache.forget_this_run("user")
    return cache.once_per_run(
        "user",
        (login, str(engine.url)),
        lambda: cache.read_with_run_version(engine, lambda session: auth.active_account(session, login)),
    )


def logout() -> None:
    for key in (AUTH_KEY, SEEN_KEY, "auth_sso"):
        st.session_state.pop(key, None)


def login_gate():
    """The user, or the login form (or the first-admin form) and a stop: no figure is shown before a login."""
    from smartdash import auth

    settings = load_settings()
    engine = store.engine()
    lang = language()
    now = dt.datetime.now(dt.UTC)
    seen = st.session_state.get(SEEN_KEY)
    if st.session_state.get(AUTH_KEY) and seen and now - seen > dt.timedelta(minutes=settings.idle_minutes):
        auth.record(engine, st.session_state[AUTH_KEY], "session_expired")
        logout()
        st.session_state["auth_expired"] = True
    user = current_user()
    if user is None and st.session_state.get(AUTH_KEY):
        logout()  # the account was disabled since the last page
    if user is None and _sso_configured() and getattr(st.user, "is_logged_in", False):
        user = auth.sso_user(engine, st.user.get("email"), settings.sso_roles)
        if user:
            st.session_state[AUTH_KEY], st.session_state["auth_sso"] = user.login, user.role
    if user is None and st.session_state.get(LOGIN_SUBMIT_KEY):
        user = _submitted_login(engine, settings)  # checked before anything is drawn: the same run shows the app
    if user is not None:
        st.session_state[SEEN_KEY] = now
        return user

    def login_page() -> None:
        st.title("smartdash")
        if st.session_state.pop("auth_expired", False):
            st.info(_(lang, "Session expired after inactivity: please log in again."))
        if not auth.has_users(engine):
            _first_admin_form(engine, lang)
        else:
            _login_form(lang)

    # the only page before a login, with no menu: not even the names of the other pages are shown
    st.navigation([st.Page(login_page, title=_(lang, "Log in"), url_path="connexion")], position="hidden").run()
    st.stop()


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _submitted_login(engine, settings):
    """The user the login form just sent (its button pressed in this run), or None, and the form says why when it is
    drawn again. Checked at the top of the run, so a successful login runs the page at once: no second run that
    would draw the form only to leave it."""
    from smartdash import auth

    user = auth.authenticate(
        engine,
        st.session_state.get("login_username"),
        st.session_state.get("login_password"),
        max_failed=settings.max_failed_logins,
        lock_minutes=settings.lock_minutes,
    )
    if user is None:
        st.session_state[LOGIN_FAILED_KEY] = True
    else:
        st.session_state[AUTH_KEY] = user.login
        st.session_state.pop("login_password", None)  # not left to the end of the run: one that stops keeps it
    return user


def _login_form(lang: str) -> None:
    from smartdash import auth

    with st.form("login"):
        st.header(_(lang, "Log in"))
        st.text_input(_(lang, "Login"), key="login_username")
        st.text_input(_(lang, "Password"), type="password", key="login_password")
        st.form_submit_button(_p(lang, "button", "Log in"), type="primary", key=LOGIN_SUBMIT_KEY)
    if st.session_state.pop(LOGIN_FAILED_KEY, False):
        st.error(_(lang, auth.LOGIN_FAILED))
    if _sso_configured():
        st.button(_(lang, "Log in with single sign-on"), on_click=st.login, key="login_sso")


def _first_admin_form(engine, lang: str) -> None:
    """The first administrator, for the visitor who gives the setup token the server printed in its log (behind a
    reverse proxy every visitor comes from this machine: neither the address nor the Host header tells who they are)."""
    from smartdash import auth

    with st.form("first_admin"):
        st.header(_(lang, "First start: create the administrator account"))
        st.markdown(
            Md(
                _(
                    lang,
                    "No account exists yet. The server printed a setup token in its log when it started (the line "
                    "that begins with `smartdash: setup token`); give it below. Without access to that log, create "
                    "the administrator on the server: `python -m smartdash users add LOGIN --role admin "
                    "--password-stdin`.",
                )
            )
        )
        token = st.text_input(_(lang, "Setup token (in the server's log)"), type="password", key="first_admin_token")
        login = st.text_input(_(lang, "Login"), key="first_admin_login")
        password = st.text_input(_(lang, "Password (12 characters or more)"), type="password", key="first_admin_password")
        submitted = st.form_submit_button(_(lang, "Create the account"), type="primary")
    if submitted:
        try:
            auth.create_first_admin(engine, login, password, token)
        except auth.AccountError as err:
            st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))
        else:
            st.session_state[AUTH_KEY], st.session_state[SEEN_KEY] = login.strip(), dt.datetime.now(dt.UTC)
            st.rerun()


def require_page(permission: str):
    """The user, if their role may use this page; otherwise a clear refusal and a stop (nothing of its data)."""
    user = current_user()
    if user is None or not user.can(permission):
        st.error(_(language(), "Your role does not give access to this page."), icon=":material/lock:")
        st.stop()
    return user


def as_user(action: Callable[Concatenate[CurrentUser | None, Engine, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`action(user, engine, …)` — a guarded action (smartdash.actions, smartdash.committee, …) — for this session's
    user (read again: an earlier action of this run may have changed it), on the store. The action checks the role
    and writes the audit log."""
    try:
        return action(current_user(fresh=True), store.engine(), *args, **kwargs)
    finally:
        cache.forget_this_run("user")  # the action may have changed accounts, this one's role included
