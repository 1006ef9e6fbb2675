"""What a file format is made of: its columns (how a cell is read, where it is stored), its rules, and the
problems a file can have, each a message with its parameters rendered in the reader's language."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smartdash.formats.cells import (
    _UNPRINTABLE,
    DATE_MAX,
    DATE_MIN,
    MAX_CELL_CHARS,
    NUMBER_LIMITS,
    CellError,
    _shown,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    text_as_read,
    thousands,
)
from smartdash.i18n import N_, Text, render, text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file; `row` is the spreadsheet line number (header = 1). A value is kept as
    a message shows it (control characters spelled out, at most 120 characters)."""

    file: str
    row: int | None
    column: str | Text | None  # a header; a Text where the cell has none ("no. 12, no header")
    value: str | Text | None  # the cell as read; a Text where it describes what was read ("byte 0x81")
    expected: Text | str  # what the column takes: a message (a plain string only from older callers)

    def __post_init__(self) -> None:
        if isinstance(self.value, str) and (len(self.value) > 120 or _UNPRINTABLE.search(self.value)):
            object.__setattr__(self, "value", _shown(self.value))

    def line(self, lang: str = "fr") -> str:
        """The problem in one line of the reader's language: file, row, column, value read, what was expected."""
        place = text(N_("{file}, row {row}"), file=self.file, row=self.row) if self.row is not None else self.file
        if self.column:
            place = text(N_("{place}, column “{column}”"), place=place, column=self.column)
        if self.value not in (None, ""):
            return render(
                lang,
                text(
                    N_("{place}: value “{value}” — expected: {expected}"), place=place, value=self.value, expected=self.expected
                ),
            )
        return render(lang, text(N_("{place} — expected: {expected}"), place=place, expected=self.expected))


class FileRefused(Exception):
    """A file that cannot be loaded; nothing was written. Its message is the problems' lines in French (the
    default language); a page or the command line renders `problems` in the reader's own."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.line() for p in problems))
        self.problems = problems


# --------------------------------------------------------------------------- dataset specs

A_VALUE = text(N_("a value (required column)"))
A_DATE_BETWEEN = text(N_("a date between {first} and {last}"), first=f"{DATE_MIN:%d/%m/%Y}", last=f"{DATE_MAX:%d/%m/%Y}")


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
    # where the store keeps it: the model attribute, and the dataset whose code the cell names (stored as its id)
    attr: str | None = None
    ref: Dataset | None = field(default=None, repr=False, compare=False)

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
                    raise CellError(self.too_long)
                return text_as_read(raw)
        if raw is None:
            if self.required:
                raise CellError(A_VALUE)
            return self.default
        if self.kind == "text":
            value = str(raw).strip()
            if isinstance(raw, float) and raw.is_integer():
                value = str(int(raw))
            if len(value) > self.longest:
                raise CellError(self.too_long)
            return text_as_read(value)
        if self.kind in NUMBER_LIMITS and isinstance(raw, float) and not math.isfinite(raw):
            raise CellError(self.not_finite)
        if self.kind == "int":
            value = parse_int(raw)
        elif self.kind == "decimal":
            value = parse_decimal(raw, places=4)
        elif self.kind == "money":
            value = parse_decimal(raw, places=2)
        elif self.kind == "date":
            value = parse_date(raw)
            if not DATE_MIN <= value <= DATE_MAX:
                raise CellError(A_DATE_BETWEEN)
        elif self.kind == "bool":
            return parse_bool(raw)
        elif self.kind == "choice":
            key = str(raw).strip().lower()
            assert self.choices is not None
            if key not in self.choices:
                raise CellError(text(N_("one of the values: {values}"), values=", ".join(self.choice_words())))
            return self.choices[key]
        else:  # pragma: no cover - a spec error, not a user error
            raise AssertionError(self.kind)
        if self.kind in NUMBER_LIMITS and not -NUMBER_LIMITS[self.kind] < value < NUMBER_LIMITS[self.kind]:
            raise CellError(self.too_large)
        if self.minimum is not None and value < self.minimum:
            raise CellError(text(N_("a value greater than or equal to {minimum}"), minimum=self.minimum))
        return value

    @property
    def too_long(self) -> Text:
        return text(N_("a text of at most {count} characters"), count=thousands(self.longest))

    @property
    def too_large(self) -> Text:
        bound = thousands(NUMBER_LIMITS[self.kind])
        if self.kind == "money":
            return text(N_("an amount below {bound} € in absolute value"), bound=bound)
        return text(N_("a number below {bound} in absolute value"), bound=bound)

    @property
    def not_finite(self) -> Text:
        bound = thousands(NUMBER_LIMITS[self.kind])
        if self.kind == "money":
            return text(N_("an amount below {bound} € in absolute value (not NaN or an infinity)"), bound=bound)
        return text(N_("a number below {bound} in absolute value (not NaN or an infinity)"), bound=bound)

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


@dataclass(frozen=True)
class Dataset:
    """A file format: its code (`--kind`), French name, columns and natural key; the rules its rows follow; and the
    store's table it loads into (`model`, each column's `attr`), with what a code naming one of its rows is
    (`known`, for the datasets others refer to)."""

    kind: str
    title_fr: str
    title_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    file_stem: str
    description_fr: str = ""
    checks: tuple[RowCheck, ...] = field(default=())
    keep_raw: tuple[str, ...] = ()  # columns whose cell text is kept as `_raw_<column>` (unit checks)
    model: type | None = field(default=None, repr=False)
    # a file of this dataset is the whole of each snapshot (these columns' values) it names: stored rows of those
    # snapshots that the file no longer lists are removed (an invoice paid since is no longer open)
    snapshot: tuple[str, ...] = ()
    store_check: StoreCheck | None = None
    known: Text | None = None  # what a cell naming one of its rows must be: "the code of a known entity"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_headers(self) -> set[str]:
        return {c.name for c in self.columns if c.required}

    @property
    def references(self) -> tuple[Dataset, ...]:
        """The datasets whose codes its cells name (loaded before it), each once."""
        return tuple({c.ref.kind: c.ref for c in self.columns if c.ref is not None}.values())

    def attrs(self, columns: tuple[str, ...]) -> tuple[str, ...]:
        """The model attributes of some of its columns (its key, its snapshot) in the store."""
        return tuple(self.column(name).attr for name in columns)


@dataclass(frozen=True)
class RowCheck:
    """A rule across cells of a row, reported on one of them (`column`). `test` gets the cells it reads (`columns`,
    those the format has) and returns what was expected, or None; it runs once per distinct combination of those
    cells in a file."""

    columns: tuple[str, ...]
    column: str
    test: Callable[[dict], Text | None]


class RefError(Exception):
    """A row the store's reference tables refuse: the column at fault and what was expected."""

    def __init__(self, column: str, expected: Text):
        super().__init__(expected)
        self.column = column
        self.expected = expected


@dataclass(frozen=True)
class StoreCheck:
    """A rule needing the store's reference tables: `test(lookups, values)` raises RefError, where values maps what
    it `reads` (table attributes, or `_raw_<column>` cell texts of the file); it runs once per distinct combination.
    `lookups` is the loader's `importing.Lookups` (codes and ids of the reference tables, read once per load)."""

    reads: tuple[str, ...]
    test: Callable[[Any, dict], None]
