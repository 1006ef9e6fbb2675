"""The floor: the least a Streamlit page switch costs on this machine, with smartdash's own server settings
(.streamlit/config.toml, as `streamlit run` reads it from the repository root). Three pages, each a title, three
metrics, a 500-point Altair line and a 20-row table — about what a smartdash page shows, with no store behind it.
`page_switch.py` starts it beside smartdash and times the same clicks on both.

    streamlit run benchmarks/floor_app.py
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

PAGES = ("Floor one", "Floor two", "Floor three")


def content(seed: int) -> None:
    rng = np.random.default_rng(seed)
    st.title(PAGES[seed])
    for column, (label, value) in zip(st.columns(3), (("Alpha", 1234), ("Beta", 56.7), ("Gamma", 8.9)), strict=True):
        column.metric(label, f"{value * (seed + 1):,}", f"{seed + 1} %")
    line = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=500, freq="D"), "value": rng.normal(size=500).cumsum()})
    st.altair_chart(alt.Chart(line).mark_line().encode(x="date:T", y="value:Q"), use_container_width=True)
    st.dataframe(pd.DataFrame(rng.integers(0, 1000, size=(20, 5)), columns=list("ABCDE")))


def page(seed: int):
    def run() -> None:
        content(seed)

    run.__name__ = f"floor_{seed}"
    return st.Page(run, title=PAGES[seed], url_path=f"floor{seed}", default=seed == 0)


st.set_page_config(page_title="Floor", layout="wide")
st.navigation([page(n) for n in range(len(PAGES))]).run()
