"""What the user reads, French first, English available: each text is written in both, where it is used."""

from __future__ import annotations

LANGUAGES = {"fr": "Français", "en": "English"}


def pick(lang: str, fr: str, en: str) -> str:
    """The French text, or the English one when the reader chose English."""
    return en if lang == "en" else fr


DEMO_BANNER = (
    "Données de démonstration : les chiffres marqués « démo / synthétique » sont générés ; les autres viennent du "
    "plan de continuation (novembre 2021) et du rapport annuel 2023 de SmartCoop.",
    "Demo data: figures marked \"demo / synthetic\" are generated; the others come from the continuation plan "
    "(November 2021) and SmartCoop's 2023 annual report.",
)
