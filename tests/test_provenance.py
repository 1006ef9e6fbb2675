"""Where a figure comes from: the one way pages, tables, charts, exports and slides say it."""

import io
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from smartdash import charts, provenance
from smartdash.export.tables import csv_bytes, xlsx_bytes
from smartdash.provenance import Provenance

REPORT = "SmartCoop, rapport annuel 2023 — Bilan consolidé"


def test_a_provenance_keeps_its_sources_but_not_the_bare_generated_note():
    derived = provenance.GENERATED + " — d'après le plan"
    p = Provenance.of([False, True, True, None], [REPORT, provenance.GENERATED, derived, "Plan, tableau 2"])
    assert p.synthetic and not p.all_synthetic
    assert p.sources == (
        "Données de démonstration générées (synthétiques) — d'après le plan",
        "Plan, tableau 2",
        REPORT,
    )  # sorted; "generated" alone says nothing of where a value comes from
    assert Provenance.of([True, True], ["x", "y"]).all_synthetic
    assert not Provenance.of([], []).known


def test_provenances_add_up():
    total = Provenance.document(REPORT) + Provenance.of([True], [None]) + Provenance()
    assert total == Provenance(True, (REPORT,), False)
    assert Provenance() + Provenance.document(REPORT) == Provenance.document(REPORT)


def test_labels_and_descriptions_carry_the_mark_or_the_source():
    synthetic = Provenance.of([True], [None])
    assert synthetic.label("Membres", "fr") == "Membres · démo / synthétique"
    assert synthetic.label("Members", "en") == "Members · demo / synthetic"
    assert provenance.is_marked(synthetic.describe("fr"))
    assert Provenance.document(REPORT).label("Membres", "fr") == "Membres"
    assert Provenance.document(REPORT).describe("fr") == f"Source : {REPORT}"
    assert "source non renseignée" in Provenance().describe("fr")


def test_a_table_gets_an_origin_column_that_travels_to_csv_and_xlsx():
    shown = pd.DataFrame({"Bureau": ["Liège", "Namur"], "Membres": ["2 573", "1 400"]})
    table = provenance.with_origin(shown, [False, True], [REPORT, None], "fr")
    assert list(table["Origine"]) == [REPORT, "démo / synthétique"]
    assert list(shown.columns) == ["Bureau", "Membres"]  # the table shown is not changed in place
    assert "Origine" in csv_bytes(table).decode("utf-8-sig").splitlines()[0]
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"Bureaux": table})))["Bureaux"]
    assert [c.value for c in sheet[1]] == ["Bureau", "Membres", "Origine"]
    assert not sheet["A2"].font.italic and sheet["A3"].font.italic  # the synthetic row stands apart
    english = provenance.with_origin(shown, [True, False], [None, None], "en")
    assert list(english["Origin"]) == ["demo / synthetic", "source not given"]


def test_a_loaded_file_without_a_source_names_the_file_who_and_when():
    import datetime as dt

    text = provenance.loaded_file_source("effectifs.csv", "alice", dt.datetime(2026, 11, 20, 9, 5))
    assert text == "fichier effectifs.csv, chargé par alice le 20/11/2026 09:05"


def frame(flags):
    return pd.DataFrame(
        {
            "x": [str(2021 + i) for i in range(len(flags))],
            "value": [Decimal(i + 1) for i in range(len(flags))],
            "is_synthetic": flags,
            "source": [None if f else REPORT for f in flags],
        }
    )


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_synthetic_bars_are_outlined_in_dashes_with_a_legend_entry_and_the_source_on_hover():
    spec = charts.bars_with_target(frame([True, False]), x="x", unit="count", title="t", lang="fr").to_dict()
    [bars] = [layer for layer in layers(spec) if layer.get("mark", {}).get("type") == "bar"]
    dash, fill = bars["encoding"]["strokeDash"], bars["encoding"]["fillOpacity"]
    assert dash["scale"]["domain"] == fill["scale"]["domain"] == ["sourcé", "démo / synthétique"]
    assert dash["scale"]["range"] == [[1, 0], charts.SYNTHETIC_DASH]  # the outline keeps its full colour: dashed, not faint
    assert fill["scale"]["range"] == [1.0, charts.SYNTHETIC_OPACITY]
    assert bars["encoding"]["stroke"] == {"value": charts.PALETTE[0]}
    assert dash["legend"]["title"] == "Origine"
    rows = next(iter(spec["datasets"].values()))
    assert [r["origin_text"] for r in rows] == ["démo / synthétique", REPORT]
    assert any(t.get("field") == "origin_text" for t in bars["encoding"]["tooltip"])


def test_a_chart_of_sourced_figures_only_has_no_synthetic_legend():
    spec = charts.bars_with_target(frame([False, False]), x="x", unit="count", title="t", lang="fr").to_dict()
    assert (
        "strokeDash" not in spec["encoding"]
        if "encoding" in spec
        else all("strokeDash" not in layer.get("encoding", {}) for layer in layers(spec))
    )


def test_a_line_with_some_synthetic_points_marks_them_point_by_point():
    series = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2021-12-31", "2022-12-31", "2023-12-31"]).date,
            "value": [Decimal(1), Decimal(2), Decimal(3)],
            "series": "Wallonie",
            "dashed": False,
            "is_synthetic": [True, True, False],
            "source": [None, None, REPORT],
        }
    )
    spec = charts.trajectory_chart(series, unit="count", title="t", lang="fr").to_dict()
    marks = {
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]: layer
        for layer in layers(spec)
        if "mark" in layer
    }
    shape = marks["point"]["encoding"]["shape"]
    assert shape["field"] == "origin" and shape["scale"]["range"] == ["circle", charts.RING]  # generated: a ring
    assert "opacity" not in marks["line"]["encoding"]  # the line keeps its full colour
    rows = next(iter(spec["datasets"].values()))
    assert [r["origin"] for r in rows] == ["démo / synthétique", "démo / synthétique", "sourcé"]
