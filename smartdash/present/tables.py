"""The tables shown on more than one output, each declared once: its columns in order, each column's header message,
relative width, alignment and kind. The page's frame, the slide's table and the printed dossier's table are all drawn
from the declaration, so a column added to a table is added everywhere with its header and its width.

A table with an origin column declares it like any other (`ORIGIN`, kind "origin"): it gets its header and its width
from here, and the rows carry its cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from smartdash import provenance
from smartdash.i18n import N_, _, _p, text

Kind = Literal["text", "money", "number", "pct", "date", "mark", "status", "origin"]
Align = Literal["left", "right", "center"]

ALIGN_OF_KIND: dict[str, Align] = {
    "text": "left",
    "money": "right",
    "number": "right",
    "pct": "right",
    "date": "center",
    "mark": "center",
    "status": "left",
    "origin": "left",
}


class TableMismatch(ValueError):
    """Rows that do not fit their table's declaration: a programming error, said before anything is drawn."""


@dataclass(frozen=True)
class Column:
    """One column: `header` is an English msgid (or a (context, msgid) pair, or a `Text` with fields), translated
    where it is shown; a `verbatim` header (a code, "SHA-256") reads the same in every language. `width` is relative
    to the table's other columns."""

    key: str
    header: object
    kind: Kind = "text"
    width: float = 1.0
    align: Align | None = None
    verbatim: bool = False

    def header_in(self, lang: str) -> str:
        if self.verbatim:
            return str(self.header)
        if isinstance(self.header, tuple):
            return _p(lang, *self.header)
        if hasattr(self.header, "render"):
            return self.header.render(lang)
        return _(lang, self.header)

    @property
    def alignment(self) -> Align:
        return self.align or ALIGN_OF_KIND[self.kind]


@dataclass(frozen=True)
class TableSpec:
    """A table as declared: its key, its columns in order, and its print size (pt)."""

    key: str
    columns: tuple[Column, ...]
    size: float = 9

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise TableMismatch(f"table {self.key}: a column key is declared twice: {keys}")

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def widths(self) -> list[float]:
        return [c.width for c in self.columns]

    @property
    def alignments(self) -> list[Align]:
        return [c.alignment for c in self.columns]

    @property
    def has_origin(self) -> bool:
        return any(c.kind == "origin" for c in self.columns)

    def headers(self, lang: str) -> list[str]:
        return [c.header_in(lang) for c in self.columns]

    def frame(
        self,
        values: Mapping[str, Iterable],
        lang: str,
        *,
        is_synthetic: Iterable | None = None,
        sources: Iterable | None = None,
        origins: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """The table as a frame with the reader's headers: `values` gives every declared column but the origin by its
        key; the origin column, when declared, is made from `is_synthetic` and `sources` (one per row), or given as
        `origins` where a row's parts each have their own (provenance.parts_origin)."""
        given = set(values)
        wanted = {c.key for c in self.columns if c.kind != "origin"}
        if given != wanted:
            raise TableMismatch(
                f"table {self.key}: values for {sorted(given)}, declared {sorted(wanted)} "
                f"(missing {sorted(wanted - given)}, undeclared {sorted(given - wanted)})"
            )
        if self.has_origin and origins is None and (is_synthetic is None or sources is None):
            raise TableMismatch(f"table {self.key} declares an origin column: give is_synthetic and sources, or origins")
        columns = {}
        for c in self.columns:
            if c.kind == "origin" and origins is not None:
                columns[c.header_in(lang)] = list(origins)
            elif c.kind == "origin":
                columns[c.header_in(lang)] = provenance.origin_column(list(is_synthetic), list(sources), lang)
            else:
                columns[c.header_in(lang)] = list(values[c.key])
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise TableMismatch(f"table {self.key}: columns of different lengths {sorted(lengths)}")
        return pd.DataFrame(columns)

    def rows(self, frame: pd.DataFrame, lang: str) -> list[list]:
        """The rows of a frame made for this table, checked against the declaration (headers and their order)."""
        if list(frame.columns) != self.headers(lang):
            raise TableMismatch(f"table {self.key}: frame columns {list(frame.columns)}, declared {self.headers(lang)}")
        return frame.values.tolist()

    def check(self, rows: Sequence[Sequence]) -> None:
        """Every row has exactly one cell per declared column."""
        for i, row in enumerate(rows):
            if len(row) != len(self.columns):
                raise TableMismatch(
                    f"table {self.key}: row {i + 1} has {len(row)} cells, the declaration {len(self.columns)} "
                    f"({', '.join(self.keys)})"
                )


ORIGIN = Column("origin", provenance.ORIGIN, "origin", 2.2)  # a table whose sources are long gives it more room

SUMMARY = TableSpec(
    "summary",
    (
        Column("indicator", N_("Indicator"), width=2.7),
        Column("entity", N_("Entity"), width=1.6),
        Column("value", N_("Value"), "number", 1.2),
        Column("plan", "Plan", "number", 1.2, verbatim=True),
        Column("gap", N_("Gap to plan"), "number", 1.9),  # in € first; a share only of a positive plan
        Column("as_of", N_("As of"), "date", 1.1),
        Column("status", N_("Status"), "status", 1.1),
    ),
)

CONTRIBUTIONS = TableSpec(
    "contributions",
    (
        Column("contributor", N_("Contributor"), width=1.7),
        Column("instrument", N_("Instrument"), width=1.9),
        Column("planned_for", N_("Planned for"), "date", 1.05),
        Column("planned_amount", N_("Planned amount"), "money", 1.3),
        Column("status", N_("Status"), "status", 1.6),  # "conditionnel : <condition>" needs room
        Column("received", N_("Received"), "money", 1.3),
        Column("counts", N_("Counts for 1+1"), "mark", 0.9),
        Column("origin", provenance.ORIGIN, "origin", 3.45),
    ),
    size=8.5,
)

JUDGED_COVERAGE = TableSpec(
    "judged_coverage",
    (
        Column("scope", N_("Scope"), width=1.8),
        Column("judged", N_("Judged"), width=1.8),
        Column("achieved", N_("Achieved"), "number", 1.25),
        Column("against", N_("Against"), "number", 1.3),
        Column("gap", N_("Gap (€)"), "money", 1.7),
        Column("verdict", N_("Verdict"), "status", 1.8),
        Column("plan_end", N_("End of plan"), "number", 1.2),
        Column("origin", provenance.ORIGIN, "origin", 2.8),
    ),
    size=8.5,
)

LEGAL_LINES = TableSpec(
    "legal_lines",
    (
        Column("line", N_("Line"), width=2.9),
        Column("article", N_("Article"), width=1.8),
        Column("binding", N_("Binding"), "mark", 1.6),
        Column("value", N_("Value"), width=1.9),
        Column("met", N_("Met"), "mark", 1.3),
        ORIGIN,
    ),
)

OFFICES = TableSpec(
    "offices",
    (
        Column("office", N_("Office"), width=1.8),
        Column("region", N_("Region"), width=1.4),
        Column("members", N_("Members"), "number", 1.2),
        Column("advisers", N_("Advisers"), "number", 1.3),
        Column("per_adviser", N_("Members per adviser"), "number", 1.4),
        Column("stands_out", N_("Stands out"), "mark", 1.1),
        Column("origin", provenance.ORIGIN, "origin", 3.4),
    ),
)

OVERDUE_CLIENTS = TableSpec(
    "overdue_clients",
    (
        Column("client", N_("Client"), width=2.6),
        Column("invoices", N_("Past-due invoices"), "number", 1.1),
        Column("overdue", N_("Past due"), "money", 1.5),
        Column("oldest_due_date", N_("Oldest due date"), "date", 1.8, align="left"),
        Column("days_past_due", N_("Days past due"), "number", 1.1),
        ORIGIN,
    ),
)

DECISIONS = TableSpec(  # the decisions and actions register: its state as known at the date, meetings carried over
    "decisions",
    (
        Column("meeting", N_("Decided on"), "date", 1.2, align="left"),
        Column("text", N_("Decision or action"), width=4.4),
        Column("owner", N_("Owner"), width=1.6),
        Column("due", N_("Due"), "date", 1.2),
        Column("state", N_("State"), "status", 2.0),
        Column("carried", N_("Carried over"), width=1.2),
    ),
)

SINCE_MEETING = TableSpec(  # each key indicator then (at the meeting) and now, its change and status
    "since_meeting",
    (
        Column("indicator", N_("Indicator"), width=2.4),
        Column("entity", N_("Entity"), width=1.5),
        Column("then", N_("Then"), "number", 2.1),
        Column("now", N_("Now"), "number", 2.1),
        Column("change", N_("Change"), "number", 1.3),
        Column("statuses", N_("Status then → now"), "status", 2.6),
    ),
    size=8,
)

CORRECTIONS = TableSpec(
    "corrections",
    (
        Column("indicator", N_("Indicator"), width=3),
        Column("entity", N_("Entity"), width=1.8),
        Column("as_of", N_("As of"), "date", 1.1),
        Column("presented", N_("Presented"), "number", 1.5),
        Column("corrected", N_("Corrected"), "number", 1.5),
        Column("difference", N_("Difference"), "number", 1.5),
    ),
)

SOURCE_FIGURES = TableSpec(
    "source_figures",
    (
        Column("document", N_("Document"), width=2.4),
        Column("location", N_("Location"), width=2),
        Column("figure", N_("Figure"), width=3.4),
        Column("value", N_("Value"), "number", 1.4),
    ),
)

LOADS = TableSpec(
    "loads",
    (
        Column("number", "N°", "number", 0.5, verbatim=True),
        Column("file", N_("File"), width=3),
        Column("kind", N_("Kind"), width=1.3),
        Column("by", N_("By"), width=1),
        Column("on", N_("On (UTC)"), "date", 1.5),
        Column("rows", N_("Rows"), "number", 0.9),
        Column("checksum", "SHA-256", width=1.9, verbatim=True),
    ),
    size=7.5,
)

SCHEDULE = TableSpec(
    "schedule",
    (
        Column("creditor", N_("Creditor"), width=2.4),
        Column("seq", N_("No."), "number", 0.5),
        Column("due", N_("Due"), "date", 1.1),
        Column("pct_of_claim", text(N_("{pct} of claim"), pct="%"), "pct", 1),
        Column("amount_due", N_("Due amount"), "money", 1.4),
        Column("paid", N_("Paid"), "money", 1.4),
        Column("state", N_("State"), "status", 1),
        Column("days_late", N_("Days late"), "number", 0.9),
        Column("l626", "L626-18", "mark", 0.9, verbatim=True),
        ORIGIN,
    ),
)

ANNUAL_FIGURES = TableSpec(
    "annual_figures",
    (
        Column("figure", N_("Figure"), width=3.4),
        Column("previous", N_("Year before"), "number", 1.6),
        Column("latest", N_("Latest year"), "number", 1.6),
        Column("origin", provenance.ORIGIN, "origin", 3.2),
    ),
)
# on a slide, the same figures with their origins in the footnote: a column of them would wrap every row off the slide
ANNUAL_FIGURES_SLIDE = TableSpec("annual_figures_slide", ANNUAL_FIGURES.columns[:-1])

OFFICES_CHANGE = TableSpec(  # the dates compared are in the title above it (present.people.offices_change_title)
    "offices_change",
    (
        Column("office", N_("Office"), width=1.5),
        Column("members_then", N_("Members then"), "number", 1.25),
        Column("members_now", N_("Members now"), "number", 1.25),
        Column("members_change", N_("Members, change"), "number", 1.25),
        Column("advisers_then", N_("Advisers then"), "number", 1.25),
        Column("advisers_now", N_("Advisers now"), "number", 1.25),
        Column("advisers_change", N_("Advisers, change"), "number", 1.25),
        Column("per_adviser_then", N_("Per adviser then"), "number", 1.25),
        Column("per_adviser_now", N_("Per adviser now"), "number", 1.25),
        Column("per_adviser_change", N_("Per adviser, change"), "number", 1.25),
        Column("origin", provenance.ORIGIN, "origin", 1.5),
    ),
    size=7.5,  # eleven columns on an A4 page: short headers, each word whole
)

# every declared table: the tests walk them
TABLES: dict[str, TableSpec] = {
    t.key: t
    for t in (
        SUMMARY,
        CONTRIBUTIONS,
        JUDGED_COVERAGE,
        LEGAL_LINES,
        OFFICES,
        OFFICES_CHANGE,
        OVERDUE_CLIENTS,
        DECISIONS,
        SINCE_MEETING,
        CORRECTIONS,
        SOURCE_FIGURES,
        LOADS,
        SCHEDULE,
        ANNUAL_FIGURES,
        ANNUAL_FIGURES_SLIDE,
    )
}
