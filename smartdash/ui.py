"""What the pages share: the store's engine, the sidebar filters, cached loaders, small display helpers.

Imports streamlit but needs no running server: AppTest drives it in the tests. The loaders are cached per store,
data version and arguments (smartdash.cache): a write by any process is seen at the next page run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import threading
from collections.abc import Callable
from contextlib import contextmanager

import pandas as pd
from sqlalchemy.orm import Session

from smartdash import actions, cache, charts, formats, formatting, i18n, provenance, queries
from smartdash.config import load_settings
from smartdash.db import engine_for, session_scope, store_error
from smartdash.inert import Md, md, st
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.metrics.versions import version_in_force_on
from smartdash.store import ensure_store
from smartdash.views import COMPARISONS, Filters, pick
from smartdash.views import equity as equity_views
from smartdash.views import execution as execution_views
from smartdash.views import funding as funding_views
from smartdash.views import overview as overview_views
from smartdash.views import people as people_views
from smartdash.views import receivables as receivables_views
from smartdash.views import versions as versions_views

log = logging.getLogger(__name__)
LANG_KEY = "app_lang"
ENTITY_KEY = "filter_entity"
AS_OF_KEY = "filter_as_of"
COMPARE_KEY = "filter_compare"
VERSION_KEY = "filter_plan_version"
IN_FORCE = "__in_force__"  # the plan version choice that follows the as-of date
APP_FRAME_KEY = "app_frame_seen"  # this session has run app.py's frame at least once
ALL = "__all__"

STATUS_BADGE = {
    "green": ("vert", "green", "green", ":material/check_circle:"),
    "amber": ("orange", "amber", "orange", ":material/warning:"),
    "red": ("rouge", "red", "red", ":material/error:"),
}


# --------------------------------------------------------------------------- store


@st.cache_resource(show_spinner=False)
def _ready_engine(url: str, load_demo_when_empty: bool):
    engine = engine_for(url)
    ensure_store(engine, load_demo_when_empty=load_demo_when_empty)
    return engine


@contextmanager
def failures_told(*, routed: bool):
    """Any failure of the page run becomes one message in the reader's language, without SQL, values, names or stack;
    the details go to the server log with a short reference the message repeats. Before the navigation is set up
    (`routed` False: the login gate, the sidebar), the message is the only page: not even the pages' names show."""
    from streamlit.errors import FragmentHandledException

    try:
        yield
    except FragmentHandledException:
        raise
    except Exception as error:
        reference = secrets.token_hex(3)
        log.error("page run failed (reference %s)", reference, exc_info=error)
        lang = language()
        told = store_error(error)
        text = (told.message(lang) if told is not None else pick(
            lang, "Une erreur inattendue est survenue : l'opération n'a pas abouti.",
            "An unexpected error occurred: the operation did not complete."))
        text += pick(lang, f" (référence {reference} dans le journal du serveur)", f" (reference {reference} in the "
                                                                                  "server log)")
        if routed:
            st.error(text, icon=":material/error:")
            return

        def failure_page() -> None:
            st.title("smartdash")
            st.error(text, icon=":material/error:")

        st.navigation([st.Page(failure_page, title="smartdash", url_path="indisponible")], position="hidden").run()
        st.stop()


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


AUTH_KEY = "auth_login"
SEEN_KEY = "auth_last_seen"


def current_user():
    """The logged-in user of this session (re-read from the store), or None."""
    from smartdash import auth

    login = st.session_state.get(AUTH_KEY)
    if not login:
        return None
    if st.session_state.get("auth_sso"):
        return auth.CurrentUser(login, st.session_state["auth_sso"])
    return auth.active_user(store_engine(), login)


def logout() -> None:
    for key in (AUTH_KEY, SEEN_KEY, "auth_sso"):
        st.session_state.pop(key, None)


def _local_visitor() -> bool:
    """A visitor on this machine: no remote address, and a localhost Host header (not through a proxy)."""
    host = (st.context.headers.get("Host") or "").split(":")[0]
    return st.context.ip_address is None and host in ("localhost", "127.0.0.1", "[::1]")


def login_gate():
    """The user, or the login form (or the first-admin form) and a stop: no figure is shown before a login."""
    from smartdash import auth

    settings = load_settings()
    engine = store_engine()
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
    if user is not None:
        st.session_state[SEEN_KEY] = now
        return user

    def login_page() -> None:
        st.title("smartdash")
        if st.session_state.pop("auth_expired", False):
            st.info(pick(lang, "Session expirée après inactivité : reconnectez-vous.",
                         "Session expired after inactivity: please log in again."))
        if not auth.has_users(engine):
            _first_admin_form(engine, lang)
        else:
            _login_form(engine, lang, settings)

    # the only page before a login, with no menu: not even the names of the other pages are shown
    st.navigation([st.Page(login_page, title=pick(lang, "Connexion", "Log in"), url_path="connexion")],
                  position="hidden").run()
    st.stop()


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _login_form(engine, lang: str, settings) -> None:
    from smartdash import auth

    with st.form("login"):
        st.subheader(pick(lang, "Connexion", "Log in"))
        login = st.text_input(pick(lang, "Identifiant", "Login"), key="login_username")
        password = st.text_input(pick(lang, "Mot de passe", "Password"), type="password", key="login_password")
        submitted = st.form_submit_button(pick(lang, "Se connecter", "Log in"), type="primary")
    if submitted:
        user = auth.authenticate(engine, login, password, max_failed=settings.max_failed_logins,
                                 lock_minutes=settings.lock_minutes)
        if user is None:
            st.error(pick(lang, auth.LOGIN_FAILED, "Wrong login or password, or account locked."))
        else:
            st.session_state[AUTH_KEY], st.session_state[SEEN_KEY] = user.login, dt.datetime.now(dt.UTC)
            st.rerun()
    if _sso_configured():
        st.button(pick(lang, "Se connecter avec l'authentification unique", "Log in with single sign-on"),
                  on_click=st.login, key="login_sso")


def _first_admin_form(engine, lang: str) -> None:
    from smartdash import auth

    if not _local_visitor():
        st.warning(Md(pick(lang, "Aucun compte n'existe encore. Créez l'administrateur sur le serveur : "
                              "`python -m smartdash users add LOGIN --role admin --password-stdin`.",
                        "No account exists yet. Create the administrator on the server: "
                        "`python -m smartdash users add LOGIN --role admin --password-stdin`.")))
        return
    with st.form("first_admin"):
        st.subheader(pick(lang, "Premier démarrage : créez le compte administrateur",
                          "First start: create the administrator account"))
        login = st.text_input(pick(lang, "Identifiant", "Login"), key="first_admin_login")
        password = st.text_input(pick(lang, "Mot de passe (12 caractères au moins)", "Password (12 characters or more)"),
                                 type="password", key="first_admin_password")
        submitted = st.form_submit_button(pick(lang, "Créer le compte", "Create the account"), type="primary")
    if submitted:
        try:
            auth.create_first_admin(engine, login, password)
        except auth.AccountError as err:
            st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))
        else:
            st.session_state[AUTH_KEY], st.session_state[SEEN_KEY] = login.strip(), dt.datetime.now(dt.UTC)
            st.rerun()


def require_page(permission: str):
    """The user, if their role may use this page; otherwise a clear refusal and a stop (nothing of its data)."""
    user = current_user()
    if user is None or not user.can(permission):
        st.error(pick(language(), "Votre rôle ne donne pas accès à cette page.",
                      "Your role does not give access to this page."), icon=":material/lock:")
        st.stop()
    return user


def store_engine():
    """The configured store, migrated, with the demo data on a fresh store when config.toml asks for it."""
    settings = load_settings()
    return _ready_engine(settings.database_url, settings.load_demo_when_empty)


def store_changed() -> None:
    """After this session wrote to the store: what the rest of this run reads comes from the new data version
    (every other session and process sees it at its next run anyway)."""
    cache.forget_run_version()


# --------------------------------------------------------------------------- cached loaders


@cache.store_read(store_engine, max_entries=8)
def reference(session: Session) -> dict:
    return {
        "entities": queries.entities(session=session),
        "versions": queries.plan_versions(session=session),
        "latest": queries.latest_data_date(session=session),
        "receivable_entities": queries.receivable_entities(session=session),
    }


@cache.store_read(store_engine)
def overview(session: Session, filters: Filters):
    tiles = overview_views.overview_tiles(session=session, filters=filters)
    return tiles, overview_views.attention_items(session=session, filters=filters, tiles=tiles)


@cache.store_read(store_engine)
def equity(session: Session, filters: Filters, entity: str, name: str):
    return equity_views.equity_view(session=session, filters=filters, entity=entity, entity_name=name)


@cache.store_read(store_engine)
def funding(session: Session, filters: Filters, definition: OnePlusOneDefinition):
    return funding_views.funding_view(session=session, filters=filters, definition=definition)


def _plan_adopted_on(session) -> dt.date | None:
    """The adoption date of the plan as first adopted, when the store has it."""
    original = versions_views.ordered_versions(session=session)
    adopted = original.iloc[0]["adopted_on"] if not original.empty else None
    return adopted if adopted is not None and not pd.isna(adopted) else None


@cache.store_read(store_engine)
def headcount(session: Session, filters: Filters, entities: list[str]):
    return people_views.headcount_view(session=session, filters=filters, entities=list(entities),
                                       plan_adopted_on=_plan_adopted_on(session))


@cache.store_read(store_engine)
def membership(session: Session, filters: Filters):
    return people_views.membership_view(session=session, filters=filters)


@cache.store_read(store_engine)
def receivables(session: Session, entity: str, as_of: dt.date, lang: str):
    return receivables_views.receivables_view(session=session, entity=entity, as_of=as_of, lang=lang)


@cache.store_read(store_engine, max_entries=32)
def _largest_overdue(session: Session, entity: str, as_of: dt.date):
    return queries.largest_overdue_clients(session=session, entity=entity, as_of=as_of)


def largest_overdue_clients(entity: str, as_of: dt.date) -> pd.DataFrame:
    """Client names: checked against the user's role before the (cached) read."""
    from smartdash.auth import require

    require(current_user(), "see_clients")
    return _largest_overdue(entity, as_of)


@cache.store_read(store_engine, max_entries=8)
def versions(session: Session):
    return versions_views.versions_view(session=session)


@cache.store_read(store_engine)
def execution(session: Session, filters: Filters, entity: str, name: str):
    return execution_views.execution_view(session=session, filters=filters, entity=entity, entity_name=name,
                                          plan_adopted_on=_plan_adopted_on(session))


# --------------------------------------------------------------------------- sidebar and filters


def language() -> str:
    """The reader's language: the sidebar's choice, else config.toml's default."""
    return st.session_state.get(LANG_KEY) or load_settings().language


def sidebar() -> str:
    """The shared sidebar (language, entity, as-of date, comparison point, plan version); returns the language."""
    st.session_state[APP_FRAME_KEY] = True
    st.session_state.setdefault(LANG_KEY, load_settings().language)
    lang = language()
    charts.use_language(lang)
    ref = reference()
    side = st.sidebar
    entities = ref["entities"]
    names = dict(zip(entities["code"], entities["name"], strict=True))
    options = [ALL] + list(entities["code"])
    st.session_state.setdefault(ENTITY_KEY, ALL)
    if st.session_state[ENTITY_KEY] not in options:
        st.session_state[ENTITY_KEY] = ALL
    side.selectbox(pick(lang, "Entité", "Entity"), options, key=ENTITY_KEY,
                   format_func=lambda c: pick(lang, "Toutes (sous plan)", "All (under the plan)") if c == ALL
                   else names.get(c, c))
    latest = ref["latest"] or dt.date.today()
    st.session_state.setdefault(AS_OF_KEY, latest)
    side.date_input(pick(lang, "Situation au", "As of"), key=AS_OF_KEY, format="DD/MM/YYYY",
                    min_value=dt.date(2015, 1, 1), max_value=max(latest, dt.date.today()))
    st.session_state.setdefault(COMPARE_KEY, "previous")
    side.selectbox(pick(lang, "Comparer avec", "Compare with"), COMPARISONS, key=COMPARE_KEY,
                   format_func=lambda c: compare_label(c, lang))
    versions = ref["versions"]
    codes = list(versions["code"])
    if codes:
        # by default the version in force on the as-of date, following that date; any other stays selectable
        st.session_state.setdefault(VERSION_KEY, IN_FORCE)
        if st.session_state[VERSION_KEY] not in codes:
            st.session_state[VERSION_KEY] = IN_FORCE
        as_of = st.session_state.get(AS_OF_KEY) or latest
        labels = dict(zip(versions["code"], versions["name"], strict=True))
        in_force = version_in_force_on(versions, as_of)

        def version_text(code: str) -> str:
            if code == IN_FORCE:  # short: the sidebar is narrow, and the as-of date is just above
                return pick(lang, f"En vigueur : {in_force or '—'}", f"In force: {in_force or '—'}")
            note = versions_views.version_note(versions, code, as_of, lang)
            return labels[code] + (f" — {note}" if note else "")

        side.selectbox(pick(lang, "Version du plan", "Plan version"), [IN_FORCE] + codes, key=VERSION_KEY,
                       format_func=version_text,
                       help=pick(lang, f"Par défaut, la version en vigueur au {formatting.date_short(as_of)} : "
                                       f"{labels.get(in_force, '—')}. Une version adoptée après cette date reste au "
                                       "choix, et les pages le disent.",
                                 f"By default, the version in force on {formatting.date_short(as_of)}: "
                                 f"{labels.get(in_force, '—')}. A version adopted after that date can still be "
                                 "chosen, and the pages say so."))
    side.divider()
    user = current_user()
    if user is not None:
        role = {"viewer": pick(lang, "membre du comité", "committee member"), "editor": pick(lang, "direction", "director"),
                "admin": pick(lang, "administrateur", "administrator")}[user.role]
        side.caption(f"{user.login} · {role}")
        if side.button(pick(lang, "Se déconnecter", "Log out"), key="logout"):
            from smartdash import auth

            auth.record(store_engine(), user.login, "logout")
            logout()
            st.rerun()
    side.radio(pick(lang, "Langue", "Language"), options=list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key=LANG_KEY,
               horizontal=True)
    return lang


def compare_label(code: str, lang: str) -> str:
    return {
        "previous": pick(lang, "Période précédente", "Previous period"),
        "meeting": pick(lang, "Dernier comité", "Last committee meeting"),
        "plan": pick(lang, "Plan", "Plan"),
    }[code]


def filters() -> Filters:
    """The sidebar's current choices."""
    entity = st.session_state.get(ENTITY_KEY, ALL)
    as_of = st.session_state.get(AS_OF_KEY) or reference()["latest"] or dt.date.today()
    return Filters(
        entity=None if entity == ALL else entity,
        as_of=as_of,
        compare=st.session_state.get(COMPARE_KEY, "previous"),
        plan_version=plan_version(as_of),
        lang=language(),
    )


def plan_version(as_of: dt.date) -> str | None:
    """The sidebar's plan version: the one chosen, else the one in force on the as-of date."""
    chosen = st.session_state.get(VERSION_KEY)
    if chosen and chosen != IN_FORCE:
        return chosen
    return version_in_force_on(reference()["versions"], as_of)


def entity_names() -> dict[str, str]:
    entities = reference()["entities"]
    return dict(zip(entities["code"], entities["name"], strict=True))


def plan_entities(f: Filters) -> list[tuple[str, str]]:
    """(code, name) of the chosen entity, or of every entity under the plan."""
    entities = reference()["entities"]
    rows = entities[entities["code"] == f.entity] if f.entity else entities[entities["under_plan"].astype(bool)]
    return list(zip(rows["code"], rows["name"], strict=True))


# --------------------------------------------------------------------------- display helpers


def page_header(title: str, f: Filters, *, extra: str = "") -> None:
    """Title and the line every page starts with: as-of date, plan version, comparison."""
    start_page()
    st.title(title)
    parts = [pick(f.lang, "Situation au ", "As of ") + formatting.date_long(f.as_of, lang=f.lang)]
    if f.plan_version:
        parts.append(pick(f.lang, "plan : ", "plan: ")
                     + versions_views.version_label(reference()["versions"], f.plan_version, f.as_of, f.lang))
    if extra:
        parts.append(extra)
    st.caption(" · ".join(parts))


def synthetic_notice(is_synthetic: bool, lang: str) -> None:
    if is_synthetic:
        st.warning(pick(lang, *i18n.DEMO_BANNER), icon=":material/science:")


def status_badge(status: str | None, lang: str) -> None:
    if status in STATUS_BADGE:
        fr, en, colour, icon = STATUS_BADGE[status]
        st.badge(pick(lang, fr, en), color=colour, icon=icon)
    else:
        st.badge(pick(lang, "sans plan", "no plan"), color="gray")


def sources_expander(sources: list[str], lang: str, *, synthetic: bool) -> None:
    """The "source" expander: the provenance of what the page shows."""
    with st.expander(pick(lang, "Sources des chiffres affichés", "Sources of the figures shown"), icon=":material/description:"):
        if synthetic:
            st.markdown(Md(pick(lang, "Certaines valeurs affichées sont **synthétiques** (démonstration) : elles sont "
                                      "marquées « démo / synthétique » (tracés plus clairs, colonne « Origine »).",
                                "Some values shown are **synthetic** (demo): they are marked \"demo / synthetic\" "
                                "(lighter marks, \"Origin\" column).")))
        none = pick(lang, "Aucun document : valeurs générées (démo / synthétique)",
                    "No document: generated values (demo / synthetic)") if synthetic else "—"
        st.dataframe(pd.DataFrame({pick(lang, "Source", "Source"): sources or [none]}), hide_index=True)


def metric(label: str, value: str, origin: provenance.Provenance, *, where=None, help: str | None = None,
           **kwargs) -> None:
    """`st.metric` that says where its figure comes from: a short mark after the label when synthetic (the flask of
    the demo banner and « démo »: the full « démo / synthétique » would be cut off in a narrow column), the source or
    the full mark in its tooltip."""
    lang = language()
    shown = md("{} " + metric_mark(lang), label) if origin.synthetic else label  # the label is data: escaped
    said = origin.describe(lang) if origin.known or value != "—" else pick(lang, "Aucune donnée à cette date.",
                                                                            "No data at this date.")
    (where or st).metric(shown, value, help=f"{help}\n\n{said}" if help else said, **kwargs)


def metric_mark(lang: str) -> str:
    """What follows the label of a metric whose figure is synthetic."""
    return f":orange[:material/science: {pick(lang, *provenance.SHORT_MARK)}]"


def empty_state(lang: str, what_fr: str, what_en: str) -> None:
    st.info(pick(lang, f"Aucune donnée pour ces filtres. Chargez {what_fr} (voir docs/formats.md) ou changez de "
                       "filtres.", f"No data for these filters. Load {what_en} (see docs/formats.md) or change the "
                                   "filters."), icon=":material/info:")


_tables = threading.local()


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _next_element() -> int:
    """A counter of the charts and tables of this script run: stable across reruns of the same page."""
    _tables.count = getattr(_tables, "count", 0) + 1
    return _tables.count


@cache.by_content(max_entries=512)
def _chart_specs(builder: str, lang: str, args: tuple, kwargs: dict) -> tuple[dict, dict]:
    """A chart's Vega-Lite spec (for its downloads) and the same spec with its data already in Arrow, as Streamlit
    sends it: built once per input (Altair costs tens of milliseconds a chart, Streamlit's conversion of its data
    a few more at every run)."""
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes  # Streamlit's own conversion, not text

    charts.use_language(lang)
    spec = getattr(charts, builder)(*args, **kwargs).to_dict(validate=False)
    datasets = spec.get("datasets") or {}
    shown = {**spec, "datasets": {name: convert_anything_to_arrow_bytes(values)
                                  for name, values in datasets.items()}} if datasets else spec
    return spec, shown


def plot(builder: str, *args, **kwargs) -> None:
    """Draw `charts.<builder>(*args, **kwargs)` (its spec cached), with its PNG and SVG downloads."""
    chart(*_chart_specs(builder, language(), args, kwargs))


def chart(c, shown: dict | None = None) -> None:
    """Show a chart (an Altair chart or its spec; `shown`: the same spec with its data already in Arrow) with the
    smartdash theme (not Streamlit's), and offer it as PNG and SVG exactly as shown (rendered offline, only when
    asked for)."""
    from smartdash.export.images import chart_png, chart_svg

    spec = c if isinstance(c, dict) else c.to_dict(validate=False)
    # Streamlit takes the data out of the spec it is given: a copy, so the downloads keep theirs (and the cache its)
    st.vega_lite_chart(spec=dict(shown or spec), theme=None, width="stretch")
    lang = language()
    title = spec.get("title")
    title = title if isinstance(title, str) and title else "graphique"
    name = re.sub(r"[^\w-]+", "_", title.lower()).strip("_")[:60] or "graphique"
    key = _key(f"{title}#{_next_element()}")  # the same chart title can recur, in tabs
    # a row of buttons as wide as their labels: columns cut them to "P…" under a half-width chart
    row = st.container(horizontal=True, gap="small")
    row.download_button("PNG", lambda: chart_png(spec, lang=lang), file_name=f"{name}.png", mime="image/png",
                         key=f"png_{key}", on_click="ignore", type="tertiary", icon=":material/image:")
    row.download_button("SVG", lambda: chart_svg(spec, lang=lang), file_name=f"{name}.svg", mime="image/svg+xml",
                          key=f"svg_{key}", on_click="ignore", type="tertiary", icon=":material/draw:")


def table(frame: pd.DataFrame, name: str, **kwargs) -> None:
    """Show a table, offer it as CSV and XLSX (French headers, formulas neutralised), and keep it for the page's
    workbook."""
    from smartdash.export.tables import csv_bytes, xlsx_bytes

    frame = shown_blanks(frame)
    st.dataframe(frame, hide_index=True, **kwargs)
    if not hasattr(_tables, "shown"):
        _tables.shown = {}
    _tables.shown[name] = frame
    slug = re.sub(r"[^\w-]+", "_", name.lower()).strip("_")[:60]
    row = st.container(horizontal=True, gap="small")  # buttons as wide as their labels
    user, engine = current_user(), store_engine()  # the callable runs later, on a thread with no session

    def audited(make, kind):
        def data():
            actions.record_export(user, engine, kind, {"table": name})
            return make()
        return data

    row.download_button("CSV", audited(lambda: csv_bytes(frame), "csv"), file_name=f"{slug}.csv", mime="text/csv",
                         key=f"csv_{_key(name)}_{_next_element()}", on_click="ignore", type="tertiary",
                         icon=":material/table:")
    row.download_button("XLSX", audited(lambda: xlsx_bytes({name: frame}), "xlsx"), file_name=f"{slug}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx_{_key(name)}_{_next_element()}", on_click="ignore", type="tertiary",
                          icon=":material/grid_on:")


def shown_blanks(frame: pd.DataFrame) -> pd.DataFrame:
    """A missing text (None, NaN) reads "—", never "None" or "nan" (the grid would print them)."""
    text = [c for c in frame.columns if frame[c].map(lambda v: v is None or (isinstance(v, float) and pd.isna(v))).any()]
    if not text:
        return frame
    return frame.assign(**{c: [("—" if v is None or (isinstance(v, float) and pd.isna(v)) else v) for v in frame[c]]
                           for c in text})


def start_page() -> None:
    """A page that does not use page_header starts its table list (and element counter) here."""
    _tables.shown, _tables.count = {}, 0


def page_workbook(page: str) -> None:
    """One XLSX with a sheet per table the page showed."""
    from smartdash.export.tables import xlsx_bytes

    shown = dict(getattr(_tables, "shown", {}))
    _tables.shown = {}
    if shown:
        st.download_button(pick(language(), "Toutes les tables de la page (XLSX)", "Every table on this page (XLSX)"),
                           lambda: xlsx_bytes(shown), file_name=f"{page}.xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"workbook_{page}", icon=":material/download:")


PAGES = [
    ("pages/overview.py", "Vue d'ensemble", "Overview", ":material/dashboard:"),
    ("pages/equity.py", "Capitaux propres", "Equity", ":material/trending_up:"),
    ("pages/funding.py", "Financement 1+1", "Funding 1+1", ":material/handshake:"),
    ("pages/headcount.py", "Effectifs", "Headcount", ":material/groups:"),
    ("pages/membership.py", "Sociétariat", "Membership", ":material/apartment:"),
    ("pages/receivables.py", "Créances", "Receivables", ":material/receipt_long:"),
    ("pages/execution.py", "Exécution du plan", "Plan execution", ":material/gavel:"),
    ("pages/committee.py", "Réunions et décisions", "Meetings and decisions", ":material/groups_2:"),
    ("pages/catalogue.py", "Catalogue des indicateurs", "Indicator catalogue", ":material/tune:"),
    ("pages/versions.py", "Versions du plan", "Plan versions", ":material/history:"),
    ("pages/export.py", "Dossier du comité", "Board pack", ":material/slideshow:"),
    ("pages/subscriptions.py", "Mes abonnements", "My subscriptions", ":material/mail:"),
    ("pages/data.py", "Chargement des données", "Data loading", ":material/upload_file:"),
    ("pages/admin.py", "Administration", "Administration", ":material/admin_panel_settings:"),
]


def page_titles(lang: str) -> list[str]:
    """The navigation's page titles, in order, in the reader's language."""
    return [pick(lang, fr, en) for _path, fr, en, _icon in PAGES]


PAGE_PERMISSION = {"pages/data.py": "import", "pages/admin.py": "users", "pages/catalogue.py": "catalogue"}


def may_open(path: str, user) -> bool:
    return user is None or path not in PAGE_PERMISSION or user.can(PAGE_PERMISSION[path])


def visible_page_titles(lang: str, user) -> list[str]:
    """The menu as this user sees it: pages their role may not use are not listed."""
    return [title for (path, *_rest), title in zip(PAGES, page_titles(lang), strict=True) if may_open(path, user)]


SECTIONS = [  # the menu's groups, in order, with the pages (by file) they hold
    (("Le plan", "The plan"), ("overview", "equity", "funding", "execution", "versions")),
    (("L'activité", "Activity"), ("headcount", "membership", "receivables")),
    (("Le comité", "The committee"), ("committee", "catalogue", "export", "subscriptions")),
    (("Les données", "Data"), ("data", "admin")),
]


def navigation_pages(lang: str, user=None) -> dict:
    """Every page in its menu section, titled in the reader's language; the overview is the home page. Pages the
    user's role may not use are hidden from the menu, and say so when opened by their address."""
    pages = {
        path.split("/")[1].removesuffix(".py"): st.Page(
            path, title=title, icon=icon, default=i == 0,
            url_path=path.split("/")[1].removesuffix(".py") if i else None,
            visibility="visible" if may_open(path, user) else "hidden")
        for i, ((path, _fr, _en, icon), title) in enumerate(zip(PAGES, page_titles(lang), strict=True))
    }
    return {pick(lang, *label): [pages[name] for name in names] for label, names in SECTIONS}


# --------------------------------------------------------------------------- data loading




def preview_upload(name: str, data: bytes, kind: str | None, entity: str | None = None):
    """(diff, preview frame) of an uploaded file, or raises FileRefused; writes nothing."""
    from smartdash.importing import preview_file

    settings = load_settings()
    return preview_file(store_engine(), name, data, kind=kind, max_file_mb=settings.import_max_file_mb,
                        max_rows=settings.import_max_rows, entity=entity)


def import_upload(name: str, data: bytes, kind: str | None, entity: str | None = None, *,
                  allow_large_removal: bool = False):
    """Load an uploaded file in one transaction, then make every page read the store again. A file removing more
    than a fifth of a stored snapshot is refused unless `allow_large_removal` (the page's confirmation)."""

    settings = load_settings()
    [result] = actions.import_files(current_user(), store_engine(), [(name, data)], kind=kind,
                                    max_file_mb=settings.import_max_file_mb, max_rows=settings.import_max_rows,
                                    entity=entity, allow_large_removal=allow_large_removal)
    store_changed()
    return result


def undo(load_id: int) -> int:
    count = actions.undo_load(current_user(), store_engine(), load_id)
    store_changed()
    return count


def load_history() -> pd.DataFrame:
    from smartdash.importing import load_history as history

    with session_scope(store_engine()) as s:
        return history(session=s)


def dataset_export(kind: str) -> Callable[[], bytes]:
    """A download's data, made when the user asks for it (a dataset may hold millions of rows): the dataset in its
    import format, UTF-8 with BOM for French spreadsheets; the export is recorded in the audit log."""
    from smartdash.importing import export_csv

    user, engine = current_user(), store_engine()  # the callable runs later, on a thread with no session

    def data() -> bytes:
        actions.record_export(user, engine, "csv", {"dataset": kind})
        return ("\ufeff" + export_csv(engine, kind)).encode("utf-8")

    return data


def problems_table(problems, lang: str) -> pd.DataFrame:
    """Every problem of a refused file: file, row, column, value, expected."""
    return pd.DataFrame({
        pick(lang, "Fichier", "File"): [p.file for p in problems],
        pick(lang, "Ligne", "Row"): [p.row if p.row is not None else "" for p in problems],
        pick(lang, "Colonne", "Column"): [p.column or "" for p in problems],
        pick(lang, "Valeur lue", "Value read"): [p.value or "" for p in problems],
        pick(lang, "Attendu", "Expected"): [p.expected for p in problems],
    })


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        "n°": history["id"],
        pick(lang, "Quand", "When"): [formatting.date_short(d) + d.strftime(" %H:%M") for d in history["loaded_at"]],
        pick(lang, "Qui", "Who"): history["loaded_by"],
        pick(lang, "Fichier", "File"): history["file_name"],
        pick(lang, "Type", "Kind"): [pick(lang, formats.DATASETS[k].title_fr, formats.DATASETS[k].title_en)
                                     if k in formats.DATASETS else pick(lang, *LOAD_KINDS.get(k, (k, k)))
                                     for k in history["kind"]],
        **{label: [formatting.number(n, lang=lang) for n in history[column]] for label, column in (
            (pick(lang, "Nouvelles", "New"), "rows_inserted"), (pick(lang, "Modifiées", "Changed"), "rows_updated"),
            (pick(lang, "Identiques", "Unchanged"), "rows_unchanged"), (pick(lang, "Retirées", "Removed"),
                                                                       "rows_deleted"))},
        pick(lang, "État", "State"): [pick(lang, "annulé", "undone") if s == "undone" else pick(lang, "appliqué",
                                                                                                  "applied")
                                      for s in history["status"]],
        "SHA-256": [c[:12] for c in history["checksum"]],
    })


LOAD_KINDS = {"fec": ("Écritures comptables (FEC)", "Ledger export (FEC)")}


# --------------------------------------------------------------------------- the books (FEC)


def is_fec(data: bytes) -> bool:
    from smartdash.fec import recognised

    return recognised(data)


def fec_reconciliation_table(lang: str) -> pd.DataFrame:
    """Values an FEC gave that another file also gave: both, their difference and sources, formatted."""
    from smartdash.fec import reconciliation

    with session_scope(store_engine()) as s:
        frame = reconciliation(session=s)

    def shown(values):
        return [formatting.value(v, u, lang=lang) for v, u in zip(values, frame["unit"], strict=True)]

    return pd.DataFrame({
        pick(lang, "Indicateur", "Indicator"): frame["label_fr" if lang != "en" else "label_en"],
        pick(lang, "Entité", "Entity"): frame["entity"],
        pick(lang, "Au", "As of"): [formatting.date_short(d) for d in frame["period_end"]],
        pick(lang, "Selon le FEC", "From the FEC"): shown(frame["fec_value"]),
        pick(lang, "Selon l'autre fichier", "From the other file"): shown(frame["other_value"]),
        pick(lang, "Écart (FEC − autre)", "Difference (FEC − other)"): shown(frame["difference"]),
        pick(lang, "Source FEC", "FEC source"): frame["fec_source"],
        pick(lang, "Autre source", "Other source"): frame["other_source"],
    })


def fec_ledger_dates() -> pd.DataFrame:
    from smartdash.fec import ledger_dates

    with session_scope(store_engine()) as s:
        return ledger_dates(session=s)


def fec_trial_balance_table(entity: str, as_of: dt.date, lang: str) -> pd.DataFrame:
    """An entity's trial balance read from its FEC, amounts in French format, with its total line."""
    from smartdash.fec import trial_balance

    with session_scope(store_engine()) as s:
        frame = trial_balance(session=s, entity=entity, as_of=as_of)
    total = [pick(lang, "Total", "Total"), "", sum(frame["debit"]), sum(frame["credit"]), sum(frame["balance"])]
    rows = [*frame.itertuples(index=False, name=None), tuple(total)]
    return pd.DataFrame({
        pick(lang, "Compte", "Account"): [r[0] for r in rows],
        pick(lang, "Libellé", "Label"): [r[1] for r in rows],
        pick(lang, "Débit", "Debit"): [formatting.money(r[2], lang=lang, places=2) for r in rows],
        pick(lang, "Crédit", "Credit"): [formatting.money(r[3], lang=lang, places=2) for r in rows],
        pick(lang, "Solde (débit − crédit)", "Balance (debit − credit)"): [formatting.money(r[4], lang=lang, places=2)
                                                                          for r in rows],
    })


def fec_mapping_frame() -> pd.DataFrame:
    from smartdash.fec_mapping import mapping_frame

    with session_scope(store_engine()) as s:
        return mapping_frame(session=s)


def save_fec_mapping(frame: pd.DataFrame) -> int:
    """The admins' edit of the account mapping, guarded and audited in smartdash.fec_mapping."""
    from smartdash.fec_mapping import rules_from_frame, save_mapping

    return save_mapping(current_user(), store_engine(), rules_from_frame(frame))


def build_deck(filters: Filters, lang: str, progress):
    """The board pack for the sidebar's filters, in `lang` (not cached: a deck is built when asked for)."""
    from dataclasses import replace

    from smartdash.export.slides import build_deck as build

    actions.record_export(current_user(), store_engine(), "slides", {"as_of": filters.as_of, "lang": lang})
    return build(store_engine(), filters=replace(filters, lang=lang), template=load_settings().export_template,
                 progress=progress)


def build_pdf(filters: Filters, lang: str, meeting_id: int | None, progress):
    """The printed board pack (A4 PDF) for the sidebar's filters or a meeting, in `lang`; recorded like the deck."""
    from dataclasses import replace

    from smartdash.export.pdf import build_pdf as build

    actions.record_export(current_user(), store_engine(), "pdf", {"as_of": filters.as_of, "lang": lang,
                                                                  "meeting": meeting_id})
    return build(store_engine(), filters=replace(filters, lang=lang), meeting_id=meeting_id, progress=progress)


# --------------------------------------------------------------------------- administration


def admin_action(name: str, *args) -> None:
    """A user-management action, guarded in smartdash.actions."""
    getattr(actions, name)(current_user(), store_engine(), *args)


def users_table(lang: str) -> pd.DataFrame:
    users = actions.list_users(current_user(), store_engine())
    return pd.DataFrame({
        pick(lang, "Identifiant", "Login"): users["login"],
        pick(lang, "Rôle", "Role"): users["role"],
        pick(lang, "Actif", "Active"): [pick(lang, "oui", "yes") if a else pick(lang, "non", "no") for a in users["active"]],
        pick(lang, "Verrouillé jusqu'à", "Locked until"): [
            "" if pd.isna(t) or t is None else pd.Timestamp(t).strftime("%d/%m/%Y %H:%M") for t in users["locked_until"]],
    })


def audit_table(lang: str) -> pd.DataFrame:
    log = actions.audit_log(current_user(), store_engine())
    return pd.DataFrame({
        pick(lang, "Quand (UTC)", "When (UTC)"): [pd.Timestamp(t).strftime("%d/%m/%Y %H:%M:%S") for t in log["at"]],
        pick(lang, "Qui", "Who"): log["login"].fillna(""),
        pick(lang, "Action", "Action"): log["action"],
        pick(lang, "Détail", "Detail"): log["detail"].fillna(""),
    })


# --------------------------------------------------------------------------- the committee


def committee_call(name: str, *args, **kwargs):
    """A committee change, guarded in smartdash.committee; every page reads the store again afterwards."""
    from smartdash import committee

    result = getattr(committee, name)(current_user(), store_engine(), *args, **kwargs)
    store_changed()
    return result


@cache.store_read(store_engine)
def _committee_read(session: Session, name: str, arguments: tuple):
    from smartdash import committee

    return getattr(committee, name)(session=session, **dict(arguments))


def committee_read(name: str, **kwargs):
    """A read of the committee's work (meetings, notes, decisions, the catalogue), cached like the pages' others."""
    return _committee_read(name, tuple(sorted(kwargs.items())))


def indicator_codes() -> list[str]:
    e = store_engine()
    with session_scope(e) as s:
        return list(queries.indicators(session=s)["code"])


def decisions_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    today = dt.date.today()
    states = {"open": pick(lang, "ouverte", "open"), "done": pick(lang, "faite", "done"),
              "cancelled": pick(lang, "abandonnée", "cancelled")}
    return pd.DataFrame({
        pick(lang, "Réunion", "Meeting"): [formatting.date_short(d) for d in frame["meeting"]],
        pick(lang, "Décision", "Decision"): frame["text"],
        pick(lang, "Responsable", "Owner"): frame["owner"],
        pick(lang, "Échéance", "Due"): [formatting.date_short(d) if d else "—" for d in frame["due_date"]],
        pick(lang, "État", "State"): [states[s] + (pick(lang, " (en retard)", " (late)") if s == "open" and d
                                                   and d < today else "")
                                      for s, d in zip(frame["status"], frame["due_date"], strict=True)],
        pick(lang, "Saisie par", "By"): frame["created_by"],
    })


def frozen_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    def shown(v, u):
        return formatting.value(v, u, lang=lang) if v is not None else "—"

    return pd.DataFrame({
        pick(lang, "Indicateur", "Indicator"): frame["label"],
        pick(lang, "Entité", "Entity"): frame["entity"],
        pick(lang, "Au", "As of"): [formatting.date_short(d) for d in frame["period_end"]],
        pick(lang, "Présenté", "Presented"): [shown(v, u) for v, u in zip(frame["presented"], frame["unit"], strict=True)],
        pick(lang, "Corrigé depuis", "Corrected since"): [shown(v, u) for v, u in zip(frame["corrected"], frame["unit"],
                                                                                        strict=True)],
        pick(lang, "Différence", "Difference"): ["" if d is None or d == 0 else shown(d, u)
                                                 for d, u in zip(frame["difference"], frame["unit"], strict=True)],
    })
