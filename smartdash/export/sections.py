"""The sections of the committee's dossier, in the order the deck and the printed pack present them."""

from __future__ import annotations

from smartdash.i18n import N_, _

SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", N_("Key indicators")),
    ("attention", N_("What needs attention")),
    ("since_meeting", N_("Since the last meeting")),
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


def thresholds_phrase(rules, lang: str) -> str:
    """How the statuses shown were judged, read from the catalogue's rules of the indicators shown (`Thresholds` or
    None): their amber and red thresholds when they all share them, else a pointer to each indicator's own."""
    from smartdash import formatting

    shown = [r for r in rules if r is not None]
    pairs = {(r.amber, r.red) for r in shown if r.mode == "plan"}
    if len(pairs) == 1 and all(r.mode == "plan" for r in shown):
        amber, red = next(iter(pairs))
        if amber is not None and red is not None:
            places = 0 if amber == int(amber) and red == int(red) else 1
            return _(
                lang,
                "thresholds: amber beyond {amber}, red beyond {red} in the unfavourable direction",
                amber=formatting.percent(amber, lang=lang, places=places),
                red=formatting.percent(red, lang=lang, places=places),
            )
    return _(lang, "thresholds: each indicator's own, as the catalogue sets them")
