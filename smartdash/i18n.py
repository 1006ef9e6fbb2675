"""What the user reads, French first, English available."""

from __future__ import annotations

LANGUAGES = {"fr": "Français", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("smartdash — suivi du plan de continuation", "smartdash — continuation plan monitoring"),
    "nav_overview": ("Vue d'ensemble", "Overview"),
    "language": ("Langue", "Language"),
    "overview_title": ("Vue d'ensemble du plan", "Plan overview"),
    "overview_intro": (
        "Les chiffres clés du plan de continuation, lus dans la base.",
        "The continuation plan's key figures, read from the store.",
    ),
    "equity": ("Capitaux propres", "Equity"),
    "quasi_equity": ("Quasi-fonds propres", "Quasi-equity"),
    "net_cash": ("Trésorerie nette", "Net cash"),
    "salaried_members": ("Membres salariés", "Salaried members"),
    "receivables_open": ("Créances ouvertes", "Open receivables"),
    "receivables_overdue": ("dont échues", "of which past due"),
    "as_of": ("au {date}", "as of {date}"),
    "synthetic_marker": ("démo / synthétique", "demo / synthetic"),
    "document_marker": ("document source", "source document"),
    "demo_banner": (
        "Données de démonstration : les chiffres marqués « démo / synthétique » sont générés ; les autres "
        "viennent du plan de continuation (novembre 2021) et du rapport annuel 2023 de SmartCoop.",
        "Demo data: figures marked \"demo / synthetic\" are generated; the others come from the continuation "
        "plan (November 2021) and SmartCoop's 2023 annual report.",
    ),
    "sources": ("Sources des chiffres affichés", "Sources of the figures shown"),
    "empty_store": (
        "La base ne contient encore aucune donnée. Chargez un jeu de données avec "
        "`python -m smartdash import FICHIER` ou le jeu de démonstration avec `python -m smartdash init-db --demo`.",
        "The store holds no data yet. Load files with `python -m smartdash import FILE` or the demo data set "
        "with `python -m smartdash init-db --demo`.",
    ),
    "no_value": ("aucune valeur", "no value"),
    "of_which_entity": ("{entity}", "{entity}"),
    "source_col": ("Source", "Source"),
    "figure_col": ("Chiffre", "Figure"),
    "date_col": ("Date", "Date"),
    "value_col": ("Valeur", "Value"),
    "synthetic_col": ("Synthétique", "Synthetic"),
}


def t(key: str, lang: str = "fr", **values: object) -> str:
    """The text `key` in `lang` (French when the language is unknown), with `{name}` values filled in."""
    fr, en = TEXTS[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text
