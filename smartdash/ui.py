"""What the pages share: the store's engine, the language, the sidebar, cached loaders.

Imports streamlit but needs no running server: AppTest drives it in the tests.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartdash import formatting, i18n, queries
from smartdash.config import load_settings
from smartdash.db import engine_for, session_scope
from smartdash.queries import Figure
from smartdash.store import ensure_store

LANG_KEY = "app_lang"
CACHE_TTL = 300


@st.cache_resource(show_spinner=False)
def _ready_engine(url: str, load_demo_when_empty: bool):
    engine = engine_for(url)
    ensure_store(engine, load_demo_when_empty=load_demo_when_empty)
    return engine


def store_engine():
    """The configured store, migrated, with the demo data on a fresh store when config.toml asks for it."""
    settings = load_settings()
    return _ready_engine(settings.database_url, settings.load_demo_when_empty)


def language() -> str:
    """The reader's language: the sidebar's choice, else config.toml's default."""
    return st.session_state.get(LANG_KEY) or load_settings().language


def sidebar() -> str:
    """The shared sidebar; returns the chosen language."""
    default = load_settings().language
    st.session_state.setdefault(LANG_KEY, default)
    st.sidebar.radio(
        i18n.t("language", language()),
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=LANG_KEY,
        horizontal=True,
    )
    return language()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def headline_figures(_engine, url: str) -> list[Figure]:
    with session_scope(_engine) as session:
        return queries.headline_figures(session=session)


def figure_label(figure: Figure, lang: str) -> str:
    return f"{i18n.t(figure.key, lang)} — {figure.entity}"


def figure_caption(figure: Figure, lang: str) -> str:
    """`au 31 décembre 2025 · démo / synthétique`."""
    marker = i18n.t("synthetic_marker" if figure.is_synthetic else "document_marker", lang)
    return f"{i18n.t('as_of', lang, date=formatting.date_long(figure.as_of, lang=lang))} · {marker}"


def figure_detail(figure: Figure, lang: str) -> str | None:
    if figure.detail is None:
        return None
    amount = formatting.value(figure.detail, figure.unit, lang=lang, compact=True)
    return f"{i18n.t('receivables_overdue', lang)} : {amount}"


def provenance_table(figures: list[Figure], lang: str) -> pd.DataFrame:
    """One row per figure shown: what it is, its date, value, source and whether it is synthetic."""
    return pd.DataFrame(
        {
            i18n.t("figure_col", lang): [figure_label(f, lang) for f in figures],
            i18n.t("date_col", lang): [formatting.date_long(f.as_of, lang=lang) for f in figures],
            i18n.t("value_col", lang): [formatting.value(f.value, f.unit, lang=lang) for f in figures],
            i18n.t("source_col", lang): [f.source or "" for f in figures],
            i18n.t("synthetic_col", lang): [
                i18n.t("synthetic_marker", lang) if f.is_synthetic else "" for f in figures
            ],
        }
    )
