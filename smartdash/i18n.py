"""What the user reads, French first, English available.

Messages are written once, in English, in the code (`_()`/`N_()` mark them for `pybabel extract`), and translated in
gettext catalogues under `smartdash/locale/`. A problem the library reports is a `Text`: a message with its
parameters, rendered in the reader's language where it is shown, never a sentence built in one language.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = {"fr": "Français", "en": "English"}
DOMAIN = "smartdash"
LOCALE_DIR = Path(__file__).parent / "locale"


@functools.cache
def _catalogue(lang: str) -> _gettext.NullTranslations:
    """The catalogue of a language: its compiled `.mo` when it is there and not older than its `.po`, else the
    `.po` compiled (a fresh clone works without `pybabel compile`); the messages themselves (English) when the
    language has no catalogue. A `.po` compiled is kept in the user's cache under its content's digest: compiling
    takes a quarter of a second, most of a command's start."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as f:
            return _gettext.GNUTranslations(f)
    if not po.exists():
        return _gettext.NullTranslations()
    source = po.read_bytes()
    cached = _cache_dir() / f"{DOMAIN}-{lang}-{hashlib.sha256(source).hexdigest()[:20]}.mo"
    try:
        return _gettext.GNUTranslations(io.BytesIO(cached.read_bytes()))
    except (OSError, ValueError):  # not compiled yet (or a damaged copy): compiled again
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    _keep(cached, compiled.getvalue())
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "smartdash"


def _keep(path: Path, data: bytes) -> None:
    """Writes a compiled catalogue whole or not at all (a process reading it meanwhile never sees half of it); a
    cache that cannot be written is done without."""
    import tempfile  # only when a catalogue is compiled

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".tmp", delete=False) as f:
            f.write(data)
        os.replace(f.name, path)
    except OSError:
        return


def _(lang: str, message: str, /, **fields: Any) -> str:
    """`message` (an English msgid) in the reader's language, its `{fields}` filled in."""
    translated = _catalogue(lang).gettext(message)
    return translated.format(**fields) if fields else translated


def _p(lang: str, context: str, message: str, /, **fields: Any) -> str:
    """`_` for an English message that reads differently in another language depending on where it is shown
    (gettext's msgctxt)."""
    translated = _catalogue(lang).pgettext(context, message)
    return translated.format(**fields) if fields else translated


def every_language(message: str) -> tuple[str, ...]:
    """A message as it reads in each language (to recognise it in a text in either)."""
    return tuple(_(lang, message) for lang in LANGUAGES)


def template_messages(lang: str) -> dict[str, Any]:
    """The message functions of a Jinja template, in the reader's language: `_("English", **fields)`,
    `pgettext("context", "English")` and `npgettext("context", "singular", "plural", n)`, the form that language uses
    for `n` (babel.cfg extracts them from smartdash/templates/)."""
    return {
        "_": lambda message, **fields: _(lang, message, **fields),
        "pgettext": lambda context, message: _p(lang, context, message),
        "npgettext": lambda context, singular, plural_, n: _catalogue(lang).npgettext(context, singular, plural_, n),
    }


def bilingual(lang: str, fr: str, en: str) -> str:
    """A value the data holds in both languages (a catalogue label, a configured term) — data, not a message of
    the code: the reader's one."""
    return en if lang == "en" else fr


@dataclass(frozen=True)
class Bilingual:
    """A value the data holds in both languages, kept whole until it is shown (a parameter of a `Text`)."""

    fr: str
    en: str

    def render(self, lang: str) -> str:
        return bilingual(lang, self.fr, self.en)


def gettext(lang: str, message: str) -> str:
    """`message` (an English msgid) in the reader's language."""
    return _catalogue(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message in the reader's language, as that language counts `n`."""
    return _catalogue(lang).ngettext(singular, plural, n)


def _n(lang: str, singular: str, plural: str, n: int, /, **fields: Any) -> str:
    """`_` for a message whose words follow a count: the form the reader's language uses for `n`, its `{fields}` filled
    in (the count itself is one of them, formatted by the caller)."""
    return ngettext(lang, singular, plural, n).format(**fields)


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Marks a message with its context for extraction where it is defined: `_p(lang, *NP_("status", "late"))`
    where it is shown (one English word can need two French ones)."""
    return context, message


@dataclass(frozen=True)
class Text:
    """A message and its parameters, rendered in the reader's language where it is shown. A parameter that has a
    `render(lang)` — a `Text`, or a figure to format (`formatting.Shown`) — is rendered first; other parameters are
    inserted as they are (`str.format` fields of the msgid)."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.message, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def render(self, lang: str) -> str:
        values = {k: v.render(lang) if hasattr(v, "render") else v for k, v in self.params.items()}
        return gettext(lang, self.message).format(**values)

    def __str__(self) -> str:  # logs and exceptions read English
        return self.render("en")


class Refusal(ValueError):
    """A request the library refuses, saying what it expected: a `Text` (`.text`) rendered in the reader's language
    where it is shown; `str()` reads English (logs)."""

    def __init__(self, message: str, **params: Any) -> None:
        self.text = Text(message, params)
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.text)

    def render(self, lang: str) -> str:
        return self.text.render(lang)


@dataclass(frozen=True)
class Clause:
    """A sentence set inside another: its first letter in lower case and its final full stop dropped."""

    sentence: Any  # a Text, or anything with render(lang)

    def render(self, lang: str) -> str:
        said = self.sentence.render(lang).removesuffix(".")
        return said[:1].lower() + said[1:]


@dataclass(frozen=True)
class Plural:
    """A message whose words follow a count (gettext's ngettext), with its parameters: the singular and plural English
    msgids, the count `n` (also a `{n}` field of both), rendered in the reader's language as that language counts."""

    message: str
    plural: str
    n: int
    params: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.message, self.n, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def render(self, lang: str) -> str:
        values = {k: v.render(lang) if hasattr(v, "render") else v for k, v in self.params.items()}
        return ngettext(lang, self.message, self.plural, self.n).format(n=self.n, **values)

    def __str__(self) -> str:
        return self.render("en")


def plural(singular: str, plural_: str, n: int, **params: Any) -> Plural:
    """A `Plural` in one call: `plural("{n} instalment below the minimum", "{n} instalments below the minimum", n)`."""
    return Plural(singular, plural_, n, params)


def text(message: str, **params: Any) -> Text:
    """A `Text` in one call: `text(N_("expected {what}"), what=text(N_("a date")))`."""
    return Text(message, params)


def render(lang: str, value: Text | str) -> str:
    """A `Text` (or a `formatting.Shown` figure) in the reader's language; a plain string (data, not a message) as
    it is."""
    return value.render(lang) if hasattr(value, "render") else value


DEMO_BANNER = N_(
    'Demo data: figures marked "demo / synthetic" are generated; the others come from the continuation plan '
    "(November 2021) and SmartCoop's 2023 annual report."
)
