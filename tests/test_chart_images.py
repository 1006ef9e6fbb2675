"""Chart images drawn once and kept (smartdash.export.chart_images): a second drawing of the same chart draws
nothing, and a chart whose figures changed is drawn anew — a kept image never shows stale data."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from smartdash.export import chart_images


@pytest.fixture
def drawings(monkeypatch, tmp_path):
    """vl-convert's calls counted; the disk cache in a folder of the test's own, the memory empty."""
    calls = []
    real_svg, real_png = chart_images.vlc.vegalite_to_svg, chart_images.vlc.vegalite_to_png

    def svg(spec, **kwargs):
        calls.append(("svg", spec))
        return real_svg(spec, **kwargs)

    def png(spec, **kwargs):
        calls.append(("png", spec))
        return real_png(spec, **kwargs)

    monkeypatch.setattr(chart_images.vlc, "vegalite_to_svg", svg)
    monkeypatch.setattr(chart_images.vlc, "vegalite_to_png", png)
    monkeypatch.setenv(chart_images.ENV_CACHE_DIR, str(tmp_path / "charts"))
    chart_images.forget_memory()
    yield calls
    chart_images.forget_memory()


def bars(values: list[int], label: str = "Capitaux propres") -> dict:
    frame = pd.DataFrame({"year": [str(2021 + i) for i in range(len(values))], "value": values})
    chart = alt.Chart(frame, title=label).mark_bar().encode(x="year:N", y="value:Q")
    return chart.to_dict(validate=False)


def test_the_same_chart_is_drawn_once_and_given_back_the_same(drawings):
    first = chart_images.chart_svg(bars([120, 135, 150]), lang="fr")
    again = chart_images.chart_svg(bars([120, 135, 150]), lang="fr")  # built anew, as the next dossier does
    assert again == first
    assert len(drawings) == 1
    assert "<svg" in first


def test_a_changed_figure_gives_a_new_image(drawings):
    before = chart_images.chart_svg(bars([120, 135, 150]), lang="fr")
    after = chart_images.chart_svg(bars([120, 135, 999]), lang="fr")
    assert len(drawings) == 2
    assert after != before
    assert '"value":999' in drawings[-1][1].replace(" ", "")  # what was drawn is the new figure
    assert chart_images.chart_svg(bars([120, 135, 150]), lang="fr") == before  # and the old one is still kept
    assert len(drawings) == 2


def test_a_changed_title_or_language_gives_a_new_image(drawings):
    chart_images.chart_svg(bars([1, 2]), lang="fr")
    chart_images.chart_svg(bars([1, 2], label="Equity"), lang="fr")
    # the locale vl-convert is given is part of the key: the same spec with English number formats is drawn again
    from smartdash import charts

    charts.use_language("en")
    try:
        chart_images.chart_svg(bars([1, 2]), lang="en")
    finally:
        charts.use_language("fr")
    assert len(drawings) == 3


def test_a_kept_image_is_read_back_from_disk_by_another_process(drawings, tmp_path):
    first = chart_images.chart_png(bars([5, 6, 7]), lang="fr", scale=1)
    chart_images.forget_memory()  # what a second server process, or the same after a restart, starts with
    again = chart_images.chart_png(bars([5, 6, 7]), lang="fr", scale=1)
    assert again == first and again.startswith(b"\x89PNG")
    assert len(drawings) == 1
    assert list((tmp_path / "charts").glob("*/*.png")), "the image was not kept on disk"
    chart_images.chart_png(bars([5, 6, 7]), lang="fr", scale=2)  # another size is another image
    assert len(drawings) == 2


def test_no_disk_cache_still_draws_and_keeps_in_memory(drawings, monkeypatch, tmp_path):
    monkeypatch.setenv(chart_images.ENV_CACHE_DIR, "")
    chart_images.chart_svg(bars([3, 4]), lang="fr")
    chart_images.chart_svg(bars([3, 4]), lang="fr")
    assert len(drawings) == 1
    assert not (tmp_path / "charts").exists()


def test_an_unwritable_cache_folder_only_means_drawing(drawings, monkeypatch, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(chart_images.ENV_CACHE_DIR, str(blocker / "charts"))
    image = chart_images.chart_svg(bars([8, 9]), lang="fr")
    assert "<svg" in image and len(drawings) == 1


def test_pruning_keeps_the_newest_images(tmp_path):
    import os

    folder = tmp_path / "charts"
    for n in range(5):
        path = folder / f"{n:02d}" / f"{n:02d}abc.svg"
        path.parent.mkdir(parents=True)
        path.write_text("<svg/>")
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    chart_images.prune(folder, keep=2)
    assert sorted(p.name for p in folder.glob("*/*.svg")) == ["03abc.svg", "04abc.svg"]
