"""The fixed code lists of the store, each defined once: the store's CHECK constraints, the file formats' accepted
words, the metrics and the views all read them from here (the migrations keep their own copy: they are history).

A list is a tuple of the stored codes, in their order; where files may name a code in words, the words follow the
code (French first), and the code itself is always accepted.
"""

from __future__ import annotations

from collections.abc import Iterable


class Codes(tuple):
    """Stored codes, in order (a tuple: `code in UNITS`, `_in("unit", UNITS)`), and the words a file may write for
    each of them (`accepted`)."""

    words: dict[str, tuple[str, ...]]

    def __new__(cls, *entries: str | tuple[str, str | Iterable[str]]) -> Codes:
        pairs = [(e, ()) if isinstance(e, str) else (e[0], (e[1],) if isinstance(e[1], str) else tuple(e[1])) for e in entries]
        self = super().__new__(cls, (code for code, _words in pairs))
        self.words = dict(pairs)
        return self

    def only(self, *codes: str) -> Codes:
        """The same list restricted to some of its codes (a table that takes fewer), words kept."""
        assert set(codes) <= set(self), codes
        return Codes(*((code, self.words[code]) for code in self if code in codes))

    def accepted(self) -> dict[str, str]:
        """Word a file may write → stored code: each code itself, then its words."""
        out: dict[str, str] = {}
        for code, words in self.words.items():
            out[code] = code
            for word in words:
                out[word] = code
        return out


# --------------------------------------------------------------------------- codes files name

COUNTRIES = Codes(("FR", ("fr", "france")), ("BE", ("be", "belgique", "belgium")))
SCENARIOS = Codes(("actual", ("reel", "réel", "réalisé", "realise")), ("forecast", ("prevision", "prévision")), ("plan", "plan"))
HEADCOUNT_SCENARIOS = SCENARIOS.only("actual", "plan")  # headcount has actuals and plan values, no forecast
UNITS = Codes(
    ("EUR", ("eur", "€", "euros")),
    ("count", ("nombre", "nb")),
    ("FTE", ("etp", "fte")),
    ("percent", ("%", "pourcent", "pct")),
    ("ratio", "ratio"),
    ("days", ("jours", "j")),
    ("months", "mois"),
    ("year", ("année", "annee")),
    ("hours", ("heures", "h")),
)
DIRECTIONS = Codes(("up", ("hausse", "haut")), ("down", ("baisse", "bas")))
FREQUENCIES = Codes(("weekly", "hebdomadaire"), ("monthly", "mensuelle"), ("quarterly", "trimestrielle"), ("yearly", "annuelle"))
THRESHOLD_MODES = Codes(("plan", "écart au plan"), ("absolute", ("absolu", "niveau")))
PLAN_STATUSES = Codes(
    ("draft", "brouillon"), ("in_force", ("en vigueur", "en_vigueur")), ("superseded", ("remplacée", "remplacee"))
)
EQUITY_CLASSES = Codes(
    ("equity", ("fonds propres", "fonds_propres", "capitaux propres")),
    ("quasi_equity", ("quasi-fonds propres", "quasi_fonds_propres")),
    ("debt", ("dette",)),
    ("income", ("produit", "produit exceptionnel")),
    ("undecided", ("à décider", "a decider")),
)
CONTRIBUTOR_CLASSES = Codes(
    ("smartbe", "smartbe"),
    ("members", ("sociétaires", "societaires", "membres")),
    ("partners", ("partenaires", "partenaires financiers")),
    ("group", ("groupe", "entité du groupe")),
)
FUNDING_STATUSES = Codes(
    ("planned", ("prévu", "prevu")),
    ("committed", ("engagé", "engage")),
    ("received", ("reçu", "recu", "versé", "verse")),
    ("cancelled", ("annulé", "annule")),
)
CONDITION_STATUSES = Codes(
    ("pending", ("en attente", "en_attente")), ("met", ("remplie",)), ("not_met", ("non remplie", "non_remplie"))
)
# how precisely the plan gives a date: a day, or only a year ("en 2022": due by that year's end, stored as 31/12)
DATE_PRECISIONS = Codes(("day", ("jour",)), ("year", ("année", "annee")))
CLAIM_OPTIONS = Codes(("write_off", ("remise", "abandon")), ("delay", ("délais", "delais")))
POPULATIONS = Codes(
    ("staff", ("permanents", "équipe permanente", "salariés permanents")),
    ("members", ("entrepreneurs-salariés", "entrepreneurs_salaries", "membres salariés")),
)
MEETING_STATUSES = Codes(("planned", ("prévue", "prevue")), ("held", ("tenue",)), ("closed", ("close", "clôturée")))


# --------------------------------------------------------------------------- codes the store derives or keeps

# receivables ageing: not yet due, then days past due
AGEING_BUCKETS = Codes("not_due", "d1_30", "d31_60", "d61_90", "d90_plus")
LOAD_STATUSES = Codes("applied", "undone")
LOAD_ACTIONS = Codes("insert", "update", "delete")
MAPPING_SIDES = Codes("debit", "credit")
MAPPING_RULES = Codes("net", "side", "exclude")
MAPPING_MEASURES = Codes("balance", "monthly")
ROLES = Codes("viewer", "editor", "admin")
DECISION_STATUSES = Codes("open", "done", "cancelled")
MAIL_KINDS = Codes("digest", "alert")
DELIVERY_STATUSES = Codes("pending", "sent", "failed")
