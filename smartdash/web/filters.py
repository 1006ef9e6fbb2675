"""The shared sidebar (language, entity, as-of date, comparison point, plan version, the user), the filters it sets,
and the line each page starts with, which repeats them."""

from __future__ import annotations

import datetime as dt

from smartdash import charts, formatting, i18n
from smartdash.config import load_settings
from smartdash.i18n import _, _p
from smartdash.inert import st
from smartdash.metrics.versions import version_in_force_on
from smartdash.present import versions as versions_text
from smartdash.views import COMPARISONS, Filters
from smartdash.web import downloads, store, widgets
from smartdash.web.session import APP_FRAME_KEY, LANG_KEY, current_user, language, logout

ENTITY_KEY = "filter_entity"
AS_OF_KEY = "filter_as_of"
FOLLOWED_KEY = "filter_as_of_followed"  # the newest figures' date the as-of date last followed
COMPARE_KEY = "filter_compare"
VERSION_KEY = "filter_plan_version"
IN_FORCE = "__in_force__"  # the plan version choice that follows the as-of date
ALL = "__all__"


def reader_language() -> str:
    """The reader's language, the configured one until they choose; charts built in this run speak it."""
    st.session_state[APP_FRAME_KEY] = True
    st.session_state.setdefault(LANG_KEY, load_settings().language)
    lang = language()
    charts.use_language(lang)
    return lang


def sidebar(*, compares: bool = True) -> str:
    """The shared sidebar (language, entity, as-of date, comparison point, plan version); returns the language.
    `compares`: whether the page shown compares with the point chosen (`Page.compares` in the registry) — elsewhere the
    choice is not offered, so that it never seems to change a page it does not touch, and is kept for the next page
    that compares."""
    lang = reader_language()
    widgets.tile_texts_wrap()
    ref = store.reference()
    side = st.sidebar
    entities = ref["entities"]
    names = dict(zip(entities["code"], entities["name"], strict=True))
    options = [ALL] + list(entities["code"])
    st.session_state.setdefault(ENTITY_KEY, ALL)
    if st.session_state[ENTITY_KEY] not in options:
        st.session_state[ENTITY_KEY] = ALL
    side.selectbox(
        _(lang, "Entity"),
        options,
        key=ENTITY_KEY,
        format_func=lambda c: _(lang, "All (under the plan)") if c == ALL else names.get(c, c),
    )
    latest = ref["latest"] or dt.date.today()
    st.session_state[AS_OF_KEY] = as_of_after(st.session_state.get(AS_OF_KEY), st.session_state.get(FOLLOWED_KEY), latest)
    st.session_state[FOLLOWED_KEY] = latest
    side.date_input(
        _p(lang, "sidebar", "As of"),
        key=AS_OF_KEY,
        format="DD/MM/YYYY",
        min_value=dt.date(2015, 1, 1),
        max_value=max(latest, dt.date.today()),
    )
    # set again at every run: a widget's value is forgotten on a run that does not draw it, and the pages that compare
    # nothing do not draw this one (their menu entry says nothing of a choice they would ignore)
    st.session_state[COMPARE_KEY] = st.session_state.get(COMPARE_KEY, "previous")
    if compares:
        side.selectbox(
            _(lang, "Compare with"),
            COMPARISONS,
            key=COMPARE_KEY,
            format_func=lambda c: compare_label(c, lang),
        )
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
                return _(lang, "In force: {value}", value=in_force or "—")
            note = versions_text.version_note(versions, code, as_of, lang)
            return labels[code] + (f" — {note}" if note else "")

        side.selectbox(
            _(lang, "Plan version"),
            [IN_FORCE] + codes,
            key=VERSION_KEY,
            format_func=version_text,
            help=_(
                lang,
                "By default, the version in force on {as_of}: "
                "{get}. A version adopted after that date can still be "
                "chosen, and the pages say so.",
                as_of=formatting.date_short(as_of),
                get=labels.get(in_force, "—"),
            ),
        )
    side.divider()
    user = current_user()
    if user is not None:
        role = {"viewer": _(lang, "committee member"), "editor": _(lang, "director"), "admin": _(lang, "administrator")}[
            user.role
        ]
        side.caption(f"{user.login} · {role}")
        if side.button(_(lang, "Log out"), key="logout"):
            from smartdash import auth

            auth.record(store.engine(), user.login, "logout")
            logout()
            st.rerun()
    side.radio(_(lang, "Language"), options=list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key=LANG_KEY, horizontal=True)
    return lang


def as_of_after(chosen: dt.date | None, followed: dt.date | None, latest: dt.date) -> dt.date:
    """The session's as-of date once the newest figures are dated `latest`: it follows them while the reader has not
    chosen another date than the one it last followed (`followed`) — a load, this session's, another's or the
    scheduler's, moves it to the new date and an undo back — and stays where the reader put it otherwise."""
    return latest if chosen is None or chosen == followed else chosen


def compare_label(code: str, lang: str) -> str:
    return {
        "previous": _(lang, "Previous period"),
        "year": _(lang, "Same period last year"),
        "meeting": _(lang, "Last committee meeting"),
        "plan": _(lang, "Plan"),
    }[code]


def chosen() -> Filters:
    """The sidebar's current choices."""
    entity = st.session_state.get(ENTITY_KEY, ALL)
    as_of = st.session_state.get(AS_OF_KEY) or store.reference()["latest"] or dt.date.today()
    return Filters(
        entity=None if entity == ALL else entity,
        as_of=as_of,
        compare=st.session_state.get(COMPARE_KEY, "previous"),
        plan_version=plan_version(as_of),
        lang=language(),
    )


def chosen_version() -> str | None:
    """The plan version the reader picked in the sidebar; None while it follows the as-of date."""
    picked = st.session_state.get(VERSION_KEY)
    return picked if picked and picked != IN_FORCE else None


def plan_version(as_of: dt.date) -> str | None:
    """The sidebar's plan version: the one chosen, else the one in force on the as-of date."""
    return chosen_version() or version_in_force_on(store.reference()["versions"], as_of)


def page_header(title: str, f: Filters, *, extra: str = "") -> None:
    """Title and the line every page starts with: as-of date, plan version, comparison."""
    downloads.start_page()
    st.title(title)
    parts = [_(f.lang, "As of {day}", day=formatting.date_long(f.as_of, lang=f.lang))]
    if f.plan_version:
        parts.append(
            _(
                f.lang,
                "plan: {version}",
                version=versions_text.version_label(store.reference()["versions"], f.plan_version, f.as_of, f.lang),
            )
        )
    if extra:
        parts.append(extra)
    st.caption(" · ".join(parts))
