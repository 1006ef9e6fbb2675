"""Where a figure comes from, said the same way on every page, table, chart and slide.

Every fact row in the store carries `is_synthetic` and `source` (models.ProvenanceMixin). A figure shown is
either generated for the demo — marked « démo / synthétique » wherever it shows — or sourced: its source names the
document and the place in it ("SmartCoop, rapport annuel 2023 — Bilan consolidé"), or, for a file loaded without a
source column, the file, who loaded it and when. No streamlit here: the pages, charts, tables and slides call this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from smartdash.i18n import N_, _, every_language

MARK = N_("demo / synthetic")
GENERATED = "Données de démonstration générées (synthétiques)"  # the bare source of a generated row: not a document
SOURCED = N_("sourced")
ORIGIN = N_("Origin")
NO_SOURCE = N_("source not given")


SHORT_MARK = N_("demo")  # where a label has little room (a metric): with the banner's flask icon


def mark(lang: str) -> str:
    """« démo / synthétique »: the words every synthetic figure carries."""
    return _(lang, MARK)


def sourced(lang: str) -> str:
    return _(lang, SOURCED)


def origin_header(lang: str) -> str:
    """The name of the origin column of tables and exports: "Origine"."""
    return _(lang, ORIGIN)


def loaded_file_source(file_name: str, loaded_by: str, loaded_at: dt.datetime | None) -> str:
    """The source of a row loaded from a file that named none: the file, who loaded it and when."""
    when = f" le {loaded_at:%d/%m/%Y %H:%M}" if loaded_at is not None else ""
    return f"fichier {file_name}, chargé par {loaded_by}{when}"


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _flag(value) -> bool:
    return bool(value) if value is not None and not (isinstance(value, float) and pd.isna(value)) else False


@dataclass(frozen=True)
class Provenance:
    """The origin of one figure or of a set of figures: whether any of it is synthetic, whether all of it is, and
    the distinct sources of its sourced part (sorted)."""

    synthetic: bool = False
    sources: tuple[str, ...] = ()
    all_synthetic: bool = False

    @classmethod
    def of(cls, is_synthetic: Iterable, sources: Iterable = ()) -> Provenance:
        """From parallel columns of flags and source texts. A generated row's note that says more than "generated"
        (what it was derived from) is kept; the bare note is not a source."""
        flags = [_flag(f) for f in is_synthetic]
        found = {t for s in sources if (t := _text(s)) and t != GENERATED}
        return cls(any(flags), tuple(sorted(found)), bool(flags) and all(flags))

    @classmethod
    def of_frame(cls, frame: pd.DataFrame | None) -> Provenance:
        """From a frame with `is_synthetic` (and `source`) columns; nothing known for a frame without them."""
        if frame is None or frame.empty or "is_synthetic" not in frame:
            return cls()
        return cls.of(frame["is_synthetic"], frame["source"] if "source" in frame else ())

    @classmethod
    def document(cls, source: str) -> Provenance:
        return cls(False, (source,), False)

    def flag(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` whose every row carries this origin (`is_synthetic`, `source`): rows computed from these figures,
        such as the steps of a bridge."""
        return frame.assign(is_synthetic=self.synthetic, source=self.source_text)

    def __add__(self, other: Provenance) -> Provenance:
        if not isinstance(other, Provenance):
            return NotImplemented
        if not (self.synthetic or self.sources):
            return other
        if not (other.synthetic or other.sources):
            return self
        return Provenance(
            self.synthetic or other.synthetic,
            tuple(sorted(set(self.sources) | set(other.sources))),
            self.all_synthetic and other.all_synthetic,
        )

    @property
    def source_text(self) -> str | None:
        """The sources in one cell ("A ; B"), or None."""
        return " ; ".join(self.sources) or None

    @property
    def known(self) -> bool:
        return self.synthetic or bool(self.sources)

    def label(self, text: str, lang: str) -> str:
        """A figure's label, with the mark when any of it is synthetic: "Membres · démo / synthétique"."""
        return f"{text} · {mark(lang)}" if self.synthetic else text

    def describe(self, lang: str) -> str:
        """One line for a tooltip or a caption: "Source : …" and/or the synthetic mark."""
        parts = []
        if self.sources:
            parts.append(_(lang, "Source: {sources}", sources=" ; ".join(self.sources)))
        if self.all_synthetic:
            parts.append(_(lang, "Origin: demo / synthetic (a generated value, not a document)"))
        elif self.synthetic:
            parts.append(_(lang, "Partly demo / synthetic (generated values)"))
        return " — ".join(parts) if parts else _(lang, "Source: {sources}", sources=_(lang, NO_SOURCE))


def grouped(frame: pd.DataFrame, by: list[str], **aggregates) -> pd.DataFrame:
    """`frame.groupby(by).agg(**aggregates)` that keeps the origin of each group: `is_synthetic` (any of its rows)
    and `source` (its distinct sources, "A ; B", or None)."""
    out = frame.groupby(by, as_index=False, sort=True).agg(**aggregates, is_synthetic=("is_synthetic", "any"))
    documented = frame.loc[frame["source"].map(lambda s: _text(s) is not None and s != GENERATED).astype(bool)]
    docs = (
        documented[[*by, "source"]]
        .drop_duplicates()
        .groupby(by, as_index=False, sort=True)
        .agg(source=("source", lambda s: " ; ".join(sorted(s))))
    )
    out = out.merge(docs, on=by, how="left") if len(docs) else out.assign(source=None)
    out["source"] = pd.Series([t if isinstance(t, str) else None for t in out["source"]], index=out.index, dtype=object)
    out["is_synthetic"] = out["is_synthetic"].astype(bool)
    return out


def origin_text(is_synthetic, source, lang: str) -> str:
    """The origin of one row as a table's "Origine" cell: the mark, or the source, or "source non renseignée"."""
    if _flag(is_synthetic):
        return mark(lang)
    return _text(source) or _(lang, NO_SOURCE)


def provenance_text(origin: Provenance, lang: str) -> str:
    """The "Origine" cell of a figure computed from several rows: its sources, and the mark when any of it is
    synthetic (the mark alone when all of it is)."""
    if origin.all_synthetic or (origin.synthetic and not origin.sources):
        return mark(lang)
    said = origin.source_text or _(lang, NO_SOURCE)
    return _(lang, "{sources} (partly {mark})", sources=said, mark=mark(lang)) if origin.synthetic else said


def parts_origin(parts: list[tuple[str, str]], lang: str) -> str:
    """The "Origine" cell of a row whose parts come from different places, each part with its own: `prévu : Plan de
    continuation … · reçu : démo / synthétique`; one origin when every part has the same. `parts`: (the part's name
    in the reader's language, its origin cell)."""
    if len({origin for _part, origin in parts}) <= 1:
        return parts[0][1] if parts else _(lang, NO_SOURCE)
    return " · ".join(_(lang, "{part}: {origin}", part=part, origin=origin) for part, origin in parts)


def origin_column(is_synthetic: Iterable, sources: Iterable, lang: str) -> list[str]:
    return [origin_text(f, s, lang) for f, s in zip(is_synthetic, sources, strict=True)]


def with_origin(table: pd.DataFrame, is_synthetic: Iterable, sources: Iterable, lang: str) -> pd.DataFrame:
    """`table` (as shown) with its "Origine" column last: every row says where it comes from."""
    out = table.copy()
    out[origin_header(lang)] = origin_column(list(is_synthetic), list(sources), lang)
    return out


def is_marked(text: str) -> bool:
    """Whether a text carries the synthetic mark (in either language)."""
    return any(m in text for m in every_language(MARK))
