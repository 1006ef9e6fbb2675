"""The one path by which pages put text on screen: Streamlit with every text shown as it is written.

Streamlit renders markdown (links, images that the viewer's browser fetches, HTML-like syntax, `:red[…]`
directives, LaTeX) in bodies, labels, tab names, tooltips and some options. Names, notes, file names and codes come
from the store, so a page must never hand them to Streamlit as markdown. Pages, `app.py` and `smartdash.web` do not
import streamlit: they use `from smartdash.inert import st`, a stand-in for the streamlit module whose text
arguments are escaped wherever Streamlit would read them as markdown. Markdown the code itself writes (bold, a
coloured icon) is marked with `Md`, and data is put into it with `md()`, which escapes each value.

The stand-in fails closed: a call or attribute not on its lists raises `UnlistedCall`, in production as in tests
(a page that stops on it is better than one that renders a name as live markdown). A test (tests/test_inert.py)
holds pages and the app to this: none imports streamlit, every page renders without an unlisted call, and hostile
names in the store reach no page as live markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import streamlit as _streamlit
from streamlit.delta_generator import DeltaGenerator

# What Streamlit's markdown reads as syntax, escaped with a backslash (CommonMark's own escape): emphasis, code,
# links and images (`[`), autolinks (`<…>`), HTML, LaTeX, tables, headings, Streamlit's
# `:directives:`; at a line's start, lists, quotes and heading underlines. A French « : » (followed by a space) and
# ordinary punctuation are left as they are, so what is shown reads as written.
_ALWAYS = re.compile(r"[\\`*_~\[\]<>&$|#@]")
_DIRECTIVE = re.compile(r":(?=\S)")
_LINE_START = re.compile(r"(?m)^(\s*)([-+=>]|\d+[.)])")
# GitHub's autolinks (`http://…`, `www.…`, `a@b.c`, `mailto:`) are found in the text AFTER escapes are read, so a
# backslash cannot stop them: an invisible WORD JOINER (U+2060) breaks the pattern without changing what is read.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=:/)|(?<=www)(?=\.)|(?=@)|(?<=mailto)(?=:)|(?<=xmpp)(?=:)")
_JOINER = "\u2060"


class Md(str):
    """Markdown written by the code, never by data: shown as markdown."""

    __slots__ = ()


def escape(text: Any) -> str:
    """`text` as it reads, inert in Streamlit's markdown (no formatting, links, images, HTML or directives)."""
    if isinstance(text, Md):
        return text
    text = _ALWAYS.sub(r"\\\g<0>", _AUTOLINK.sub(_JOINER, str(text)))
    text = _DIRECTIVE.sub(r"\\:", text)
    text = _LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], text)
    return text.replace("\n", "  \n")


def md(template: str, *values: Any) -> Md:
    """Markdown written by the code (`template`, with `{}` places) holding data values, each escaped. A place is
    never inside a code span: there, CommonMark shows the escapes themselves."""
    return Md(template.format(*(escape(v) for v in values)))


# Where each call takes markdown: (positions, keyword names) of its text arguments. Values and deltas of metrics
# are numbers formatted by the code (and a delta's leading minus sets its arrow): they are not escaped.
_LABEL = ((0,), ("label", "help"))
_BODY = ((0,), ("body", "help"))
_TEXT_ARGS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    **dict.fromkeys(
        ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success", "toast", "spinner"), _BODY
    ),
    **dict.fromkeys(
        (
            "button",
            "download_button",
            "form_submit_button",
            "link_button",
            "checkbox",
            "toggle",
            "radio",
            "selectbox",
            "multiselect",
            "text_input",
            "text_area",
            "number_input",
            "date_input",
            "time_input",
            "slider",
            "select_slider",
            "file_uploader",
            "color_picker",
            "segmented_control",
            "pills",
            "metric",
            "expander",
            "popover",
            "badge",
            "status",
            "camera_input",
            "page_link",
            "feedback",
        ),
        _LABEL,
    ),
    "tabs": ((0,), ("tabs",)),
    "table": ((0,), ("data",)),  # a static table's cells, headers and row names are read as markdown
    "text": ((), ("help",)),
    "progress": ((1,), ("text",)),
}
# Calls and containers that take no text Streamlit would read as markdown (layout, data grids, charts, a PDF viewer,
# a setting read): passed on as they are. `write` reads its strings as markdown: each is escaped. `html` shows HTML
# as it is: it takes only markup written by the code (an `Md`).
_NO_TEXT = frozenset(
    (
        "columns",
        "container",
        "empty",
        "form",
        "sidebar",
        "divider",
        "dataframe",
        "data_editor",
        "vega_lite_chart",
        "code",
        "pdf",
        "get_option",
    )
)
_CODE_ONLY = frozenset(("html",))
_WRITE = "write"


class UnlistedCall(RuntimeError):
    """A Streamlit call or attribute the inert path does not know how to make safe: refused rather than passed on
    (a call that is not listed here may render its text as markdown or HTML)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"st.{name} is not on smartdash.inert's list: add it to _TEXT_ARGS (with where it takes markdown), "
            "_NO_TEXT or _PASS_THROUGH after checking how Streamlit renders its arguments"
        )
        self.name = name


# Calls whose options Streamlit renders as markdown: their `format_func` output is escaped.
_MARKDOWN_OPTIONS = frozenset(("radio", "segmented_control", "pills", "select_slider"))


def _inert_table(value: Any) -> Any:
    """A static table with every text cell, header and row name escaped."""
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        return value
    frame = value.copy()
    frame.columns = [escape(c) if isinstance(c, str) else c for c in frame.columns]
    frame.index = [escape(i) if isinstance(i, str) else i for i in frame.index]
    return frame.map(lambda v: escape(v) if isinstance(v, str) else v)


def _inert_arg(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "table":
        return _inert_table(value)
    if name == "tabs":
        return [escape(label) for label in value]
    return escape(value) if isinstance(value, str) else value


def _wrap(value: Any) -> Any:
    """Containers handed back by Streamlit (columns, tabs, expanders, forms, the sidebar) keep the inert text path."""
    if isinstance(value, DeltaGenerator):
        return InertStreamlit(value)
    if isinstance(value, list | tuple) and value and all(isinstance(v, DeltaGenerator) for v in value):
        return type(value)(InertStreamlit(v) for v in value)
    return value


def _inert_call(name: str, call: Callable) -> Callable:
    positions, keywords = _TEXT_ARGS[name]

    def inert(*args, **kwargs):
        args = tuple(_inert_arg(name, a) if i in positions else a for i, a in enumerate(args))
        for key in keywords:
            if key in kwargs:
                kwargs[key] = _inert_arg(name, kwargs[key])
        if name in _MARKDOWN_OPTIONS:
            shown = kwargs.get("format_func", str)
            kwargs["format_func"] = lambda option: escape(shown(option))
        if name == "radio" and kwargs.get("captions") is not None:
            kwargs["captions"] = [escape(c) for c in kwargs["captions"]]
        return _wrap(call(*args, **kwargs))

    inert.__name__ = name
    inert.__doc__ = call.__doc__
    return inert


class InertStreamlit:
    """The streamlit module, or one of its containers, with its text arguments made inert (see the module doc)."""

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            return getattr(self._target, name)
        if name not in _LISTED:
            raise UnlistedCall(name)
        value = getattr(self._target, name)
        if name in _TEXT_ARGS and callable(value):
            return _inert_call(name, value)
        if name == _WRITE:
            return lambda *args, **kwargs: _wrap(value(*(escape(a) if isinstance(a, str) else a for a in args), **kwargs))
        if name in _CODE_ONLY:

            def code_only(body: Any, *args, **kwargs):
                if not isinstance(body, Md):
                    raise TypeError(f"st.{name} shows its body as HTML: it takes only markup written by the code (Md)")
                return _wrap(value(str(body), *args, **kwargs))

            return code_only
        if callable(value) and not isinstance(value, type) and name not in _PASS_THROUGH:

            def call(*args, **kwargs):
                return _wrap(value(*args, **kwargs))

            call.__name__, call.__doc__ = name, value.__doc__
            return call
        return _wrap(value)

    def __enter__(self):
        self._target.__enter__()
        return self

    def __exit__(self, *exc):
        return self._target.__exit__(*exc)

    def __iter__(self):
        return iter(self._target)

    def __repr__(self) -> str:
        return f"InertStreamlit({self._target!r})"


# Decorators and objects passed through unchanged (wrapping them would hide what they are from Streamlit).
_PASS_THROUGH = frozenset(
    (
        "cache_data",
        "cache_resource",
        "fragment",
        "dialog",
        "Page",
        "navigation",
        "set_page_config",
        "column_config",
        "session_state",
        "query_params",
        "context",
        "secrets",
        "user",
        "login",
        "logout",
        "stop",
        "rerun",
        "switch_page",
        "open",  # a tab's state (True when chosen) when its tabs track it: a bool, no text
    )
)

_LISTED = frozenset(_TEXT_ARGS) | _NO_TEXT | _CODE_ONLY | {_WRITE} | _PASS_THROUGH

st = InertStreamlit(_streamlit)


def unescape(text: str) -> str:
    """What a reader sees of an escaped text (for tests and exports): the backslash escapes removed."""
    out, chars = [], iter(str(text).replace("  \n", "\n").replace(_JOINER, ""))
    for c in chars:
        out.append(next(chars, "") if c == "\\" else c)
    return "".join(out)
