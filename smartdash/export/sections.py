"""The sections of the committee's dossier, in the order the deck and the printed pack present them."""

from __future__ import annotations

from smartdash.i18n import pick

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("summary", "Synthèse des indicateurs clés", "Key indicators"),
    ("attention", "Points d'attention", "What needs attention"),
    ("equity", "Capitaux propres", "Equity"),
    ("funding", "Financement et règle du 1+1", "Funding and the 1+1 rule"),
    ("execution", "Exécution du plan", "Plan execution"),
    ("headcount", "Effectifs", "Headcount"),
    ("membership", "Sociétariat", "Membership"),
    ("receivables", "Créances", "Receivables"),
    ("notes", "Notes et décisions du comité", "Committee notes and decisions"),
    ("corrections", "Corrections depuis la réunion", "Corrections since the meeting"),
    ("sources", "Annexe : sources des chiffres", "Appendix: sources of the figures"),
)


def section_title(key: str, lang: str) -> str:
    """A section's heading in the reader's language."""
    fr, en = next((fr, en) for k, fr, en in SECTIONS if k == key)
    return pick(lang, fr, en)
