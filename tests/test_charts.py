"""What a chart sends: a long weekly history thinned before it is drawn, specs and their Arrow data built once."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pyarrow as pa

from smartdash import charts
from smartdash.web import widgets

LAST = dt.date(2026, 11, 22)


def weekly(series: str, weeks: int) -> pd.DataFrame:
    days = [LAST - dt.timedelta(weeks=w) for w in range(weeks)][::-1]
    return pd.DataFrame(
        {"period_end": days, "value": [Decimal(1000 + i) for i in range(weeks)], "series": series, "dashed": series != "Réel"}
    )


def chart_rows(chart) -> pd.DataFrame:
    [rows] = chart.to_dict(validate=False)["datasets"].values()
    return pd.DataFrame(rows)


def test_a_ten_year_weekly_line_keeps_its_last_year_weekly_and_one_point_a_month_before():
    frame = pd.concat([weekly("Réel", 521), weekly("Plan", 521)])
    drawn = chart_rows(charts.trajectory_chart(frame, unit="EUR", title="Trésorerie (€)", lang="fr"))
    drawn["day"] = pd.to_datetime(drawn["period_end"]).dt.date
    for series, rows in drawn.groupby("series"):
        recent = rows[rows["day"] > LAST - dt.timedelta(days=366)]
        older = rows[rows["day"] <= LAST - dt.timedelta(days=366)]
        assert len(recent) == 53 and rows["day"].max() == LAST  # every week of the last year, the last one included
        source = pd.Series(weekly(series, 521)["period_end"])
        month_ends = source.groupby([f"{d:%Y-%m}" for d in source]).max()
        expected = sorted(d for d in month_ends if d <= LAST - dt.timedelta(days=366))
        assert sorted(older["day"]) == expected and len(expected) == 107  # each month's last week, Dec 2016 on
        assert len(rows) == 160  # of 521
    assert set(drawn["value_label"]) <= {f"{1000 + i:,} €".replace(",", "\u202f").replace(" €", "\u00a0€") for i in range(521)}


def test_a_short_history_is_drawn_whole():
    frame = weekly("Réel", 100)
    assert len(chart_rows(charts.trajectory_chart(frame, unit="EUR", title="t", lang="fr"))) == 100
    areas = pd.DataFrame(
        {"as_of": list(frame["period_end"]) * 2, "label": ["a"] * 100 + ["b"] * 100, "value": [Decimal(1)] * 200}
    )
    assert (
        len(chart_rows(charts.stacked_area(areas, x="as_of", colour="label", unit="EUR", title="t", lang="fr", order=["a", "b"])))
        == 200
    )


def test_a_chart_spec_and_its_arrow_data_are_built_once_per_content():
    frame = weekly("Réel", 10)
    spec, shown = widgets._chart_specs(charts.trajectory_chart, "fr", (frame,), {"unit": "EUR", "title": "t", "lang": "fr"})
    again = widgets._chart_specs(charts.trajectory_chart, "fr", (frame.copy(),), {"unit": "EUR", "title": "t", "lang": "fr"})
    assert again[0] is spec and again[1] is shown  # equal content: the same answer, not rebuilt
    other = widgets._chart_specs(
        charts.trajectory_chart, "fr", (weekly("Réel", 11),), {"unit": "EUR", "title": "t", "lang": "fr"}
    )
    assert other[0] is not spec
    [(name, rows)] = spec["datasets"].items()
    table = pa.ipc.open_stream(shown["datasets"][name]).read_all()  # what Streamlit sends, made from the same rows
    assert table.num_rows == len(rows) == 10 and table.column("value_label").to_pylist() == [r["value_label"] for r in rows]
    assert {k: v for k, v in shown.items() if k != "datasets"} == {k: v for k, v in spec.items() if k != "datasets"}


def test_a_charts_repeated_texts_are_sent_once_and_read_back_as_written():
    """The series, origin and source texts repeat down a weekly chart's rows: Arrow sends each once (a dictionary),
    and the rows read back are the spec's own."""
    frame = weekly("Réel", 100).assign(is_synthetic=True, source=None)
    spec, shown = widgets._chart_specs(charts.trajectory_chart, "fr", (frame,), {"unit": "EUR", "title": "t", "lang": "fr"})
    [(name, rows)] = spec["datasets"].items()
    table = pa.ipc.open_stream(shown["datasets"][name]).read_all()
    assert pa.types.is_dictionary(table.schema.field("series").type)
    assert pa.types.is_dictionary(table.schema.field("origin_text").type)
    assert not pa.types.is_dictionary(table.schema.field("value_label").type)  # every row's own
    assert table.column("origin_text").to_pylist() == [r["origin_text"] for r in rows]
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    assert len(shown["datasets"][name]) < len(convert_anything_to_arrow_bytes(rows)) * 0.8


def test_a_charts_data_reads_as_a_table_under_its_tooltips_titles_with_dates_as_written():
    frame = pd.DataFrame(
        {
            "period_end": [dt.date(2023, 3, 31), dt.date(2023, 6, 30)],
            "value": [Decimal(-5_000_000), Decimal(-4_000_000)],
            "series": ["Réalisé", "Réalisé"],
            "dashed": [False, False],
            "is_synthetic": [False, True],
            "source": ["Plan de continuation", "démo"],
        }
    )
    spec = charts.trajectory_chart(frame, unit="EUR", title="Capitaux propres", lang="fr").to_dict(validate=False)
    table = charts.chart_table(spec)
    assert list(table.columns)[:3] == ["Série", "Date", "Valeur"]
    assert table.iloc[-1].tolist()[:3] == ["Réalisé", "30/06/2023", "−4\u202f000\u202f000\u00a0€"]
    said = charts.describe(spec, "fr")
    assert said.startswith("Capitaux propres. Période : du 31 mars 2023 au 30 juin 2023.")
    years = pd.DataFrame({"year": [2022, 2023, 2024, 2025], "value": [Decimal(v) for v in (1, 2, 3, 4)]})
    bars = charts.bars_with_target(years, x="year", unit="EUR", title="Échéances", lang="fr").to_dict(validate=False)
    assert "Période : les années 2022 à 2025." in charts.describe(bars, "fr")  # not « du 2022 au 2025 »
    assert "Dernières valeurs (30 juin 2023) : Réalisé −4\u202f000\u202f000\u00a0€." in said
