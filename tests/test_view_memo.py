"""Views computed once per build (smartdash.views.memo) and the dossier's declared charts drawn once per process
(smartdash.export.pdf._drawn_declared): a second asking gets the first answer, other arguments or other figures
are computed anew, and outside a build nothing is kept."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import pytest

from smartdash import charts
from smartdash.db import session_scope
from smartdash.export import pdf
from smartdash.present import chart_specs
from smartdash.queries import latest_data_date, version_in_force
from smartdash.views import Filters, memo
from smartdash.views import overview as overview_views

DAY = dt.date(2025, 12, 31)


@pytest.fixture
def counted():
    calls = []

    @memo.memoised
    def view(*, session, filters, entity=None):
        calls.append((filters, entity))
        return [filters.as_of, entity]

    return view, calls


def test_inside_a_build_the_same_question_is_answered_once(counted):
    view, calls = counted
    session = object()
    with memo.reused():
        first = view(session=session, filters=Filters(None, DAY, "previous", "v1", "fr"))
        again = view(session=session, filters=Filters(None, DAY, "previous", "v1", "fr"))
        english = view(session=session, filters=Filters(None, DAY, "previous", "v1", "en"))  # views never read lang
        with memo.reused():  # a nested block shares the outer one's answers
            nested = view(filters=Filters(None, DAY, "previous", "v1", "fr"), session=session)
    assert first is again is english is nested
    assert len(calls) == 1


def test_other_arguments_are_other_answers(counted):
    view, calls = counted
    session = object()
    with memo.reused():
        view(session=session, filters=Filters(None, DAY, "previous", "v1"))
        view(session=session, filters=Filters(None, DAY, "previous", "v1"), entity="SMARTFR")
        view(session=session, filters=Filters(None, DAY, "year", "v1"))
        view(session=session, filters=Filters(None, DAY, "previous", "v2"))
        view(session=object(), filters=Filters(None, DAY, "previous", "v1"))  # another session: another read
    assert len(calls) == 5


def test_outside_a_build_every_call_computes(counted):
    view, calls = counted
    session = object()
    with memo.reused():
        view(session=session, filters=Filters(None, DAY, "previous", "v1"))
    view(session=session, filters=Filters(None, DAY, "previous", "v1"))
    view(session=session, filters=Filters(None, DAY, "previous", "v1"))
    assert len(calls) == 3


def test_the_overview_tiles_are_the_same_with_and_without_the_memo(demo_store):
    with session_scope(demo_store.engine) as s:
        filters = Filters(None, latest_data_date(session=s), "previous", version_in_force(session=s))
        plain = overview_views.overview_tiles(session=s, filters=filters)
        with memo.reused():
            kept = overview_views.overview_tiles(session=s, filters=filters)
            assert overview_views.overview_tiles(session=s, filters=filters) is kept
    assert kept == plain and kept


def _bars(values: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"year": [str(2021 + i) for i in range(len(values))], "value": values})


def test_a_declared_chart_is_built_once_for_the_same_rows_and_anew_for_changed_ones(monkeypatch):
    built = []

    def bars(frame, *, lang, title):
        built.append(frame)
        return alt.Chart(frame, title=title).mark_bar().encode(x="year:N", y="value:Q")

    monkeypatch.setattr(charts, "counted_bars", bars, raising=False)
    monkeypatch.setattr(pdf, "_drawn", pdf.OrderedDict())
    spec = chart_specs.ChartSpec("counted", "counted_bars", lambda subject, _lang: subject, lambda _s, _l: {})
    frame, options = _bars([10, 20, 30]), {"title": "Capitaux propres"}
    first = pdf._drawn_declared(spec, frame, options, "fr", 200)
    again = pdf._drawn_declared(spec, frame.copy(), dict(options), "fr", 200)  # equal rows, built anew by the next dossier
    assert again is first and len(built) == 1
    changed = pdf._drawn_declared(spec, _bars([10, 20, 999]), options, "fr", 200)
    assert len(built) == 2 and changed.spec != first.spec and changed.svg != first.svg
    assert any(row.get("value") == 999 for rows in changed.spec["datasets"].values() for row in rows)
    pdf._drawn_declared(spec, frame, {"title": "Equity"}, "fr", 200)  # another title
    pdf._drawn_declared(spec, frame, options, "en", 200)  # another language
    pdf._drawn_declared(spec, frame, options, "fr", 180)  # another height
    assert len(built) == 5


def test_a_second_dossier_of_the_same_data_builds_no_chart_and_says_the_same(demo_store, monkeypatch):
    with session_scope(demo_store.engine) as s:
        filters = Filters(None, latest_data_date(session=s), "previous", version_in_force(session=s), "fr")
    monkeypatch.setattr(pdf, "_drawn", pdf.OrderedDict())
    first = pdf.compose(demo_store.engine, filters=filters, role="viewer")
    built = []
    real = pdf._drawn_chart
    monkeypatch.setattr(pdf, "_drawn_chart", lambda *a, **k: built.append(1) or real(*a, **k))
    second = pdf.compose(demo_store.engine, filters=filters, role="viewer")
    assert first.charts and second.charts == first.charts and second.specs == first.specs
    assert [s.blocks for s in second.sections] == [s.blocks for s in first.sections]
    assert built == []


def test_a_chart_drawn_by_a_stand_in_is_not_handed_to_the_real_drawing(monkeypatch):
    """A test that stands a blank drawing in for vl-convert (the as-of sweep does) leaves nothing behind for the
    next dossier of the same figures in the process."""
    monkeypatch.setattr(pdf, "_drawn", pdf.OrderedDict())
    spec = chart_specs.ChartSpec("stand_in", "counted_bars", lambda subject, _lang: subject, lambda _s, _l: {})
    monkeypatch.setattr(
        charts,
        "counted_bars",
        lambda frame, *, lang, title: alt.Chart(frame, title=title).mark_bar().encode(x="year:N"),
        raising=False,
    )
    frame, options = _bars([1, 2, 3]), {"title": "Capitaux propres"}
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "chart_svg", lambda spec, lang: "<svg xmlns='http://www.w3.org/2000/svg'/>")
        assert pdf._drawn_declared(spec, frame, options, "fr", 200).svg == "<svg xmlns='http://www.w3.org/2000/svg'/>"
    real = pdf._drawn_declared(spec, frame, options, "fr", 200)
    assert "Capitaux propres" in real.svg
