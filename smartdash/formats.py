"""The documented file formats users import (and the demo data set uses).

Each dataset has one format: French column headers (English aliases accepted), one row per
record. Files come from French-locale spreadsheets: `;` separators, decimal commas, spaces or
non-breaking spaces between thousands, `€` and `%` inside cells, dates as dd/mm/yyyy, UTF-8
with or without BOM or Windows-1252 that reads as Western text, or `.xlsx` workbooks (read by
smartdash.workbooks, which checks the archive first).

Parsing never raises on bad cells: every problem is collected with its file, row, column,
value and what was expected. A file that cannot be read as a table at all (its encoding, its
shape, its size) is refused as soon as that is known, naming row and column where there is one.
docs/formats.md is generated from these specs and a test keeps it in sync.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

# C0 control characters but tab, line feed and carriage return: no spreadsheet cell holds them; PostgreSQL refuses
# NUL in text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# --------------------------------------------------------------------------- limits

# The longest cell a spreadsheet holds (Excel's own limit): longer is not a cell a person typed. CSV fields are
# capped alike; Python's CSV reader itself stops at 131 072 characters.
MAX_CELL_CHARS = 32_767
# Numbers are stored as 64-bit integers (amounts in cents, decimals in ten-thousandths) or 32-bit ones (counts):
# a cell's absolute value stays below these bounds, so that a value and the sums the store makes of a file's
# values (a receivables snapshot's ageing: up to [import] max_rows items) fit.
NUMBER_LIMITS = {"int": 10**9, "money": 10**11, "decimal": 10**12}
BIGINT_MAX = 2**63 - 1
# A CSV row wider than this is no table of ours (the widest format has 17 columns).
MAX_COLUMNS = 1_000


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def _shown(text: str, limit: int = 120) -> str:
    """A value as a message shows it: control characters (line breaks too) spelled out, a long value cut."""
    text = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[:limit] + "…"


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file; `row` is the spreadsheet line number (header = 1). A value is kept as
    a message shows it (control characters spelled out, at most 120 characters)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __post_init__(self) -> None:
        if self.value is not None and (len(self.value) > 120 or _UNPRINTABLE.search(self.value)):
            object.__setattr__(self, "value", _shown(self.value))

    def line(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", ligne {self.row}"
        if self.column:
            where += f", colonne « {self.column} »"
        got = f" : valeur « {self.value} »" if self.value not in (None, "") else ""
        return f"{where}{got} — attendu : {self.expected}"


class FileRefused(Exception):
    """A file that cannot be loaded; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.line() for p in problems))
        self.problems = problems


# --------------------------------------------------------------------------- formulas in text cells

# What makes a spreadsheet run a cell as a formula (OWASP, "CSV injection"): such a text cell is written with
# an apostrophe first, which spreadsheets show as text. A text that already starts with apostrophes followed by
# one of these gets one more, so that reading back removes exactly the apostrophe writing added.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_APOSTROPHES_THEN_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def inert_text(text: str) -> str:
    """A text cell as written to a file: `=cmd|…` becomes `'=cmd|…`; what `text_as_read` turns back."""
    if text.startswith(FORMULA_STARTS) or (text[:1] == "'" and _APOSTROPHES_THEN_FORMULA.match(text)):
        return "'" + text
    return text


def text_as_read(text: str) -> str:
    """A text cell read from a file: the apostrophe `inert_text` put before a formula-like text removed."""
    if text[:1] == "'" and _APOSTROPHES_THEN_FORMULA.match(text):
        return text[1:]
    return text


# --------------------------------------------------------------------------- cell parsers

# what French spreadsheets put in a number cell besides the number: group separators, unit signs
_NUMBER_NOISE = str.maketrans({" ": None, "\t": None, "\u00a0": None, "\u202f": None, "\u2009": None, "'": None,
                               "€": None, "%": None, "−": "-"})
_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_FALSE = {"non", "n", "no", "faux", "false", "0"}


DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


class CellError(ValueError):
    """A cell whose content does not fit its column; the message says what was expected."""


def parse_decimal(text: Any, *, places: int | None = None) -> Decimal:
    """A French-locale number: `1 234 567,89 €`, `12,4 %`, `-3,5`, `1.234,5`; also `1234.5`."""
    if isinstance(text, bool):
        raise CellError("un nombre")
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    elif isinstance(text, float):  # xlsx numeric cell: its shortest repr is what the user typed
        value = Decimal(repr(text))
    else:
        s = str(text).translate(_NUMBER_NOISE)
        if s.startswith("(") and s.endswith(")"):  # accounting negative
            s = "-" + s[1:-1]
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        whole, _dot, fraction = (s[1:] if s[:1] in "+-" else s).partition(".")
        if not (s.isascii() and (whole.isdigit() or (not whole and fraction)) and (not fraction or fraction.isdigit())):
            raise CellError("un nombre (ex. 1 234,56)")
        value = Decimal(s)
        if places is not None and len(fraction) > places and fraction[places:].strip("0"):
            raise CellError(f"un nombre avec au plus {places} décimales")
        return value
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        raise CellError(f"un nombre avec au plus {places} décimales")
    return value


def parse_int(text: Any) -> int:
    try:
        value = parse_decimal(text)
    except CellError:
        raise CellError("un nombre entier") from None
    if value != value.to_integral_value():
        raise CellError("un nombre entier")
    return int(value)


def parse_date(text: Any) -> dt.date:
    """`dd/mm/yyyy` (French), also `dd/mm/yy`, `dd-mm-yyyy` and ISO `yyyy-mm-dd`; xlsx date cells."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    return _parse_date_text(str(text).strip())


@functools.lru_cache(maxsize=8192)
def _parse_date_text(s: str) -> dt.date:
    """Dates repeat a lot in a file (as-of, due dates): each distinct text is parsed once."""
    parts = s.split("/")
    if len(parts) == 3 and len(parts[2]) == 4 and all(p.isdigit() for p in parts):  # the common case, fast
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise CellError("une date jj/mm/aaaa") from None
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise CellError("une date jj/mm/aaaa")


def parse_bool(text: Any) -> bool:
    if isinstance(text, bool):
        return text
    s = str(text).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError("oui ou non")


# --------------------------------------------------------------------------- dataset specs


@dataclass(frozen=True)
class Column:
    """A column of a file format. `choices` maps the words accepted in the file to stored codes."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | int | decimal | money | date | bool | choice
    required: bool = True
    choices: dict[str, str] | None = None
    default: Any = None
    help_fr: str = ""
    max_length: int | None = None
    minimum: Decimal | None = None

    @property
    def longest(self) -> int:
        """The most characters a text cell of this column holds."""
        return self.max_length or MAX_CELL_CHARS

    def parse(self, raw: Any) -> Any:
        if type(raw) is str:
            raw = raw.strip()
            if not raw:
                raw = None
            elif self.kind == "text":  # the most common cell, kept short
                if len(raw) > self.longest:
                    raise CellError(f"un texte d'au plus {thousands(self.longest)} caractères")
                return text_as_read(raw)
        if raw is None:
            if self.required:
                raise CellError("une valeur (colonne obligatoire)")
            return self.default
        if self.kind == "text":
            value = str(raw).strip()
            if isinstance(raw, float) and raw.is_integer():
                value = str(int(raw))
            if len(value) > self.longest:
                raise CellError(f"un texte d'au plus {thousands(self.longest)} caractères")
            return text_as_read(value)
        if self.kind == "int":
            value = parse_int(raw)
        elif self.kind == "decimal":
            value = parse_decimal(raw, places=4)
        elif self.kind == "money":
            value = parse_decimal(raw, places=2)
        elif self.kind == "date":
            value = parse_date(raw)
            if not DATE_MIN <= value <= DATE_MAX:
                raise CellError(f"une date entre {DATE_MIN:%d/%m/%Y} et {DATE_MAX:%d/%m/%Y}")
        elif self.kind == "bool":
            return parse_bool(raw)
        elif self.kind == "choice":
            key = str(raw).strip().lower()
            assert self.choices is not None
            if key not in self.choices:
                raise CellError("une des valeurs : " + ", ".join(self.choice_words()))
            return self.choices[key]
        else:  # pragma: no cover - a spec error, not a user error
            raise AssertionError(self.kind)
        if self.kind in NUMBER_LIMITS and not -NUMBER_LIMITS[self.kind] < value < NUMBER_LIMITS[self.kind]:
            raise CellError(self.too_large)
        if self.minimum is not None and value < self.minimum:
            raise CellError(f"une valeur supérieure ou égale à {self.minimum}")
        return value

    @property
    def too_large(self) -> str:
        bound = thousands(NUMBER_LIMITS[self.kind])
        if self.kind == "money":
            return f"un montant inférieur à {bound} € en valeur absolue"
        return f"un nombre inférieur à {bound} en valeur absolue"

    def choice_words(self) -> list[str]:
        """The word written for each stored code: its first French word, else the code itself."""
        assert self.choices is not None
        codes = dict.fromkeys(self.choices.values())
        return [next((k for k, v in self.choices.items() if v == code and k != code), code) for code in codes]

    @property
    def expected_fr(self) -> str:
        return {
            "text": "texte",
            "int": "nombre entier",
            "decimal": "nombre (virgule décimale)",
            "money": "montant en euros (2 décimales au plus)",
            "date": "date jj/mm/aaaa",
            "bool": "oui / non",
            "choice": "une des valeurs listées",
        }[self.kind]


class Refused:
    """A cell its column refused; `expected` says what the column takes."""

    __slots__ = ("expected",)

    def __init__(self, expected: str):
        self.expected = expected


def _parse_one(column: Column, cell: Any) -> Any:
    try:
        return column.parse(cell)
    except CellError as err:
        return Refused(str(err))


# number cells once the noise is gone, the common way: digits, a decimal comma, a sign (one cell per line)
_PLAIN_NUMBER_CELLS = re.compile(r"[0-9,+\-\n]*")
_PLACES = {"int": 0, "money": 2, "decimal": 4}
_COMMA_TO_DOT = operator.methodcaller("replace", ",", ".")


_NUMBER_NOISE_PAIRS = tuple((chr(code), to or "") for code, to in _NUMBER_NOISE.items())


def _plain_numbers(kind: str, cells: list[str]) -> list | None:
    """The numbers of a column whose every cell, once the noise is gone, is a plain number column.parse takes
    (digits, a decimal comma, a sign, no more decimals than kept), by C-level passes over the column; None when any
    cell is in another shape."""
    joined = "\n".join(cells)
    for char, to in _NUMBER_NOISE_PAIRS:  # the same as str.translate(_NUMBER_NOISE) cell by cell, 5 times faster
        if char in joined:
            joined = joined.replace(char, to)
    cleaned = joined.split("\n")
    if len(cleaned) != len(cells) or not _PLAIN_NUMBER_CELLS.fullmatch(joined):
        return None
    try:
        if kind == "int":
            return list(map(int, cleaned))
        values = list(map(Decimal, map(_COMMA_TO_DOT, cleaned)))  # an empty or malformed cell raises
    except (ValueError, ArithmeticError):
        return None
    scaled = list(map(Decimal.scaleb, values, itertools.repeat(_PLACES[kind])))
    return values if list(map(int, scaled)) == scaled else None  # a cell with more decimals than kept


def parse_cells(column: Column, cells: list) -> list:
    """`column.parse` over a whole column: each value, or a `Refused` for a cell the column refuses, with the same
    values and messages as `column.parse`. A CSV file's column is parsed in bulk: each distinct cell once where
    cells repeat (dates, codes, choices), the commonest shape of a text or number cell by C-level passes; any other
    cell goes through `column.parse`."""
    if set(map(type, cells)) != {str}:  # workbook cells (numbers, dates, None) or missing cells: one by one
        return [_parse_one(column, cell) for cell in cells]
    distinct = set(cells)
    if column.kind in ("date", "choice", "bool") or len(distinct) * 4 <= len(cells):
        parsed = {cell: _parse_one(column, cell) for cell in distinct}
        return list(map(parsed.__getitem__, cells))
    if column.kind == "text":
        values = list(map(str.strip, cells))
        limit = column.longest
        if "" in values or max(map(len, values)) > limit or "\n'" in "\n" + "\n".join(values):
            return [v if v and len(v) <= limit and v[0] != "'" else _parse_one(column, cell)
                    for v, cell in zip(values, cells, strict=True)]
        return values
    if column.kind in _PLACES:
        values = _plain_numbers(column.kind, cells)
        if values is None or not values:
            return [_parse_one(column, cell) for cell in cells]
        low, high = min(values), max(values)
        bound = NUMBER_LIMITS[column.kind]
        if high >= bound or low <= -bound or (column.minimum is not None and low < column.minimum):
            return [_parse_one(column, cell) for cell in cells]
        return values
    return [_parse_one(column, cell) for cell in cells]


def _choices(*pairs: tuple[str, str | Iterable[str]]) -> dict[str, str]:
    """Stored code → accepted words (French first); the code itself is always accepted."""
    out: dict[str, str] = {}
    for code, words in pairs:
        out[code] = code
        for word in [words] if isinstance(words, str) else words:
            out[word] = code
    return out


SCENARIO = _choices(
    ("actual", ("reel", "réel", "réalisé", "realise")),
    ("forecast", ("prevision", "prévision")),
    ("plan", "plan"),
)
YES_NO = "oui / non"


@dataclass(frozen=True)
class Dataset:
    """A file format: its code (`--kind`), French name, columns and natural key."""

    kind: str
    title_fr: str
    title_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    file_stem: str
    description_fr: str = ""
    checks: tuple[RowCheck, ...] = field(default=())
    keep_raw: tuple[str, ...] = ()  # columns whose cell text is kept as `_raw_<column>` (unit checks)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_headers(self) -> set[str]:
        return {c.name for c in self.columns if c.required}


def _provenance() -> tuple[Column, ...]:
    return (
        Column(
            "source",
            ("source_document",),
            required=False,
            help_fr="document source et page, ou système d'origine",
        ),
        Column(
            "synthetique",
            ("synthetic",),
            "bool",
            required=False,
            default=False,
            help_fr="oui pour une valeur de démonstration générée",
        ),
    )


@dataclass(frozen=True)
class RowCheck:
    """A rule across cells of a row. `test` gets the cells it reads (`columns`, those the format has) and returns
    "column|what was expected" or None; it runs once per distinct combination of those cells in a file."""

    columns: tuple[str, ...]
    test: Callable[[dict], str | None]


def _fte_not_above_headcount(row: dict) -> str | None:
    if row.get("etp") is not None and row.get("effectif") is not None and row["etp"] > row["effectif"]:
        return "etp|un nombre d'ETP inférieur ou égal à l'effectif"
    return None


def _due_not_before_invoice(row: dict) -> str | None:
    if row.get("date_echeance") and row.get("date_facture") and row["date_echeance"] < row["date_facture"]:
        return "date_echeance|une échéance postérieure ou égale à la date de facture"
    return None


def _invoiced_by_snapshot(row: dict) -> str | None:
    if row.get("date_facture") and row.get("date_situation") and row["date_facture"] > row["date_situation"]:
        return "date_facture|une date de facture au plus tard à la date de la situation (une créance ouverte à " \
               "cette date est déjà facturée)"
    return None


def _plan_needs_version(row: dict) -> str | None:
    if row.get("scenario") == "plan" and not row.get("version_plan"):
        return "version_plan|le code de la version du plan (obligatoire pour le scénario plan)"
    if row.get("scenario") == "actual" and row.get("version_plan"):
        return "version_plan|vide pour une valeur réelle"
    return None


def _actual_not_in_future(column: str) -> RowCheck:
    """Actual figures are about the past: a date after today is a typing error (plan values may be future)."""

    def check(row: dict) -> str | None:
        day = row.get(column)
        if day is not None and day > dt.date.today() and row.get("scenario", "actual") == "actual":
            return f"{column}|une date passée pour une valeur réelle (au plus tard aujourd'hui)"
        return None

    return RowCheck((column, "scenario"), check)


def _amber_before_red(row: dict) -> str | None:
    amber, red = row.get("seuil_orange"), row.get("seuil_rouge")
    if amber is None or red is None:
        return None
    if row.get("mode_seuils") == "plan" and amber > red:
        return "seuil_orange|un seuil orange inférieur ou égal au seuil rouge (écarts en %)"
    return None


FTE_NOT_ABOVE_HEADCOUNT = RowCheck(("etp", "effectif"), _fte_not_above_headcount)
DUE_NOT_BEFORE_INVOICE = RowCheck(("date_echeance", "date_facture"), _due_not_before_invoice)
INVOICED_BY_SNAPSHOT = RowCheck(("date_facture", "date_situation"), _invoiced_by_snapshot)
PLAN_NEEDS_VERSION = RowCheck(("scenario", "version_plan"), _plan_needs_version)
AMBER_BEFORE_RED = RowCheck(("seuil_orange", "seuil_rouge", "mode_seuils"), _amber_before_red)


def siren_is_valid(text: str) -> bool:
    """A SIREN: 9 digits whose Luhn checksum is right."""
    if len(text) != 9 or not (text.isascii() and text.isdigit()):
        return False
    digits = [int(c) * (2 if i % 2 else 1) for i, c in enumerate(text)]
    return sum(d - 9 if d > 9 else d for d in digits) % 10 == 0


def _siren_valid(row: dict) -> str | None:
    if row.get("siren") and not siren_is_valid(row["siren"]):
        return "siren|un SIREN de 9 chiffres dont la clé de contrôle (Luhn) est juste"
    return None


SIREN_VALID = RowCheck(("siren",), _siren_valid)

ZERO = Decimal(0)

DATASETS: dict[str, Dataset] = {}


def _register(ds: Dataset) -> Dataset:
    DATASETS[ds.kind] = ds
    return ds


ENTITIES = _register(
    Dataset(
        "entities",
        "Entités",
        "Entities",
        (
            Column("code", max_length=32),
            Column("nom", ("name",), max_length=120),
            Column(
                "pays",
                ("country",),
                "choice",
                choices=_choices(("FR", ("fr", "france")), ("BE", ("be", "belgique", "belgium"))),
            ),
            Column("forme_juridique", ("legal_form",), max_length=120),
            Column(
                "sous_plan",
                ("under_plan",),
                "bool",
                required=False,
                default=False,
                help_fr="oui si l'entité est sous le plan de continuation",
            ),
            Column("ordre", ("order",), "int", required=False, default=0),
            Column("siren", (), required=False, max_length=9,
                   help_fr="9 chiffres (clé de contrôle vérifiée) ; un FEC nommé {SIREN}FEC{AAAAMMJJ}.txt est "
                           "reconnu comme celui de l'entité ; sans cette colonne, le SIREN est effacé"),
        ),
        key=("code",),
        file_stem="entites",
        checks=(SIREN_VALID,),
    )
)

OFFICES = _register(
    Dataset(
        "offices",
        "Bureaux",
        "Offices",
        (
            Column("code", max_length=32),
            Column("nom", ("name",), max_length=120),
            Column("region", ("région",), max_length=60),
            Column("entite", ("entité", "entity"), help_fr="code d'une entité"),
            Column("ordre", ("order",), "int", required=False, default=0),
        ),
        key=("code",),
        file_stem="bureaux",
    )
)

INDICATORS = _register(
    Dataset(
        "indicators",
        "Catalogue des indicateurs",
        "Indicator catalogue",
        (
            Column("code", max_length=40),
            Column("libelle_fr", ("libellé_fr", "label_fr"), max_length=200),
            Column("libelle_en", ("libellé_en", "label_en"), max_length=200),
            Column(
                "unite",
                ("unité", "unit"),
                "choice",
                choices=_choices(
                    ("EUR", ("eur", "€", "euros")),
                    ("count", ("nombre", "nb")),
                    ("FTE", ("etp", "fte")),
                    ("percent", ("%", "pourcent", "pct")),
                    ("ratio", "ratio"),
                    ("days", ("jours", "j")),
                    ("months", "mois"),
                    ("year", ("année", "annee")),
                    ("hours", ("heures", "h")),
                ),
            ),
            Column(
                "sens",
                ("direction",),
                "choice",
                choices=_choices(("up", ("hausse", "haut")), ("down", ("baisse", "bas"))),
                help_fr="hausse : plus haut est mieux ; baisse : plus bas est mieux",
            ),
            Column(
                "frequence",
                ("fréquence", "frequency"),
                "choice",
                choices=_choices(
                    ("weekly", "hebdomadaire"),
                    ("monthly", "mensuelle"),
                    ("quarterly", "trimestrielle"),
                    ("yearly", "annuelle"),
                ),
            ),
            Column("responsable", ("owner",), required=False, max_length=120),
            Column(
                "mode_seuils",
                ("threshold_mode",),
                "choice",
                required=False,
                default="plan",
                choices=_choices(("plan", "écart au plan"), ("absolute", ("absolu", "niveau"))),
                help_fr="plan : seuils en % d'écart défavorable au plan ; absolu : niveaux de la valeur",
            ),
            Column("seuil_orange", ("amber_threshold",), "decimal", required=False),
            Column("seuil_rouge", ("red_threshold",), "decimal", required=False),
            Column(
                "cle",
                ("clé", "key"),
                "bool",
                required=False,
                default=False,
                help_fr="oui pour une tuile de la page d'accueil",
            ),
            Column("actif", ("active",), "bool", required=False, default=True),
            Column("ordre", ("order",), "int", required=False, default=0),
            Column("description", required=False),
        ),
        key=("code",),
        file_stem="indicateurs",
        checks=(AMBER_BEFORE_RED,),
    )
)

PLAN_VERSIONS = _register(
    Dataset(
        "plan_versions",
        "Versions du plan",
        "Plan versions",
        (
            Column("code", max_length=40),
            Column("nom", ("name",), max_length=200),
            Column("adopte_le", ("adopté_le", "adopted_on"), "date", required=False),
            Column("adopte_par", ("adopté_par", "adopted_by"), required=False, max_length=200),
            Column(
                "statut",
                ("status",),
                "choice",
                choices=_choices(
                    ("draft", "brouillon"),
                    ("in_force", ("en vigueur", "en_vigueur")),
                    ("superseded", ("remplacée", "remplacee")),
                ),
            ),
            Column("note", required=False),
            Column("synthetique", ("synthetic",), "bool", required=False, default=False),
        ),
        key=("code",),
        file_stem="versions_plan",
    )
)

OBSERVATIONS = _register(
    Dataset(
        "observations",
        "Valeurs des indicateurs (réel, prévision, plan)",
        "Indicator values (actual, forecast, plan)",
        (
            Column("indicateur", ("indicator",), help_fr="code d'un indicateur du catalogue"),
            Column("entite", ("entité", "entity"), help_fr="code d'une entité"),
            Column("bureau", ("office",), required=False, help_fr="code d'un bureau, vide pour l'entité entière"),
            Column("fin_periode", ("fin_période", "period_end"), "date", help_fr="dernier jour de la période"),
            Column("scenario", ("scénario",), "choice", choices=SCENARIO),
            Column(
                "version_plan",
                ("plan_version",),
                required=False,
                help_fr="code de version, obligatoire pour le plan",
            ),
            Column("valeur", ("value",), "decimal", help_fr="dans l'unité de l'indicateur ; % en points (12,4)"),
            *_provenance(),
        ),
        key=("indicateur", "entite", "bureau", "fin_periode", "scenario", "version_plan"),
        file_stem="observations",
        checks=(PLAN_NEEDS_VERSION, _actual_not_in_future("fin_periode")),
        keep_raw=("valeur",),
    )
)

INSTRUMENTS = _register(
    Dataset(
        "instruments",
        "Instruments de financement",
        "Funding instruments",
        (
            Column("code", max_length=40),
            Column("libelle_fr", ("libellé_fr", "label_fr"), max_length=200),
            Column("libelle_en", ("libellé_en", "label_en"), max_length=200),
            Column(
                "classe",
                ("class", "equity_class"),
                "choice",
                choices=_choices(
                    ("equity", ("fonds propres", "fonds_propres", "capitaux propres")),
                    ("quasi_equity", ("quasi-fonds propres", "quasi_fonds_propres")),
                    ("debt", ("dette",)),
                    ("income", ("produit", "produit exceptionnel")),
                    ("undecided", ("à décider", "a decider")),
                ),
            ),
            Column(
                "compte_1plus1",
                ("counts_one_plus_one",),
                "bool",
                help_fr="oui si l'instrument compte pour la règle 1+1",
            ),
        ),
        key=("code",),
        file_stem="instruments",
    )
)

FUNDING = _register(
    Dataset(
        "funding",
        "Apports et levées de fonds",
        "Funding contributions",
        (
            Column("code", max_length=60, help_fr="identifiant stable de l'apport"),
            Column("version_plan", ("plan_version",), required=False, help_fr="version du plan qui le prévoit"),
            Column("apporteur", ("contributor",), max_length=120),
            Column(
                "categorie_apporteur",
                ("catégorie_apporteur", "contributor_class"),
                "choice",
                choices=_choices(
                    ("smartbe", "smartbe"),
                    ("members", ("sociétaires", "societaires", "membres")),
                    ("partners", ("partenaires", "partenaires financiers")),
                    ("group", ("groupe", "entité du groupe")),
                ),
            ),
            Column("beneficiaire", ("bénéficiaire", "beneficiary"), help_fr="code d'une entité"),
            Column("instrument", help_fr="code d'un instrument"),
            Column("periode", ("période", "period"), required=False, max_length=20),
            Column("date_prevue", ("date_prévue", "planned_date"), "date"),
            Column("montant_prevu", ("montant_prévu", "planned_amount"), "money", minimum=ZERO),
            Column(
                "statut",
                ("status",),
                "choice",
                choices=_choices(
                    ("planned", ("prévu", "prevu")),
                    ("committed", ("engagé", "engage")),
                    ("received", ("reçu", "recu", "versé", "verse")),
                    ("cancelled", ("annulé", "annule")),
                ),
            ),
            Column("date_reception", ("date_réception", "received_date"), "date", required=False),
            Column("montant_recu", ("montant_reçu", "received_amount"), "money", required=False, minimum=ZERO),
            Column("condition", required=False),
            Column(
                "etat_condition",
                ("état_condition", "condition_status"),
                "choice",
                required=False,
                choices=_choices(
                    ("pending", ("en attente", "en_attente")),
                    ("met", ("remplie",)),
                    ("not_met", ("non remplie", "non_remplie")),
                ),
            ),
            Column("note", required=False),
            *_provenance(),
        ),
        key=("code", "version_plan"),
        file_stem="financements",
    )
)

PLAN_TARGETS = _register(
    Dataset(
        "plan_targets",
        "Cibles énoncées par le plan",
        "Targets stated by the plan",
        (
            Column("version_plan", ("plan_version",), help_fr="version du plan qui énonce la cible"),
            Column("entite", ("entité", "entity"), required=False,
                   help_fr="code d'une entité ; vide : toutes les entités sous le plan"),
            Column("cible", ("target",), max_length=40,
                   help_fr="ex. BREAK_EVEN_YEAR (année d'équilibre), PLAN_END_YEAR (fin du plan), CONTRIBUTION_RATE"),
            Column("valeur", ("value",), "decimal", help_fr="dans l'unité indiquée ; une année s'écrit 2024"),
            Column("unite", ("unité", "unit"), "choice", choices=INDICATORS.column("unite").choices),
            Column("a_partir_de", ("à_partir_de", "from_year"), "int", required=False,
                   help_fr="année à partir de laquelle la cible s'applique, si le plan la donne"),
            Column("enonce_fr", ("énoncé_fr", "statement_fr"), help_fr="la cible dans les mots du plan"),
            Column("enonce_en", ("énoncé_en", "statement_en"), required=False),
            *_provenance(),
        ),
        key=("version_plan", "entite", "cible"),
        file_stem="cibles_plan",
        description_fr="Ce que le plan énonce en toutes lettres (l'équilibre « dès 2024 », le taux de contribution "
                       "« 10 % → 13 % »…) est affiché tel quel, jamais déduit des valeurs du plan.",
    )
)

CLAIMS = _register(
    Dataset(
        "creditor_claims",
        "Créances admises au plan",
        "Claims admitted in the plan",
        (
            Column("code", max_length=60, help_fr="identifiant stable de la créance"),
            Column("entite", ("entité", "entity"), help_fr="code de l'entité débitrice"),
            Column("creancier", ("créancier", "creditor"), max_length=200),
            Column("categorie", ("catégorie", "creditor_class"), max_length=60,
                   help_fr="ex. social et fiscal, bancaire, fournisseurs, groupe"),
            Column("montant_admis", ("admitted_amount",), "money", minimum=ZERO),
            Column("option", kind="choice", choices=_choices(("write_off", ("remise", "abandon")),
                                                             ("delay", ("délais", "delais"))),
                   help_fr="option choisie par le créancier : remise partielle ou délais"),
            *_provenance(),
        ),
        key=("code",),
        file_stem="creances_admises",
    )
)

INSTALMENTS = _register(
    Dataset(
        "instalments",
        "Échéancier du plan",
        "Plan instalments",
        (
            Column("creance", ("créance", "claim"), help_fr="code d'une créance admise"),
            Column("rang", ("seq", "rank"), "int", minimum=Decimal(1), help_fr="1 pour le premier dividende annuel"),
            Column("date_echeance", ("date_échéance", "due_date"), "date"),
            Column("pct_creance", ("pct_of_claim",), "decimal", minimum=ZERO, help_fr="% de la créance admise (5 ou 5 %)"),
            Column("montant_du", ("montant_dû", "amount_due"), "money", minimum=ZERO),
            Column("montant_paye", ("montant_payé", "amount_paid"), "money", required=False, default=Decimal(0),
                   minimum=ZERO),
            Column("paye_le", ("payé_le", "paid_on"), "date", required=False),
            *_provenance(),
        ),
        key=("creance", "rang"),
        file_stem="echeancier",
    )
)

HEADCOUNT = _register(
    Dataset(
        "headcount",
        "Effectifs",
        "Headcount",
        (
            Column("entite", ("entité", "entity")),
            Column("fin_periode", ("fin_période", "period_end"), "date"),
            Column(
                "population",
                choices=_choices(
                    ("staff", ("permanents", "équipe permanente", "salariés permanents")),
                    ("members", ("entrepreneurs-salariés", "entrepreneurs_salaries", "membres salariés")),
                ),
                kind="choice",
            ),
            Column(
                "scenario",
                ("scénario",),
                "choice",
                required=False,
                default="actual",
                choices={k: v for k, v in SCENARIO.items() if v != "forecast"},
            ),
            Column("version_plan", ("plan_version",), required=False),
            Column("effectif", ("headcount",), "int", minimum=ZERO),
            Column(
                "etp",
                ("fte",),
                "decimal",
                required=False,
                minimum=ZERO,
                help_fr="heures payées ÷ 151,67 h par mois",
            ),
            Column("heures_payees", ("heures_payées", "hours_paid"), "decimal", required=False, minimum=ZERO),
            Column("entrees", ("entrées", "entries"), "int", required=False, minimum=ZERO),
            Column("sorties", ("exits",), "int", required=False, minimum=ZERO),
            Column("departs_pse", ("départs_pse", "pse_departures"), "int", required=False, minimum=ZERO),
            *_provenance(),
        ),
        key=("entite", "fin_periode", "population", "scenario", "version_plan"),
        file_stem="effectifs",
        checks=(FTE_NOT_ABOVE_HEADCOUNT, PLAN_NEEDS_VERSION, _actual_not_in_future("fin_periode")),
    )
)

MEMBERSHIP = _register(
    Dataset(
        "membership",
        "Sociétariat par bureau",
        "Membership per office",
        (
            Column("bureau", ("office",), help_fr="code d'un bureau"),
            Column("fin_periode", ("fin_période", "period_end"), "date"),
            Column("membres", ("members",), "int", minimum=ZERO),
            Column("societaires", ("sociétaires", "shareholders"), "int", required=False, minimum=ZERO),
            Column("conseillers", ("advisers",), "int", required=False, minimum=ZERO),
            *_provenance(),
        ),
        key=("bureau", "fin_periode"),
        file_stem="societariat",
        checks=(_actual_not_in_future("fin_periode"),),
    )
)

RECEIVABLES = _register(
    Dataset(
        "receivables",
        "Créances clients ouvertes",
        "Open receivable items",
        (
            Column(
                "date_situation",
                ("as_of",),
                "date",
                help_fr="date de la situation (photo des créances ouvertes)",
            ),
            Column("entite", ("entité", "entity")),
            Column("bureau", ("office",), required=False),
            Column("client", max_length=200),
            Column("facture", ("invoice", "invoice_no", "n° facture"), max_length=60),
            Column("date_facture", ("invoice_date",), "date"),
            Column("date_echeance", ("date_échéance", "due_date"), "date"),
            Column("montant_du", ("montant_dû", "amount_open"), "money", help_fr="montant TTC restant dû"),
            *_provenance(),
        ),
        key=("date_situation", "entite", "facture"),
        file_stem="creances",
        description_fr="Un fichier est la situation complète d'une entité à sa date : les créances de cette entité "
                       "et de cette date déjà enregistrées mais absentes du fichier (payées depuis) sont retirées. "
                       "L'aperçu les annonce ; l'annulation du chargement les rétablit.",
        checks=(DUE_NOT_BEFORE_INVOICE, INVOICED_BY_SNAPSHOT, _actual_not_in_future("date_situation")),
    )
)

MEETINGS = _register(
    Dataset(
        "meetings",
        "Réunions du comité",
        "Committee meetings",
        (
            Column("date", ("held_on",), "date"),
            Column("date_situation", ("as_of",), "date", help_fr="date des chiffres présentés"),
            Column("titre", ("title",), max_length=200),
            Column(
                "statut",
                ("status",),
                "choice",
                choices=_choices(
                    ("planned", ("prévue", "prevue")), ("held", ("tenue",)), ("closed", ("close", "clôturée"))
                ),
            ),
            Column("participants", ("attendees",), required=False),
            Column("synthetique", ("synthetic",), "bool", required=False, default=False),
        ),
        key=("date",),
        file_stem="reunions",
    )
)

SOURCE_FIGURES = _register(
    Dataset(
        "source_figures",
        "Chiffres des documents sources",
        "Figures from the source documents",
        (
            Column("code", max_length=60),
            Column("document", max_length=200),
            Column("emplacement", ("location",), max_length=200),
            Column("libelle_fr", ("libellé_fr", "label_fr"), max_length=300),
            Column("libelle_en", ("libellé_en", "label_en"), max_length=300),
            Column("valeur", ("value",), "decimal"),
            Column("unite", ("unité", "unit"), max_length=12),
            Column("note", required=False),
        ),
        key=("code",),
        file_stem="chiffres_sources",
    )
)

# The order in which a full data set must be loaded (references first).
LOAD_ORDER = (
    "entities",
    "offices",
    "indicators",
    "plan_versions",
    "instruments",
    "source_figures",
    "observations",
    "funding",
    "plan_targets",
    "creditor_claims",
    "instalments",
    "headcount",
    "membership",
    "receivables",
    "meetings",
)


# --------------------------------------------------------------------------- reading files


def _normal_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().lower().lstrip("\ufeff"))


ENCODINGS_ACCEPTED = "un texte en UTF-8 ou en Windows-1252 (enregistrez le fichier en « CSV UTF-8 »)"
_WESTERN_LETTERS = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0178"
_WESTERN_SIGNS = "\u00a0\u00a7\u00ab\u00b0\u00b2\u00b3\u00b5\u00bb\u20ac\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022"
# the characters of a byte 0x80-0xBF in Windows-1252: after « Ã » or « Â », UTF-8 read as Windows-1252 (« Ã© »)
_CP1252_CONTINUATION = "".join(bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0))
_NOT_WESTERN_TEXT = re.compile(
    f"[^\t\n\r\x20-\x7e{_WESTERN_LETTERS}{_WESTERN_SIGNS}]"  # a character French or Western text does not use
    f"|[\u00a7\u00b0\u00b2\u00b3\u00b5\u20ac\u2013\u2014\u2026\u2022][{_WESTERN_LETTERS}]"  # a sign glued to a letter
    f"|[\u00c2\u00c3][{re.escape(_CP1252_CONTINUATION)}]"
)


def decode(data: bytes, name: str = "") -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1252 when the bytes read as Western text
    (letters with accents, € ’ « » – …) — what French spreadsheets write. Anything else is refused, naming the row
    and column of the first byte that does not fit, rather than stored as garbled text: a Shift-JIS or Cyrillic
    file read as Windows-1252 shows characters Western text does not use, or signs glued to letters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused([Problem(name, None, None, "UTF-16", ENCODINGS_ACCEPTED)])
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as err:
            raise FileRefused([_byte_problem(name, data, err.start + 3, "un texte en UTF-8 (le fichier l'annonce)")]
                              ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise FileRefused([_byte_problem(name, data, err.start, ENCODINGS_ACCEPTED)]) from None
    odd = _NOT_WESTERN_TEXT.search(text) if not text.isascii() else None
    if odd is not None and not _CONTROL.match(odd.group()):  # control characters have their own message
        row, column = _position(text, odd.start())
        raise FileRefused([Problem(name, row, column, f"« {odd.group()} » (octet{'s' if len(odd.group()) > 1 else ''} "
                                   + " ".join(f"0x{b:02X}" for b in odd.group().encode("cp1252")) + ")",
                                   ENCODINGS_ACCEPTED)])
    return text


def _byte_problem(name: str, data: bytes, offset: int, expected: str) -> Problem:
    row, column = _position(data.decode("latin-1"), offset)  # one character per byte: offsets agree
    return Problem(name, row, column, f"octet 0x{data[offset]:02X}", expected)


def _position(text: str, offset: int) -> tuple[int, str | None]:
    """The physical line and the column (its header) of a character of a CSV text."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    header_end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    header_line = text[:header_end]
    delimiter = max((";", ",", "\t"), key=header_line.count)
    index = text.count(delimiter, line_start, offset)
    header = [h.strip().strip('"').lstrip("\ufeff") for h in header_line.split(delimiter)]
    row = len(_LINE_BREAK.findall(text, 0, line_start)) + 1
    if row == 1:
        return 1, None
    return row, header[index] if index < len(header) and header[index] else f"n° {index + 1}"


class Table(NamedTuple):
    """A file's header and rows, with each row's spreadsheet line number (blank lines are skipped, not renumbered)."""

    header: list[str]
    rows: list[list[Any]]
    lines: list[int]


def _table(name: str, rows: list[list[Any]], blank: Callable[[list], bool] | None, what: str) -> Table:
    numbered = list(range(1, len(rows) + 1))
    if blank is not None:
        kept = [i for i, row in enumerate(rows) if not blank(row)]
        rows, numbered = [rows[i] for i in kept], [numbered[i] for i in kept]
    if not rows:
        raise FileRefused([Problem(name, None, None, None, what)])
    return Table(rows[0], rows[1:], numbered[1:])


XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_OTHER_SPREADSHEETS = {
    ".xls": "un classeur .xlsx ou un fichier CSV (le format .xls d'Excel 97-2003 n'est pas lu : enregistrez-le en .xlsx)",
    ".ods": "un classeur .xlsx ou un fichier CSV (enregistrez ce classeur OpenDocument en .xlsx ou en CSV)",
}


def too_many_rows(name: str, max_rows: int) -> FileRefused:
    return FileRefused([Problem(name, None, None, f"plus de {thousands(max_rows)} lignes",
                                f"un fichier de {thousands(max_rows)} lignes au plus")])


def read_table(name: str, data: bytes, *, max_rows: int | None = None) -> Table:
    """Header and rows of a CSV (`;`, `,` or tab separated) or of an .xlsx workbook's sheet (`read_sheet`)."""
    return read_sheet(name, data, max_rows=max_rows)[0]


def read_sheet(name: str, data: bytes, *, kind: str | None = None, max_rows: int | None = None
               ) -> tuple[Table, str | None]:
    """Header and rows of a file, and the workbook sheet they come from (None for a CSV file). A file of more than
    `max_rows` rows after the header is refused when its rows are read, before it is checked."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container of Excel 97-2003
        raise FileRefused([Problem(name, None, None, None, _OTHER_SPREADSHEETS[".xls"])])
    if suffix in _OTHER_SPREADSHEETS:
        raise FileRefused([Problem(name, None, None, None, _OTHER_SPREADSHEETS[suffix])])
    if suffix in XLSX_SUFFIXES or data[:2] == b"PK":
        from smartdash.workbooks import read_workbook

        return read_workbook(name, data, kind=kind, max_rows=max_rows)
    if suffix not in CSV_SUFFIXES:
        raise FileRefused([Problem(name, None, None, suffix or name, "un fichier .csv, .txt ou .xlsx")])
    return _read_csv(name, data, max_rows), None


def _read_csv(name: str, data: bytes, max_rows: int | None) -> Table:
    text = decode(data, name)
    control = _CONTROL.search(text)
    if control is not None:
        row, column = _position(text, control.start())
        raise FileRefused([Problem(name, row, column, f"caractère 0x{ord(control.group()):02X}",
                                   "un texte sans caractère de contrôle (octet nul… : fichier abîmé ou binaire ?)")])
    newline = text.find("\n")
    first = text[:newline if newline >= 0 else len(text)]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader) if max_rows is None else list(itertools.islice(reader, max_rows + 2))
    except csv.Error as err:
        raise FileRefused([_csv_problem(name, text, delimiter, err)]) from None
    if max_rows is not None and len(rows) > max_rows + 1:
        raise too_many_rows(name, max_rows)
    any_blank = not (all(rows) and all(map(str.strip, map(operator.itemgetter(0), rows))))  # a first cell filled
    table = _table(name, rows, (lambda row: not any(map(str.strip, row))) if any_blank else None,
                   "un fichier non vide avec une ligne d'en-tête")
    _check_widths(name, table, delimiter)
    return table


_DELIMITER_NAMES = {";": ";", ",": ",", "\t": "tabulation"}


def _check_widths(name: str, table: Table, delimiter: str) -> None:
    """Every row has the header's cells: fewer is a cut (a truncated file, a lost separator), more with something
    in them is a value that belongs to no column (a separator inside a value that is not quoted)."""
    header = table.header
    width = len(header)
    while width and not header[width - 1].strip():  # empty header cells at the end name no column
        width -= 1
    if len(header) > MAX_COLUMNS:
        raise FileRefused([Problem(name, 1, None, f"{thousands(len(header))} colonnes",
                                   f"une ligne d'en-tête de {thousands(MAX_COLUMNS)} colonnes au plus")])
    lengths = set(map(len, table.rows))
    if not lengths or (min(lengths) >= width and max(lengths) <= len(header)):
        return
    problems = []
    for row, line in zip(table.rows, table.lines, strict=True):
        if len(row) < width:
            problems.append(Problem(name, line, header[len(row)], None,
                                    f"une ligne de {width} cellules comme l'en-tête ({len(row)} lues : fichier tronqué "
                                    "ou séparateur manquant ?)"))
        elif len(row) > len(header) and any(map(str.strip, row[len(header):])):
            extra = next(i for i in range(len(header), len(row)) if row[i].strip())
            problems.append(Problem(name, line, f"n° {extra + 1}, sans en-tête", row[extra],
                                    f"une ligne de {len(header)} cellules comme l'en-tête (« {_DELIMITER_NAMES[delimiter]} » "
                                    "dans une valeur sans guillemets ?)"))
        if len(problems) >= 1000:
            break
    if problems:
        raise FileRefused(problems)


_QUOTED_FIELD = re.compile(r'"[^"]*(?:""[^"]*)*"')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _csv_problem(name: str, text: str, delimiter: str, err: csv.Error) -> Problem:
    """Where Python's CSV reader stopped, named by row and column: the file is read again up to the record it
    could not read, and that record's fields are scanned for the one at fault."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, start_line, header = 0, 1, None
    try:
        for row in reader:
            header = header if header is not None else row
            records += 1
            start_line = reader.line_num + 1
    except csv.Error:
        pass
    offset = 0
    if start_line > 1:
        breaks = itertools.islice(_LINE_BREAK.finditer(text), start_line - 2, None)
        offset = next(breaks).end()
    index, fault, value = _field_at_fault(text, offset, delimiter)
    column = None
    if header is not None and index is not None:
        column = header[index] if index < len(header) else f"n° {index + 1}, sans en-tête"
    expected = {
        "long": f"une cellule de {thousands(MAX_CELL_CHARS)} caractères au plus",
        "open": "un guillemet fermant : celui qui ouvre cette cellule n'est jamais fermé (fichier tronqué ?)",
        "after": f"« {_DELIMITER_NAMES[delimiter]} » ou une fin de ligne après le guillemet "
                 "fermant (un guillemet dans une valeur entre guillemets se double : \"\")",
    }.get(fault, f"un fichier CSV bien formé ({err})")
    return Problem(name, records + 1, column, value, expected)


def _field_at_fault(text: str, offset: int, delimiter: str) -> tuple[int | None, str | None, str | None]:
    """(field index, fault, start of the field) for the CSV record starting at `offset`: a field longer than a cell
    may be ("long"), a quote never closed ("open"), something after a closing quote ("after")."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    index, pos = 0, offset
    while True:
        start = pos
        if text.startswith('"', pos):
            match = _QUOTED_FIELD.match(text, pos)
            if match is None:
                return index, "open", text[pos + 1:pos + 60]
            pos = match.end()
            if pos < len(text) and text[pos] not in (delimiter, "\r", "\n"):
                return index, "after", _LINE_BREAK.split(text[start:pos + 12], 1)[0]
        else:
            pos = unquoted.match(text, pos).end()
        if pos - start > MAX_CELL_CHARS:
            return index, "long", text[start:start + 60]
        if pos >= len(text) or text[pos] in "\r\n":
            return None, None, None
        pos += 1
        index += 1


def header_map(dataset: Dataset, header: list[str]) -> dict[str, int]:
    """Column name → position, accepting the English aliases."""
    names = {_normal_header(c.name): c.name for c in dataset.columns}
    for c in dataset.columns:
        for alias in c.aliases:
            names[_normal_header(alias)] = c.name
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        key = names.get(_normal_header(h))
        if key and key not in found:
            found[key] = i
    return found


def detect_dataset(header: list[str]) -> Dataset | None:
    """The dataset whose required headers are all present, the one matching most columns."""
    best: tuple[int, Dataset] | None = None
    for ds in DATASETS.values():
        found = header_map(ds, header)
        if ds.required_headers <= found.keys():
            score = len(found) * 100 - len(ds.columns)
            if best is None or score > best[0]:
                best = (score, ds)
    return best[1] if best else None


@dataclass
class ParsedFile:
    """A file parsed to Python values, column by column (every column of the format, and `_raw_<column>` cell texts
    where kept), with the spreadsheet line number of each row. Rows with a problem are left out."""

    name: str
    dataset: Dataset
    columns: dict[str, list]
    lines: list[int]
    problems: list[Problem]
    sheet: str | None = None  # the workbook sheet read (None for a CSV file)

    @functools.cached_property
    def rows(self) -> list[dict[str, Any]]:
        """The records as dicts, built when asked for (a bulk load reads the columns)."""
        names = list(self.columns)
        return list(map(dict, map(zip, itertools.repeat(names), zip(*self.columns.values(), strict=True))))


def parse_file(name: str, data: bytes, kind: str | None = None, *, max_rows: int | None = None) -> ParsedFile:
    """Read and type-check a whole file; every problem is collected, nothing raises for bad cells."""
    if kind and kind not in DATASETS:
        raise FileRefused([Problem(name, None, None, kind, "un type parmi : " + ", ".join(DATASETS))])
    (header, raw_rows, line_of), sheet = read_sheet(name, data, kind=kind, max_rows=max_rows)
    if max_rows is not None and len(raw_rows) > max_rows:
        raise too_many_rows(name, max_rows)
    if kind:
        dataset = DATASETS[kind]
    else:
        dataset = detect_dataset(header)
        if dataset is None:
            raise FileRefused(
                [
                    Problem(
                        name,
                        1,
                        None,
                        "; ".join(map(str, header))[:200],
                        "les en-têtes d'un des formats documentés (docs/formats.md), ou --kind",
                    )
                ]
            )
    positions = header_map(dataset, header)
    missing = [c for c in dataset.columns if c.required and c.name not in positions]
    if missing:
        raise FileRefused([Problem(name, 1, c.name, None, f"la colonne obligatoire « {c.name} »") for c in missing])
    count = len(raw_rows)
    complete = min(map(len, raw_rows), default=0) > max(positions.values(), default=-1)
    names: list[str] = []
    columns: list[list] = []  # parsed values (or Refused), column by column
    refused: dict[str, tuple[list, list]] = {}  # column → (values, cells) where a cell was refused
    for column in dataset.columns:
        pos = positions.get(column.name)
        if pos is None:  # an optional column the file does not have
            values = [_parse_one(column, None)] * count
            cells: list = [None] * count
        else:
            cells = list(map(operator.itemgetter(pos), raw_rows)) if complete else \
                [raw[pos] if pos < len(raw) else None for raw in raw_rows]
            values = parse_cells(column, cells)
        names.append(column.name)
        columns.append(values)
        if Refused in set(map(type, values)):
            refused[column.name] = (values, cells)
        if column.name in dataset.keep_raw:
            names.append("_raw_" + column.name)
            columns.append(cells)
    del raw_rows  # the cells live on in the columns: the row lists' memory serves what follows
    problems: list[Problem] = []
    for column_name, (values, cells) in refused.items():
        for i, value in enumerate(values):
            if type(value) is Refused:
                cell = cells[i]
                problems.append(Problem(name, line_of[i], column_name, None if cell is None else str(cell),
                                        value.expected))
    by_name = dict(zip(names, columns, strict=True))
    for check in dataset.checks:
        problems += _check_rows(name, check, by_name, line_of, dataset)
    problems += _check_money_totals(name, dataset, by_name)
    lines = line_of
    if problems:  # rows with a problem are left out: the file is refused, the rest is still checked
        refused_rows = {p.row for p in problems}
        kept = [i for i, line in enumerate(lines) if line not in refused_rows]
        lines = [lines[i] for i in kept]
        by_name = {column_name: [values[i] for i in kept] for column_name, values in by_name.items()}
        problems.sort(key=lambda p: p.row or 0)  # row by row, the columns of a row in the file's order
    _check_duplicates(name, dataset, by_name, lines, problems)
    return ParsedFile(name, dataset, by_name, lines, problems, sheet)


def _check_money_totals(name: str, dataset: Dataset, columns: dict[str, list]) -> list[Problem]:
    """A money column's total fits the store's 64-bit cents (the store sums a receivables snapshot, the whole of
    a file): only worth adding up when the file has rows enough for bounded amounts to overflow."""
    problems = []
    for column in dataset.columns:
        values = columns[column.name]
        if column.kind != "money" or len(values) * NUMBER_LIMITS["money"] * 100 <= BIGINT_MAX:
            continue
        total = sum(abs(v) for v in values if isinstance(v, Decimal))
        if total * 100 > BIGINT_MAX:
            problems.append(Problem(name, None, column.name, f"total {thousands(int(total))} €",
                                    f"un total de colonne inférieur à {thousands(BIGINT_MAX // 100)} €"))
    return problems


def failing_rows(columns: list[list], test: Callable[[tuple], Any], skip: set[int] | frozenset = frozenset()
                 ) -> list[tuple[int, Any]]:
    """(row index, what `test` said) for each row whose cells in `columns` fail it: `test` gets a combination of
    cells and returns None when it holds; it runs once per distinct combination (rows in `skip` aside)."""
    combos = zip(*columns, strict=True)
    distinct = {combo for i, combo in enumerate(combos) if i not in skip} if skip else set(combos)
    failing = {combo: said for combo in distinct if (said := test(combo)) is not None}
    if not failing:
        return []
    return [(i, failing[combo]) for i, combo in enumerate(zip(*columns, strict=True))
            if combo in failing and i not in skip]


def _check_rows(name: str, check: RowCheck, by_name: dict[str, list], line_of: list[int],
                dataset: Dataset) -> list[Problem]:
    """The rows failing a rule (a row with a refused cell among those it reads is reported for that cell only)."""
    read = [c for c in check.columns if c in by_name]

    def test(combo: tuple) -> str | None:
        return None if Refused in set(map(type, combo)) else check.test(dict(zip(read, combo, strict=True)))

    problems = []
    for i, message in failing_rows([by_name[c] for c in read], test):
        column_name, expected = message.split("|", 1)
        shown = format_cell(dataset.column(column_name), by_name[column_name][i])  # as the user wrote it
        problems.append(Problem(name, line_of[i], column_name, shown, expected))
    return problems


def _check_duplicates(name: str, dataset: Dataset, columns: dict[str, list], lines: list[int],
                      problems: list[Problem]) -> None:
    keys = list(zip(*(columns[k] for k in dataset.key), strict=True))
    if len(set(keys)) == len(keys):
        return
    seen: dict[tuple, int] = {}
    for key, line in zip(keys, lines, strict=True):
        if key in seen:
            shown = " / ".join(str(v) for v in key if v not in (None, ""))
            problems.append(Problem(name, line, dataset.key[0], shown,
                                    f"une clé unique dans le fichier (déjà ligne {seen[key]})"))
        else:
            seen[key] = line


# --------------------------------------------------------------------------- writing files


def format_cell(column: Column, value: Any) -> str:
    """A value written the French-spreadsheet way, as the demo files and templates use."""
    if value is None:
        return ""
    if column.kind in ("decimal", "money"):
        text = format(Decimal(value).normalize(), "f") if column.kind == "decimal" else f"{Decimal(value):.2f}"
        return text.replace(".", ",")
    if column.kind == "date":
        return value.strftime("%d/%m/%Y")
    if column.kind == "bool":
        return "oui" if value else "non"
    if column.kind == "choice":
        assert column.choices is not None
        return dict(zip(dict.fromkeys(column.choices.values()), column.choice_words(), strict=True))[value]
    return str(value)


def write_csv(dataset: Dataset, records: Iterable[dict[str, Any]]) -> str:
    """CSV text in the documented format: `;` separated, French headers and cells; a text cell a spreadsheet would
    run as a formula is written inert (`inert_text`), and reads back as it was."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([c.name for c in dataset.columns])
    texts = [c.kind == "text" for c in dataset.columns]
    for record in records:
        writer.writerow([inert_text(cell) if text else cell for cell, text in
                         zip((format_cell(c, record.get(c.name)) for c in dataset.columns), texts, strict=True)])
    return out.getvalue()


def template_csv(dataset: Dataset) -> bytes:
    """An empty file of the format: the header row, UTF-8 with BOM so that spreadsheets read the accents."""
    return ("\ufeff" + ";".join(c.name for c in dataset.columns) + "\n").encode("utf-8")


def template_xlsx(dataset: Dataset) -> bytes:
    """A workbook: the header row on the first sheet, and an "Aide" sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = dataset.file_stem[:31]
    sheet.append([c.name for c in dataset.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append(["colonne", "obligatoire", "type", "valeurs, remarques"])
    for c in dataset.columns:
        notes = " / ".join(c.choice_words()) if c.kind == "choice" else ""
        # openpyxl stores a text starting with "=" as a formula: every cell goes through inert_text
        help_sheet.append([inert_text(text) for text in (c.name, "oui" if c.required else "non", c.expected_fr,
                                                          " ; ".join(x for x in (notes, c.help_fr) if x))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
