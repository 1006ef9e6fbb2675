"""Broken and hostile files, generated here: each is refused with a message naming file, row and column, and the
store is left exactly as it was (SQLite and PostgreSQL); formula-like text is written inert in every file we make
and reads back as it was."""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from smartdash import formats, workbooks
from smartdash.config import DEMO_DIR
from smartdash.demo import demo_file_name, load_demo
from smartdash.formats import FileRefused, inert_text, text_as_read
from smartdash.i18n import render
from smartdash.importing import export_csv, import_files, preview_file
from tests import hostile
from tests.hostile import FORMULA, RECEIVABLES_HEADER, receivables_csv, receivables_rows, workbook
from tests.test_loading import snapshot

MEMBERSHIP = "bureau;fin_periode;membres;source\n"


def load(store, name: str, data: bytes | str, **kw):
    data = data.encode("utf-8") if isinstance(data, str) else data
    return import_files(store.engine, [(name, data)], loaded_by="test", **kw)


@pytest.fixture
def reference(store):
    """A store with the demo's reference data (entities, offices, catalogue, plan versions, instruments)."""
    files = [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
    ]
    import_files(store.engine, files, loaded_by="test")
    return store


def refused(store, name: str, data: bytes | str, **kw) -> list[formats.Problem]:
    """The problems of a file the loader refuses; the store is the same afterwards."""
    before = snapshot(store.engine)
    with pytest.raises(FileRefused) as refusal:
        load(store, name, data, **kw)
    assert snapshot(store.engine) == before
    return refusal.value.problems


# --------------------------------------------------------------------------- generated files (made once per run)


@functools.cache
def row_bomb() -> bytes:
    """1 000 000 rows of items that differ from one another (a workbook of a few MB, ratio ~30): only the row
    count stops it."""
    return hostile.row_bomb(1_000_000, level=1)


@functools.cache
def ratio_bomb() -> bytes:
    """3 000 000 times the same row: 2 MB expanding 250 times."""
    return hostile.row_bomb(3_000_000, varied=False)


@functools.cache
def huge_cell() -> bytes:
    """One client name of 200 000 000 characters: a 200 KB workbook."""
    return hostile.long_cell_workbook(200_000_000)


@functools.cache
def long_random_cell() -> bytes:
    """A client name of 2 000 000 random letters: compressed 1,6 times only, so no ratio gives it away."""
    rng = random.Random(15)
    letters = bytes(rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=1_000_000))
    return hostile.long_cell_workbook(2_000_000, letters=letters)


@functools.cache
def many_parts() -> bytes:
    """200 000 empty members (19 MB, under the upload limit): zipfile takes a second and 100 MB to list them."""
    return hostile.many_parts(200_000, zip64=True)


@functools.cache
def lying_directory() -> bytes:
    """50 000 members whose end record counts one: zipfile lists what the directory holds, whatever the count."""
    return hostile.many_parts(50_000, declared=1)


def wide_row() -> bytes:
    """A sheet whose second row has a cell in the last column a spreadsheet has (XFD = 16 384)."""
    return hostile.raw_workbook(
        [hostile._inline_row(RECEIVABLES_HEADER.split(";")).encode(), b'<row r="2"><c r="XFD2"><v>1</v></c></row>'],
        [b"<si><t>x</t></si>"],
    )


def all_sheets_hidden(data: bytes) -> bytes:
    """The workbook with every sheet hidden (openpyxl will not write one: Excel never does)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/workbook.xml":
                content = content.replace(b'state="visible" r:id', b'state="hidden" r:id')
            archive.writestr(info, content)
    return out.getvalue()


def cp1252(text: str, tail: bytes = b"") -> bytes:
    return text.encode("cp1252") + tail


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    make: Callable[[], bytes | str]
    line: str  # the first problem, as the command line and the page show it
    where: list[tuple[int | None, str | None]]
    kw: dict | None = None


ENCODINGS = "un texte en UTF-8 ou en Windows-1252 (enregistrez le fichier en « CSV UTF-8 »)"
CASES = [
    # bytes the file's encoding does not have
    Case(
        "byte 0x81 in a Windows-1252 file",
        "societariat.csv",
        lambda: cp1252(MEMBERSHIP + "GAND;31/12/2023;741;Rapport é\n", b"LLN;31/12/2023;1786;x\x81y\n"),
        f"societariat.csv, ligne 3, colonne « source » : valeur « octet 0x81 » — attendu : {ENCODINGS}",
        [(3, "source")],
    ),
    Case(
        "invalid UTF-8 after a BOM",
        "societariat.csv",
        lambda: b"\xef\xbb\xbf" + (MEMBERSHIP + "GAND;31/12/2023;741;Rapport ").encode() + b"\xe9t\xe9\n",
        "societariat.csv, ligne 2, colonne « source » : valeur « octet 0xE9 » — attendu : un texte en UTF-8 "
        "(le fichier l'annonce)",
        [(2, "source")],
    ),
    Case(
        "Shift-JIS read as Windows-1252",
        "creances.csv",
        lambda: (
            RECEIVABLES_HEADER + "\n31/03/2026;SMARTCOOP;GAND;鈴木;R-1;01/01/2026;31/01/2026;100,00\n"
            "31/03/2026;SMARTCOOP;GAND;山田;R-2;01/01/2026;31/01/2026;200,00\n"
        ).encode("shift_jis"),
        f"creances.csv, ligne 2, colonne « client » : valeur « « —é » (octets 0x97 0xE9) » — attendu : {ENCODINGS}",
        [(2, "client")],
    ),
    Case(
        "Shift-JIS with bytes Windows-1252 lacks",
        "creances.csv",
        lambda: (RECEIVABLES_HEADER + "\n31/03/2026;SMARTCOOP;GAND;請求書;R-1;01/01/2026;31/01/2026;1,00\n").encode("shift_jis"),
        f"creances.csv, ligne 2, colonne « client » : valeur « octet 0x90 » — attendu : {ENCODINGS}",
        [(2, "client")],
    ),
    Case(
        "UTF-8 read as Windows-1252 (one stray byte elsewhere)",
        "societariat.csv",
        lambda: (MEMBERSHIP + "GAND;31/12/2023;741;Société\n").encode() + b"LLN;31/12/2023;1786;\xe9\n",
        f"societariat.csv, ligne 2, colonne « source » : valeur « « Ã© » (octets 0xC3 0xA9) » — attendu : {ENCODINGS}",
        [(2, "source")],
    ),
    Case(
        "UTF-16",
        "societariat.csv",
        lambda: (MEMBERSHIP + "GAND;31/12/2023;741;x\n").encode("utf-16"),
        f"societariat.csv : valeur « UTF-16 » — attendu : {ENCODINGS}",
        [(None, None)],
    ),
    Case(
        "NUL byte",
        "societariat.csv",
        lambda: MEMBERSHIP + "GAND;31/12/2023;741;Rapport\x00annuel\n",
        "societariat.csv, ligne 2, colonne « source » : valeur « caractère 0x00 » — attendu : un texte sans "
        "caractère de contrôle (octet nul… : fichier abîmé ou binaire ?)",
        [(2, "source")],
    ),
    # cells too long
    Case(
        "a field over 131 072 characters",
        "societariat.csv",
        lambda: MEMBERSHIP + "GAND;31/12/2023;741;" + "x" * 140_000 + "\n",
        "societariat.csv, ligne 2, colonne « source » : valeur « " + "x" * 60 + " » — attendu : une cellule de "
        "32\u202f767 caractères au plus",
        [(2, "source")],
    ),
    Case(
        "a text of 40 000 characters",
        "societariat.csv",
        lambda: MEMBERSHIP + "GAND;31/12/2023;741;" + "x" * 40_000 + "\n",
        "societariat.csv, ligne 2, colonne « source » : valeur « " + "x" * 120 + "… » — attendu : un texte d'au "
        "plus 32\u202f767 caractères",
        [(2, "source")],
    ),
    # numbers the store cannot hold
    Case(
        "a 20-digit amount",
        "creances.csv",
        lambda: RECEIVABLES_HEADER + "\n31/03/2026;SMARTCOOP;GAND;A;R-1;01/01/2026;31/01/2026;12345678901234567890,00\n",
        "creances.csv, ligne 2, colonne « montant_du » : valeur « 12345678901234567890,00 » — attendu : un montant "
        "inférieur à 100\u202f000\u202f000\u202f000 € en valeur absolue",
        [(2, "montant_du")],
    ),
    Case(
        "a 40-digit amount",
        "creances.csv",
        lambda: RECEIVABLES_HEADER + "\n31/03/2026;SMARTCOOP;GAND;A;R-1;01/01/2026;31/01/2026;" + "1234567890" * 4,
        "creances.csv, ligne 2, colonne « montant_du » : valeur « " + "1234567890" * 4 + " » — attendu : un "
        "montant inférieur à 100\u202f000\u202f000\u202f000 € en valeur absolue",
        [(2, "montant_du")],
    ),
    Case(
        "amounts whose ageing sum overflows",
        "creances.csv",
        lambda: (
            RECEIVABLES_HEADER + "\n31/03/2026;SMARTCOOP;GAND;A;R-1;01/01/2026;31/01/2026;60 000 000 000 000 000\n"
            "31/03/2026;SMARTCOOP;GAND;B;R-2;01/01/2026;31/01/2026;60 000 000 000 000 000\n"
        ),
        "creances.csv, ligne 2, colonne « montant_du » : valeur « 60 000 000 000 000 000 » — attendu : un montant "
        "inférieur à 100\u202f000\u202f000\u202f000 € en valeur absolue",
        [(2, "montant_du"), (3, "montant_du")],
    ),
    Case(
        "an 11-digit count",
        "societariat.csv",
        lambda: MEMBERSHIP + "GAND;31/12/2023;99999999999;x\n",
        "societariat.csv, ligne 2, colonne « membres » : valeur « 99999999999 » — attendu : un nombre inférieur à "
        "1\u202f000\u202f000\u202f000 en valeur absolue",
        [(2, "membres")],
    ),
    # files cut short or badly quoted
    Case(
        "a row cut short",
        "creances.csv",
        lambda: (
            "\n".join(
                [
                    RECEIVABLES_HEADER + ";source;synthetique",
                    *(r + ";Export;non" for r in receivables_rows(3)),
                    receivables_rows(4)[3],
                ]
            )
            + "\n"
        ),
        "creances.csv, ligne 5, colonne « source » — attendu : une ligne de 10 cellules comme l'en-tête (8 lues : "
        "fichier tronqué ou séparateur manquant ?)",
        [(5, "source")],
    ),
    Case(
        "a quote never closed",
        "creances.csv",
        lambda: "\n".join(
            [
                RECEIVABLES_HEADER + ";source",
                *(r + ";Export" for r in receivables_rows(3)),
                receivables_rows(4)[3] + ';"Export',
                *(r + ";Export" for r in receivables_rows(3, start=4)),
            ]
        ),
        "creances.csv, ligne 5, colonne « source » : valeur « Export\\x0a31/03/2026;SMARTCOOP;GAND;Atelier 4;"
        "R-000004;01/01/2 » — attendu : un guillemet fermant : celui qui ouvre cette cellule n'est "
        "jamais fermé (fichier tronqué ?)",
        [(5, "source")],
    ),
    Case(
        "text after a closing quote",
        "societariat.csv",
        lambda: MEMBERSHIP + 'GAND;31/12/2023;741;"Rapport" p. 3\n',
        'societariat.csv, ligne 2, colonne « source » : valeur « "Rapport" p. 3 » — attendu : « ; » ou une fin de '
        'ligne après le guillemet fermant (un guillemet dans une valeur entre guillemets se double : "")',
        [(2, "source")],
    ),
    Case(
        "a value in no column",
        "societariat.csv",
        lambda: MEMBERSHIP + "GAND;31/12/2023;741;Rapport;page 3\n",
        "societariat.csv, ligne 2, colonne « n° 5, sans en-tête » : valeur « page 3 » — attendu : une ligne de 4 "
        "cellules comme l'en-tête (« ; » dans une valeur sans guillemets ?)",
        [(2, "n° 5, sans en-tête")],
    ),
    # hostile workbooks
    Case(
        "a workbook expanding to a million rows",
        "creances.xlsx",
        row_bomb,
        "creances.xlsx : valeur « plus de 500\u202f000 lignes » — attendu : un fichier de 500\u202f000 lignes au plus",
        [(None, None)],
    ),
    Case(
        "a workbook compressed 250 times",
        "creances.xlsx",
        ratio_bomb,
        "creances.xlsx : valeur « une partie se décompresse 257 fois » — attendu : un classeur compressé comme le "
        "font les tableurs (100 fois au plus) : celui-ci est piégé (« bombe zip »)",
        [(None, None)],
    ),
    Case(
        "a 200 MB cell",
        "creances.xlsx",
        huge_cell,
        "creances.xlsx : valeur « une partie se décompresse 1\u202f027 fois » — attendu : un classeur compressé "
        "comme le font les tableurs (100 fois au plus) : celui-ci est piégé (« bombe zip »)",
        [(None, None)],
    ),
    Case(
        "a 2 MB cell that compresses little",
        "creances.xlsx",
        long_random_cell,
        "creances.xlsx : valeur « une cellule de plus de 262\u202f136 octets » — attendu : des cellules de "
        "32\u202f767 caractères au plus",
        [(None, None)],
    ),
    Case(
        "a workbook of 200 000 parts",
        "creances.xlsx",
        many_parts,
        "creances.xlsx : valeur « 200\u202f000 parties » — attendu : un classeur .xlsx lisible (10\u202f000 parties au plus)",
        [(None, None)],
    ),
    Case(
        "a directory larger than its count says",
        "creances.xlsx",
        lying_directory,
        "creances.xlsx : valeur « un répertoire d'archive de 3\u202f350\u202f000 octets » — attendu : un classeur "
        ".xlsx lisible (un répertoire de 2\u202f000\u202f000 octets au plus : 10\u202f000 parties)",
        [(None, None)],
    ),
    Case(
        "many small parts compressed 900 times",
        "creances.xlsx",
        lambda: hostile.small_parts_bomb(40, 1 << 19),
        "creances.xlsx : valeur « le classeur se décompresse 930 fois » — attendu : un classeur compressé comme le "
        "font les tableurs (100 fois au plus) : celui-ci est piégé (« bombe zip »)",
        [(None, None)],
    ),
    Case(
        "a cell in column 16 384",
        "creances.xlsx",
        wide_row,
        "creances.xlsx, ligne 2 : valeur « une cellule en colonne 16\u202f384 » — attendu : des lignes de "
        "1\u202f000 colonnes au plus",
        [(2, None)],
    ),
    Case(
        "a CSV file named .xlsx",
        "creances.xlsx",
        lambda: receivables_csv(2),
        "creances.xlsx — attendu : un classeur .xlsx lisible (ce fichier n'est pas un classeur : un CSV renommé en .xlsx ?)",
        [(None, None)],
    ),
    Case(
        "an Excel 97-2003 workbook",
        "creances.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "creances.xls — attendu : un classeur .xlsx ou un fichier CSV (le format .xls d'Excel 97-2003 n'est pas lu : "
        "enregistrez-le en .xlsx)",
        [(None, None)],
    ),
    Case(
        "a workbook with no visible sheet",
        "societariat.xlsx",
        lambda: all_sheets_hidden(workbook([("societariat", [["bureau", "fin_periode", "membres"]], "visible")])),
        "societariat.xlsx — attendu : un classeur avec une feuille visible",
        [(None, None)],
    ),
    # what already held: bad cells, unknown headers, empty, wrong kind of file, too large
    Case(
        "a bad date",
        "societariat.csv",
        lambda: MEMBERSHIP + "GAND;31/13/2023;741;x\n",
        "societariat.csv, ligne 2, colonne « fin_periode » : valeur « 31/13/2023 » — attendu : une date jj/mm/aaaa",
        [(2, "fin_periode")],
    ),
    Case(
        "a bad number",
        "societariat.csv",
        lambda: MEMBERSHIP + "GAND;31/12/2023;sept cents;x\n",
        "societariat.csv, ligne 2, colonne « membres » : valeur « sept cents » — attendu : un nombre entier",
        [(2, "membres")],
    ),
    Case(
        "unknown columns",
        "semaine.csv",
        lambda: "colonne1;colonne2\n1;2\n",
        "semaine.csv, ligne 1 : valeur « colonne1; colonne2 » — attendu : les en-têtes d'un des formats documentés "
        "(docs/formats.md), ou --kind",
        [(1, None)],
    ),
    Case(
        "a missing column",
        "societariat.csv",
        lambda: "bureau;fin_periode\nGAND;31/12/2023\n",
        "societariat.csv, ligne 1, colonne « membres » — attendu : la colonne obligatoire « membres »",
        [(1, "membres")],
        {"kind": "membership"},
    ),
    Case(
        "an empty file",
        "societariat.csv",
        lambda: b"",
        "societariat.csv — attendu : un fichier non vide avec une ligne d'en-tête",
        [(None, None)],
    ),
    Case(
        "an image",
        "photo.png",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "photo.png : valeur « .png » — attendu : un fichier .csv, .txt ou .xlsx",
        [(None, None)],
    ),
    Case(
        "an image named .csv",
        "photo.csv",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        f"photo.csv, ligne 5, colonne « n° 2 » : valeur « octet 0x81 » — attendu : {ENCODINGS}",
        [(5, "n° 2")],
    ),
    Case(
        "too many rows",
        "creances.csv",
        lambda: receivables_csv(3),
        "creances.csv : valeur « plus de 2 lignes » — attendu : un fichier de 2 lignes au plus",
        [(None, None)],
        {"max_rows": 2},
    ),
    Case(
        "too large a file",
        "creances.csv",
        lambda: receivables_csv(20_000),
        "creances.csv : valeur « 1,4 Mo » — attendu : un fichier de 1 Mo au plus",
        [(None, None)],
        {"max_file_mb": 1},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_file_is_refused_with_a_clear_message_and_changes_nothing(reference, case):
    problems = refused(reference, case.name, case.make(), **(case.kw or {}))
    assert problems[0].line() == case.line
    assert [(p.row, render("fr", p.column)) for p in problems] == case.where


def test_the_total_of_an_amount_column_must_fit_the_store(monkeypatch):
    """With amounts bounded per cell a file of [import] max_rows items cannot overflow a snapshot's 64-bit total;
    the total is checked when a higher row limit (here, a higher bound) would let it."""
    monkeypatch.setitem(formats.NUMBER_LIMITS, "money", 10**17)
    text = RECEIVABLES_HEADER + "".join(
        f"\n31/03/2026;SMARTCOOP;GAND;A;R-{i};01/01/2026;31/01/2026;60 000 000 000 000 000" for i in range(2)
    )
    parsed = formats.parse_file("creances.csv", text.encode())
    assert [p.line() for p in parsed.problems] == [
        "creances.csv, colonne « montant_du » : valeur « total 120\u202f000\u202f000\u202f000\u202f000\u202f000 € » — "
        "attendu : un total de colonne inférieur à 92\u202f233\u202f720\u202f368\u202f547\u202f758 €"
    ]


def test_the_largest_amounts_allowed_are_stored_and_aged_exactly(reference):
    text = RECEIVABLES_HEADER + "".join(
        f"\n31/03/2026;SMARTCOOP;GAND;A;R-{i};01/01/2026;31/01/2026;99 999 999 999,99" for i in range(3)
    )
    [result] = load(reference, "creances.csv", text)
    assert result.inserted == 3
    from sqlalchemy import func, select

    from smartdash import models as m
    from smartdash.db import session_scope

    with session_scope(reference.engine) as s:
        assert s.scalar(select(func.sum(m.ReceivableAgeing.amount))) == Decimal("299999999999.97")


def test_text_cells_may_hold_what_a_spreadsheet_holds(reference):
    text = MEMBERSHIP + "GAND;31/12/2023;741;" + "x" * formats.MAX_CELL_CHARS + "\n"
    [result] = load(reference, "societariat.csv", text)
    assert result.inserted == 1


# --------------------------------------------------------------------------- encodings


def test_windows_1252_with_french_text_is_read_as_such():
    text = (
        MEMBERSHIP + "GAND;31/12/2023;741;« Société coopérative » – l’été à 12\u00a0% — 1\u00a0000\u00a0€ "
        "Œuvre, ça, Noël, où, là…\n"
    )
    parsed = formats.parse_file("societariat.csv", text.encode("cp1252"))
    assert parsed.problems == [] and parsed.columns["source"] == [text.splitlines()[1].split(";")[3]]


@pytest.mark.parametrize(
    "name", ["株式会社", "東京都", "田中", "鈴木", "山田太郎", "こんにちは", "カタカナ", "加藤", "吉田", "林"]
)
def test_japanese_names_in_shift_jis_are_refused_rather_than_stored_garbled(name):
    data = (MEMBERSHIP + f"GAND;31/12/2023;741;{name}\n").encode("shift_jis")
    with pytest.raises(FileRefused) as refusal:
        formats.parse_file("societariat.csv", data)
    [problem] = refusal.value.problems
    assert (problem.row, problem.column, render("fr", problem.expected)) == (2, "source", ENCODINGS)


# --------------------------------------------------------------------------- workbooks: which sheet is read


def test_a_hidden_first_sheet_is_not_read_and_the_result_says_which_sheet_was(reference):
    data = workbook(
        [
            ("ancien", [["bureau", "fin_periode", "membres"], ["GAND", "31/12/2023", 1]], "hidden"),
            ("Feuil2", [["bureau", "fin_periode", "membres"], ["GAND", "31/12/2023", 741]], "visible"),
        ]
    )
    diff, _preview = preview_file(reference.engine, "classeur.xlsx", data)
    assert diff.sheet == "Feuil2" and [r["members"] for r in diff.inserts] == [741]
    [result] = load(reference, "classeur.xlsx", data)
    assert result.sheet == "Feuil2" and "classeur.xlsx, feuille « Feuil2 » (sociétariat par bureau)" in result.line()


def test_the_sheet_named_like_the_dataset_is_read_before_the_first_one():
    data = workbook(
        [
            ("Lisez-moi", [["Ce classeur contient les créances"]], "visible"),
            ("creances", [RECEIVABLES_HEADER.split(";"), receivables_rows(1)[0].split(";")], "visible"),
            ("Receivables", [["x"]], "hidden"),
        ]
    )
    parsed = formats.parse_file("export.xlsx", data)
    assert parsed.sheet == "creances" and parsed.dataset.kind == "receivables" and parsed.problems == []
    parsed = formats.parse_file(
        "export.xlsx",
        workbook(
            [
                ("Feuil1", [["x"]], "visible"),
                ("Sociétariat par bureau", [["bureau", "fin_periode", "membres"], ["GAND", "31/12/2023", 741]], "visible"),
            ]
        ),
        "membership",
    )
    assert parsed.sheet == "Sociétariat par bureau"


def test_a_workbook_whose_dimension_lies_is_read_as_its_rows_are():
    """A sheet declaring A1:XFD1048576 (openpyxl would pad every row to 16 384 cells and add a million empty
    rows) is read as the rows it has."""
    data = workbook([("societariat", [["bureau", "fin_periode", "membres"], ["GAND", "31/12/2023", 741]], "visible")])
    parts = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in parts.infolist():
            content = parts.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', content)
                assert b"XFD1048576" in content
            archive.writestr(info, content)
    table, sheet = formats.read_sheet("societariat.xlsx", out.getvalue(), max_rows=10)
    assert sheet == "societariat" and table.rows == [["GAND", "31/12/2023", 741]]


def test_a_workbook_declaring_more_than_it_may_unpack_is_refused_from_its_directory(monkeypatch):
    monkeypatch.setattr(workbooks, "UNPACKED_MIN_BYTES", 0)  # 10 rows allowed: 20 Kio
    with pytest.raises(FileRefused) as refusal:
        workbooks.read_workbook("b.xlsx", hostile.row_bomb(1000), max_rows=10)
    assert [p.line() for p in refusal.value.problems] == [
        "b.xlsx : valeur « 0 Mo une fois décompressé » — attendu : un classeur de 0 Mo au plus une fois décompressé "
        "(2 Kio par ligne permise : [import] max_rows)"
    ]


def test_a_workbook_is_refused_from_its_directory_and_one_pass_over_its_parts():
    """The checks come before openpyxl opens the workbook: a part with more rows than allowed is refused after
    the scan counted past the limit, whatever its name."""
    for data in (hostile.row_bomb(300), sheet_renamed(hostile.row_bomb(300), "xl/worksheets/sheet1.dat")):
        with pytest.raises(FileRefused, match="lignes au plus"):
            workbooks.read_workbook("b.xlsx", data, max_rows=100)
        table, sheet = workbooks.read_workbook("b.xlsx", data, max_rows=300)
        assert (len(table.rows), sheet) == (300, "creances")


def test_a_zip_directory_is_measured_from_its_end_record_before_zipfile_reads_it(monkeypatch):
    def unread(*args, **kwargs):
        raise AssertionError("zipfile parsed the directory")

    monkeypatch.setattr(workbooks.zipfile, "ZipFile", unread)
    for data, problem in ((many_parts(), "200\u202f000 parties"), (lying_directory(), "3\u202f350\u202f000 octets")):
        with pytest.raises(FileRefused) as refusal:
            workbooks.read_workbook("b.xlsx", data)
        assert problem in refusal.value.problems[0].line()


@pytest.mark.parametrize(
    "data",
    [
        hostile.many_parts(3),
        hostile.many_parts(3, zip64=True),
        hostile.many_parts(3, declared=70_000, zip64=True),
        hostile.many_parts(3, comment=b"a comment"),
        hostile.many_parts(3, comment=b"PK\x05\x06 in a comment"),
        hostile.many_parts(3, declared=9) + b"trailing bytes",
        workbook([("creances", [["x"]], "visible")]),
        hostile.many_parts(0),
        b"PK\x05\x06",
        b"",
    ],
    ids=[
        "plain",
        "zip64",
        "zip64 count",
        "comment",
        "signature in comment",
        "trailing",
        "openpyxl",
        "empty archive",
        "truncated record",
        "empty file",
    ],
)
def test_the_end_record_is_the_one_zipfile_reads(data):
    """The record measured is the one zipfile parses the directory from (its own search, a private function)."""
    end = zipfile._EndRecData(io.BytesIO(data))
    assert workbooks.central_directory(data) == (None if end is None else (end[4], end[5]))


def sheet_renamed(data: bytes, path: str) -> bytes:
    """The workbook with its sheet part stored under another name (found through the relationships all the same)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info).replace(b"xl/worksheets/sheet1.xml", path.encode())
            content = content.replace(b"worksheets/sheet1.xml", path.removeprefix("xl/").encode())
            archive.writestr(path if info.filename == "xl/worksheets/sheet1.xml" else info.filename, content)
    return out.getvalue()


# --------------------------------------------------------------------------- a load removing much of a snapshot


def shrunk(store):
    """A snapshot of 10 items stored; then a file of the same snapshot listing 2 of them (a cut export)."""
    load(store, "creances-10.csv", receivables_csv(10, as_of="15/03/2026"))
    return receivables_csv(2, as_of="15/03/2026")


def test_a_load_removing_more_than_a_fifth_of_a_snapshot_is_refused_without_confirmation(reference):
    text = shrunk(reference)
    diff, _preview = preview_file(reference.engine, "creances-2.csv", text.encode())
    assert [(r.entity, r.stored, r.removed) for r in diff.large_removals] == [("SMARTCOOP", 10, 8)]
    [problem] = refused(reference, "creances-2.csv", text)
    assert problem.line() == (
        "creances-2.csv : valeur « 8 créances sur 10 de la situation SMARTCOOP au 15/03/2026 seraient retirées » — "
        "attendu : une confirmation pour retirer plus d'un cinquième d'une situation (fichier incomplet ?) : "
        "relancez avec --allow-large-removal, ou cochez « Je confirme le retrait » sur la page Chargement des données"
    )
    [result] = load(reference, "creances-2.csv", text, allow_large_removal=True)
    assert (result.unchanged, result.deleted) == (2, 8)


def test_removing_a_fifth_or_less_of_a_snapshot_needs_no_confirmation(reference):
    load(reference, "creances-10.csv", receivables_csv(10, as_of="15/03/2026"))
    [result] = load(reference, "creances-8.csv", receivables_csv(8, as_of="15/03/2026"))
    assert (result.unchanged, result.deleted) == (8, 2)


def test_the_command_line_asks_for_allow_large_removal(reference, tmp_path):
    from tests.test_cli import run

    path = tmp_path / "creances-2.csv"
    path.write_text(shrunk(reference), encoding="utf-8")
    dry = run("import", str(path), "--dry-run", url=reference.url)
    assert "attention : 8 créances sur 10 de la situation SMARTCOOP au 15/03/2026 seraient retirées" in dry.stdout
    without = run("import", str(path), url=reference.url)
    assert without.returncode == 1 and "--allow-large-removal" in without.stderr and "Traceback" not in without.stderr
    confirmed = run("import", str(path), "--allow-large-removal", url=reference.url)
    assert confirmed.returncode == 0 and "8 retirées" in confirmed.stdout


def test_the_data_page_shows_the_removal_and_loads_only_once_confirmed(reference, app_env):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT, login

    text = shrunk(reference)
    app_env(reference.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload_0").upload("creances-2.csv", text.encode(), "text/csv").run()
    assert not at.exception
    assert at.error[0].value.startswith("8 créances sur 10 de la situation SMARTCOOP au 15/03/2026 seraient retirées")
    assert at.button(key="data_confirm").disabled
    [confirm] = [c for c in at.checkbox if c.key.startswith("data_allow_large_removal_")]
    confirm.check().run()
    assert not at.button(key="data_confirm").disabled
    at.button(key="data_confirm").click().run()
    assert not at.exception
    assert "8 retirées" in at.success[0].value


# the cases that ended in a traceback or raw SQL on the command line and the upload page
TRACEBACKS = [
    c
    for c in CASES
    if c.id
    in (
        "byte 0x81 in a Windows-1252 file",
        "NUL byte",
        "a 20-digit amount",
        "a field over 131 072 characters",
        "an image named .csv",
    )
]


# and hostile workbooks, which the page reads as the command line does
ON_THE_PAGE = TRACEBACKS + [
    c for c in CASES if c.id in ("a workbook of 200 000 parts", "a 2 MB cell that compresses little", "a cell in column 16 384")
]


@pytest.mark.parametrize("case", ON_THE_PAGE, ids=lambda c: c.id)
def test_the_upload_page_refuses_hostile_files_with_the_same_message(reference, app_env, case):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT, login

    app_env(reference.url)
    data = case.make()
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload_0").upload(case.name, data if isinstance(data, bytes) else data.encode(), "text/csv").run()
    assert not at.exception
    assert at.error[0].value.startswith("Refusé :")
    problems = at.dataframe[0].value
    file, row, column, value, expected = list(problems.iloc[0])
    assert [file, row, column] == [case.name, *("" if w is None else w for w in case.where[0])]
    assert f"« {value} »" in case.line if value else " : valeur" not in case.line
    assert case.line.endswith(f"attendu : {expected}")


def test_the_command_line_refuses_hostile_files_with_one_line_each_and_no_traceback(reference, tmp_path):
    from tests.test_cli import run

    for case in TRACEBACKS:
        path = tmp_path / case.name
        data = case.make()
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        result = run("import", str(path), url=reference.url)
        assert result.returncode == 1, case.id
        assert result.stderr.splitlines()[1] == case.line.replace(case.name, path.name, 1)
        assert "Traceback" not in result.stderr and "Erreur" not in result.stderr


def test_the_command_line_tells_every_hostile_file_as_the_loader_does(reference, tmp_path, monkeypatch, capsys):
    """Every case through `import` (in this process: the test above runs the real command for the tracebacks)."""
    from smartdash.cli import main as cli_main
    from smartdash.config import CONFIG_FILE

    monkeypatch.setenv("SMARTDASH_DATABASE_URL", reference.url)
    for case in CASES:
        kw = dict(case.kw or {})
        config = CONFIG_FILE.read_text(encoding="utf-8")
        for setting in ("max_rows", "max_file_mb"):
            if setting in kw:
                config = re.sub(rf"(?m)^{setting} = \d+$", f"{setting} = {kw.pop(setting)}", config)
        (tmp_path / "config.toml").write_text(config, encoding="utf-8")
        monkeypatch.setenv("SMARTDASH_CONFIG", str(tmp_path / "config.toml"))
        path = tmp_path / case.name
        data = case.make()
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        code = cli_main(["import", str(path), *(["--kind", kw.pop("kind")] if "kind" in kw else [])])
        assert not kw, case.id
        err = capsys.readouterr().err.splitlines()
        assert (code, err[1]) == (1, case.line), case.id
        assert err[0].startswith("Refusé :") and len(err) == 1 + len(case.where), case.id


# --------------------------------------------------------------------------- formulas in the files we write


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "+33 1 23", "-2+3", "@SUM(A1)", "'=x", "''-x", "'abc", "a=b", "Atelier", "-", "'", "="]
)
def test_a_text_written_inert_reads_back_as_it_was(text):
    written = inert_text(text)
    assert not written.startswith(formats.FORMULA_STARTS)
    assert text_as_read(written) == text


def test_a_dataset_export_holds_no_live_formula_and_loads_back_unchanged(reference):
    entities = (DEMO_DIR / "entites.csv").read_text(encoding="utf-8").replace(";SmartFr;", f';"{FORMULA}";', 1)
    offices = "code;nom;region;entite\n@HOME;+Plus;-Ouest;SMARTCOOP\n"
    load(reference, "entites.csv", entities)
    load(reference, "bureaux.csv", offices)
    exported = export_csv(reference.engine, "entities")
    assert f"'{FORMULA}" in exported and "\n=" not in exported and ";=" not in exported
    assert "'@HOME;'+Plus;'-Ouest;SMARTCOOP" in export_csv(reference.engine, "offices")
    before = snapshot(reference.engine)
    for kind in ("entities", "offices"):
        [result] = load(reference, f"{kind}.csv", export_csv(reference.engine, kind))
        assert result.load_id is None
    assert snapshot(reference.engine) == before


def test_templates_hold_no_formula():
    for dataset in formats.DATASETS.values():
        book = load_workbook(io.BytesIO(formats.template_xlsx(dataset)))
        assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


def test_the_decks_chart_workbooks_hold_no_formula(store):
    from smartdash.export.slides import build_deck
    from smartdash.views import Filters

    load_demo(store.engine)
    entities = (DEMO_DIR / "entites.csv").read_text(encoding="utf-8").replace(";SmartFr;", f';"{FORMULA}";', 1)
    offices = (DEMO_DIR / "bureaux.csv").read_text(encoding="utf-8").replace(";Gand;", ';=HYPERLINK("http://x");')
    load(store, "entites.csv", entities)
    load(store, "bureaux.csv", offices)
    data, _info = build_deck(
        store.engine, filters=Filters(None, dt.date(2026, 11, 22), "previous", "PLAN-2024-06", "fr"), role="editor"
    )
    deck = zipfile.ZipFile(io.BytesIO(data))
    embedded = [n for n in deck.namelist() if n.startswith("ppt/embeddings/")]
    texts = set()
    for name in embedded:
        book = zipfile.ZipFile(io.BytesIO(deck.read(name)))
        sheet = book.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<f " not in sheet, name
        if "xl/sharedStrings.xml" in book.namelist():
            strings = book.read("xl/sharedStrings.xml").decode()
            texts |= set(map(html.unescape, re.findall(r"<t[^>]*>([^<]*)</t>", strings)))
    assert "'=cmd|' /C calc'!A0" in texts and '\'=HYPERLINK("http://x")' in texts
    labels = {
        point
        for slide in Presentation(io.BytesIO(data)).slides
        for shape in slide.shapes
        if shape.has_chart
        for point in shape.chart.plots[0].categories
    }
    assert FORMULA in labels  # the slide shows the name as it is


def test_a_ledger_export_removing_most_of_a_snapshot_asks_for_the_same_confirmation(reference):
    """The open items of an FEC replace the receivables snapshot of its entity and date, as a receivables file does."""
    from tests.test_fec import load_book

    load(reference, "creances.csv", receivables_csv(10, as_of="31/12/2023", entity="SMARTFR", office=""))
    before = snapshot(reference.engine)
    with pytest.raises(FileRefused) as refusal:
        load_book(reference.engine, entity="SMARTFR")
    [problem] = refusal.value.problems
    assert render("fr", problem.value) == "10 créances sur 10 de la situation SMARTFR au 31/12/2023 seraient retirées"
    assert snapshot(reference.engine) == before
    [result] = load_book(reference.engine, entity="SMARTFR", allow_large_removal=True)
    assert result.deleted >= 10


def test_a_refused_workbook_is_told_in_the_readers_language():
    with pytest.raises(formats.FileRefused) as refused:
        workbooks.read_workbook("renommé.xlsx", b"code;nom\nA;B\n")
    [problem] = refused.value.problems
    assert problem.line("fr").endswith(
        "un classeur .xlsx lisible (ce fichier n'est pas un classeur : un CSV renommé en .xlsx ?)"
    ), problem.line("fr")
    assert problem.line("en").endswith("a readable .xlsx workbook (this file is not a workbook: a CSV renamed .xlsx?)"), (
        problem.line("en")
    )
    assert "classeur" not in problem.line("en")
