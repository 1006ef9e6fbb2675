"""The message catalogues keep up with the code: every message marked in the code (`_()`, `_p()`, `N_()`, the mail
templates' `_()`) is in the catalogues with its French translation, the catalogues hold no message the code no longer
has, a translation asks for the same `{fields}` as its English msgid, and no sentence is written twice in the code
(`pick(lang, fr, en)`)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from smartdash import i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "smartdash" / "locale"
# Where the message is among the arguments of each marker.
MARKERS = {"_": 1, "_p": 2, "N_": 0, "gettext": 1, "ngettext": 1, "_n": 1, "plural": 0}
# A translation may ask for other fields than its msgid's (all passed by the code) only here, with the reason.
OTHER_FIELDS = {
    "{name}'s {label_lower}: {first_value} on {first_date}, {last_value} on {last_date}": (
        "English lowercases the label inside the sentence, French does not"
    ),
}


def extracted() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message marked in the code, extracted the way `pybabel extract -F babel.cfg` does."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    return {
        (context, message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), method_map, options_map)
    }


def catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def fields(message: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0] for _text, name, _spec, _conv in string.Formatter().parse(message) if name is not None
    }


@pytest.fixture(scope="module")
def code_messages():
    return extracted()


@pytest.mark.parametrize("path", ["smartdash.pot", "fr/LC_MESSAGES/smartdash.po", "en/LC_MESSAGES/smartdash.po"])
def test_the_catalogues_hold_exactly_the_messages_of_the_code(code_messages, path):
    held = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue(LOCALE / path) if m.id}
    missing, stale = sorted(code_messages - held, key=str), sorted(held - code_messages, key=str)
    assert not missing and not stale, (
        f"{path} is stale against the code (missing {missing[:10]}, no longer in the code {stale[:10]}); "
        "run pybabel extract -F babel.cfg -o smartdash/locale/smartdash.pot . and pybabel update "
        "-i smartdash/locale/smartdash.pot -d smartdash/locale -D smartdash, then translate"
    )


def test_every_message_has_its_french_translation():
    untranslated = [
        m.id
        for m in catalogue(LOCALE / "fr" / "LC_MESSAGES" / "smartdash.po")
        if m.id and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert not untranslated, f"no French (or fuzzy) for {untranslated[:10]}"


def test_the_english_catalogue_leaves_the_english_msgids_as_they_are():
    """English reads the msgid itself: an English msgstr would be a second copy to keep in step."""
    written = [
        m.id
        for m in catalogue(LOCALE / "en" / "LC_MESSAGES" / "smartdash.po")
        if m.id and (any(m.string) if isinstance(m.string, tuple) else m.string) and m.string != m.id  # a plural: a tuple
    ]
    assert not written, written[:10]


def test_a_translation_asks_for_the_fields_of_its_message():
    wrong = []
    for m in catalogue(LOCALE / "fr" / "LC_MESSAGES" / "smartdash.po"):
        if not m.id or not m.string:
            continue
        pairs = zip(m.id, m.string, strict=False) if isinstance(m.id, tuple) else [(m.id, m.string)]
        for msgid, msgstr in pairs:
            try:
                wanted, given = fields(msgid), fields(msgstr)
            except ValueError as e:  # an unbalanced brace
                wrong.append(f"{msgid!r}: {e}")
                continue
            if given != wanted and msgid not in OTHER_FIELDS:
                wrong.append(f"{msgid!r} has {sorted(wanted)}, its French {sorted(given)}")
    assert not wrong, wrong


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_catalogues_compile_without_errors(lang):
    """`pybabel compile` runs the same checks: a `%` read as a printf placeholder would fail it."""
    problems = [
        (m.id, [str(e) for e in errors]) for m, errors in catalogue(LOCALE / lang / "LC_MESSAGES" / "smartdash.po").check()
    ]
    assert not problems, problems


def test_french_renders_from_the_catalogue_and_english_from_the_code():
    assert i18n._("fr", "Wrong login or password, or account locked.") == (
        "Identifiant ou mot de passe incorrect, ou compte verrouillé."
    )
    assert i18n._("en", "Wrong login or password, or account locked.") == "Wrong login or password, or account locked."
    assert i18n._("fr", "as of 31 December {year}", year=2023) == "au 31 décembre 2023"
    assert i18n._p("fr", "page title", "Receivables") == "Créances clients"
    assert i18n._("fr", "Receivables") == "Créances"


def test_a_fresh_clone_reads_the_po_and_a_compiled_mo_only_when_it_is_current(tmp_path, monkeypatch):
    from babel.messages.mofile import write_mo

    po = catalogue(LOCALE / "fr" / "LC_MESSAGES" / "smartdash.po")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "smartdash.po").write_bytes((LOCALE / "fr" / "LC_MESSAGES" / "smartdash.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._catalogue.cache_clear()
    try:
        assert i18n._("fr", "Log in") == "Connexion"  # no .mo: the .po compiled in memory
        po["Log in"].string = "Entrer"
        with open(folder / "smartdash.mo", "wb") as f:
            write_mo(f, po)
        i18n._catalogue.cache_clear()
        assert i18n._("fr", "Log in") == "Entrer"  # a compiled catalogue newer than its .po is used
        (folder / "smartdash.po").touch()
        stamp = (folder / "smartdash.mo").stat().st_mtime - 10
        import os

        os.utime(folder / "smartdash.mo", (stamp, stamp))
        i18n._catalogue.cache_clear()
        assert i18n._("fr", "Log in") == "Connexion"  # an older .mo is stale: the .po wins
    finally:
        i18n._catalogue.cache_clear()


def test_no_message_is_marked_inside_an_f_string():
    """Babel reads an f-string as one token on Python 3.11: a `_("…")` inside one would never reach the catalogues."""
    hidden = []
    for path in [*ROOT.glob("smartdash/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.JoinedStr):
                hidden += [
                    f"{path.relative_to(ROOT)}:{call.lineno}"
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in MARKERS
                    and len(call.args) > MARKERS[call.func.id]
                    and isinstance(call.args[MARKERS[call.func.id]], ast.Constant)
                ]
    assert not hidden, hidden


def test_no_sentence_is_written_twice_in_the_code():
    """Messages are written once, in English, and translated in the catalogues: no `pick(lang, fr, en)` call."""
    calls = re.compile(r"\bpick\(")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [*ROOT.glob("smartdash/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if calls.search(line) and not line.lstrip().startswith("def pick(")
    ]
    templates = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "smartdash" / "templates").glob("*")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bt\(", line)
    ]
    assert not found and not templates, found + templates


# Messages that may stay fragments of a sentence (joined to others in code) or say "(s)": none today. A message is a
# whole sentence with its {fields}, its plural through ngettext; a fragment can only be kept here, with the reason.
FRAGMENTS_ALLOWED: dict[str, str] = {}


def test_every_message_is_a_whole_sentence_with_its_plurals():
    """No msgid starts or ends with whitespace (a piece glued to another in code, which a translation cannot reorder)
    nor says "(s)", "(es)" or "(ies)", and no French translation "(s)", "(x)" or "(e)s": a plural is ngettext's, which
    gives each language its own forms ("0 écart", "3 écarts", "2 rouges")."""
    pseudo = re.compile(r"\((?:s|es|ies|x|e|e\)\(s)\)")
    found = [
        form
        for m in catalogue(LOCALE / "smartdash.pot")
        if m.id
        for form in (m.id if isinstance(m.id, tuple) else (m.id,))
        if (form != form.strip() or pseudo.search(form)) and form not in FRAGMENTS_ALLOWED
    ]
    found += [
        form
        for m in catalogue(LOCALE / "fr" / "LC_MESSAGES" / "smartdash.po")
        if m.id
        for form in (m.string if isinstance(m.string, tuple) else (m.string,))
        if pseudo.search(form)
    ]
    assert found == [], f"fragments or (s) in {found[:10]}"
