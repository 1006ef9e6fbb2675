"""The sections of the committee's dossier, in the order the deck and the printed pack present them."""

from __future__ import annotations

from smartdash.i18n import N_, _

SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", N_("Key indicators")),
    ("attention", N_("What needs attention")),
    ("equity", N_("Equity")),
    ("funding", N_("Funding and the 1+1 rule")),
    ("execution", N_("Plan execution")),
    ("headcount", N_("Headcount")),
    ("membership", N_("Membership")),
    ("receivables", N_("Receivables")),
    ("notes", N_("Committee notes and decisions")),
    ("corrections", N_("Corrections since the meeting")),
    ("sources", N_("Appendix: sources of the figures")),
)


def section_title(key: str, lang: str) -> str:
    """A section's heading in the reader's language."""
    return _(lang, next(title for k, title in SECTIONS if k == key))
