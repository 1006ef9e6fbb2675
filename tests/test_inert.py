"""Text from the data is inert wherever Streamlit renders it: one rendering path (smartdash.inert), held here."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from smartdash import committee, models
from smartdash.auth import CurrentUser
from smartdash.db import session_scope
from smartdash.demo import load_demo
from smartdash.inert import Md, escape, md, st, unescape
from smartdash.web import registry
from smartdash.web.session import LANG_KEY
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "![p](http://evil.example/p.png)"
LINK = "[Reconnectez-vous ici](http://evil.example/login)"
HOSTILE = [
    IMAGE,
    LINK,
    "**gras** _it_ `code` <b>b</b> :red[rouge] :material/home: $x^2$ | a | b |",
    "www.evil.example a@evil.example https://evil.example",
    "- liste\n1. un\n> citation\n# titre\n===",
    "\\[déjà échappé\\]",
    "Échéance : 1 234,5 € (rang 5) - fin.",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_reads_as_written(text):
    assert unescape(escape(text)) == text


def _live_syntax(shown: str) -> list[str]:
    """What is left of markdown syntax in `shown`: unescaped special characters, directives, autolinks, and
    block markers at a line's start."""
    live, plain, i = [], [], 0
    while i < len(shown):
        c = shown[i]
        if c == "\\":  # a backslash escape: the next character is literal
            plain.append(" ")
            i += 2
            continue
        if c in "[]`*_<>$|#@~&" or (c == ":" and i + 1 < len(shown) and not shown[i + 1].isspace()):
            live.append(c)
        plain.append(c)
        i += 1
    for line in shown.split("\n"):
        start = line.lstrip()
        if start[:1] in ("-", "+", "=", ">") or (start[:1].isdigit() and start.lstrip("0123456789")[:1] in (".", ")")):
            live.append(line)
    if "www." in "".join(plain).lower():
        live.append("www.")
    return live


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_holds_no_live_markdown(text):
    assert _live_syntax(escape(text)) == []
    assert _live_syntax(text) or text in HOSTILE[-2:]  # the check itself sees the syntax in the raw text


def test_ordinary_french_text_is_left_as_it_reads():
    assert escape("Quasi-fonds propres (à part) : 1,5 M€.") == "Quasi-fonds propres (à part) : 1,5 M€."


def test_markdown_written_by_the_code_stays_markdown_and_its_data_does_not():
    assert escape(Md("**gras**")) == "**gras**"
    assert md("**{}** — {}", LINK, "A`B") == "**\\[Reconnectez-vous ici\\](http\u2060\\://evil.example/login)** — A\\`B"


def _streamlit_imports(path: Path) -> list[str]:
    """The streamlit modules `path` imports (streamlit itself and its submodules)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "streamlit"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            found.append(node.module)
    return found


def test_pages_the_app_and_the_library_reach_streamlit_only_through_the_inert_path():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "smartdash").rglob("*.py"))]
    offenders = {
        str(p.relative_to(ROOT)): [m for m in _streamlit_imports(p) if m == "streamlit"] for p in files if p.name != "inert.py"
    }
    assert {name: found for name, found in offenders.items() if found} == {}


# Streamlit internals the web layer uses, none of which puts text on screen: the page-run error boundary, the legacy
# page routing, the conversion of a chart's data to Arrow.
WEB_INTERNALS = {
    "streamlit.errors",
    "streamlit.runtime.pages_manager",
    "streamlit.dataframe_util",
    "streamlit.runtime.scriptrunner",  # whether a page run is under way (the first start's titled page)
}


def test_the_web_layer_the_pages_and_the_app_import_no_streamlit_module_but_named_internals():
    web = sorted((ROOT / "smartdash" / "web").glob("*.py"))
    assert {p.stem for p in web} >= {"session", "store", "filters", "widgets", "registry"}
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *web]
    offenders = {str(p.relative_to(ROOT)): set(_streamlit_imports(p)) - WEB_INTERNALS for p in files}
    assert {name: found for name, found in offenders.items() if found} == {}
    assert not (ROOT / "smartdash" / "ui.py").exists()  # the web layer's jobs live in smartdash/web, one a module


def test_the_stand_in_escapes_labels_tabs_help_and_options_in_containers():
    at = AppTest.from_string(f"""
from smartdash.inert import st
text = {LINK!r}
st.caption(text)
col, = st.columns(1)
col.metric(text, "1 234 €", help=text)
tab_a, tab_b = st.tabs([text, "b"])
with tab_a:
    st.expander(text).markdown(text)
st.sidebar.radio(text, ["x"], format_func=lambda o: text)
st.selectbox(text, ["x"], help=text)
""").run()
    assert not at.exception
    inert = escape(LINK)
    assert at.caption[0].value == inert
    assert at.metric[0].label == inert and at.metric[0].value == "1 234 €" and at.metric[0].help == inert
    assert [t.label for t in at.tabs] == [inert, "b"]
    assert at.expander[0].label == inert and at.markdown[0].value == inert
    assert at.sidebar.radio[0].label == inert and at.sidebar.radio[0].options == [inert]
    assert at.selectbox[0].label == inert and at.selectbox[0].help == inert


def test_the_stand_in_escapes_a_static_tables_cells_headers_and_row_names():
    """Streamlit reads a static table (`st.table`) as markdown: a name in a cell, a header or a row name must read as
    written, never become a link or an image."""
    at = AppTest.from_string(f"""
import pandas as pd
from smartdash.inert import st
text = {LINK!r}
st.table(pd.DataFrame({{text: [text, 12]}}, index=[text, "b"]))
""").run()
    assert not at.exception
    inert = escape(LINK)
    frame = at.table[0].value
    assert list(frame.columns) == [inert] and list(frame.index) == [inert, "b"] and frame.iloc[0, 0] == inert


def test_containers_keep_working_as_streamlit_containers():
    assert st.session_state is not None
    assert callable(st.cache_data)
    assert st.column_config.TextColumn("x") is not None


EDITOR = CurrentUser("editor", "editor")


def make_hostile_store(engine) -> None:
    """The demo data with names, notes and texts that are markdown links and outside images."""
    load_demo(engine)
    with session_scope(engine) as s:
        s.execute(update(models.Entity).where(models.Entity.code == "SMARTFR").values(name=LINK))
        s.execute(update(models.Entity).where(models.Entity.code == "SMARTCOOP").values(name=IMAGE))
        s.execute(update(models.Office).values(name=IMAGE, region=LINK))
        s.execute(update(models.PlanVersion).values(name=LINK, adopted_by=IMAGE, note=IMAGE))
        s.execute(update(models.Meeting).values(title=LINK, attendees=IMAGE))
    meeting = committee.add_meeting(
        EDITOR, engine, held_on=dt.date(2026, 11, 20), as_of=dt.date(2026, 10, 31), title=IMAGE, attendees=LINK
    )
    committee.add_note(EDITOR, engine, meeting, LINK)
    committee.add_decision(EDITOR, engine, meeting, IMAGE, owner=LINK, due_date=dt.date(2026, 12, 31))


PLAIN_ELEMENTS = ("vega_lite_chart", "dataframe", "text", "code", "json")  # never read as markdown


PLAIN_OPTIONS = ("selectbox", "multiselect")  # their options are shown as plain text


def _texts(node) -> list[str]:
    """Every element's message as protobuf text (labels, bodies, help, options, tab names), through the tree."""
    found = []
    proto = getattr(node, "proto", None)
    kind = getattr(node, "type", "")
    if proto is not None and kind not in PLAIN_ELEMENTS:
        if kind in PLAIN_OPTIONS:
            proto = type(proto)()
            proto.CopyFrom(node.proto)
            del proto.options[:]
        found.append(str(proto))
    for child in getattr(node, "children", {}).values():
        found += _texts(child)
    return found


def test_hostile_names_reach_no_page_as_live_markdown(store, app_env):
    make_hostile_store(store.engine)
    app_env(store.url)
    seen_escaped = 0
    for path in (page.path for page in registry.PAGES):
        at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "admin").run()
        at.switch_page(path).run()
        assert not at.exception, (path, [e.value for e in at.exception])
        texts = _texts(at._tree)
        for text in texts:
            assert "[p](http" not in text and "[Reconnectez-vous ici](http" not in text, (path, text[:400])
        seen_escaped += sum("Reconnectez-vous ici\\\\]" in t or "!\\\\[p\\\\]" in t for t in texts)
    assert seen_escaped > 0  # the hostile names were shown, escaped


def test_a_call_not_on_the_list_is_refused_not_passed_on():
    """The stand-in fails closed: a Streamlit call it does not know (here `st.latex`, `st.write_stream`, and the same
    on a container) raises instead of rendering its text as markdown; `write` escapes, `html` takes only code."""
    at = AppTest.from_string(f"""
from smartdash.inert import Md, UnlistedCall, st
refused = []
col, = st.columns(1)
for target in (st, col, st.sidebar):
    for name in ("latex", "write_stream", "json"):
        try:
            getattr(target, name)
        except UnlistedCall as error:
            refused.append(error.name)
st.write({LINK!r})
try:
    st.html({LINK!r})
except TypeError:
    refused.append("html")
st.html(Md("<span>code</span>"))
st.caption(", ".join(refused))
""").run()
    assert not at.exception
    assert unescape(at.caption[0].value) == ", ".join(["latex", "write_stream", "json"] * 3 + ["html"])
    written = at.markdown[0].value
    assert _live_syntax(written) == [] and unescape(written) == LINK


@pytest.mark.parametrize("page", [p.path for p in registry.PAGES])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_renders_through_listed_calls_only(page, lang, demo_store, app_env, caplog):
    """Every page, as an administrator (who sees them all), makes only calls the stand-in lists: the page-run error
    boundary (smartdash.web.failures) would tell an `UnlistedCall` as a failed run and log it."""
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.session_state[LANG_KEY] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    failed = [r.exc_info[1] for r in caplog.records if r.name == "smartdash.web.failures" and r.exc_info]
    assert failed == [], [type(e).__name__ for e in failed]
