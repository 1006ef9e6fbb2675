"""The demo data set: the source documents' figures, and synthetic history where they have none.

Figures from the documents (`shared/reference/figures.md`) are loaded as they are, with their
document and place as source. Where the documents give no history (weekly values since 2021,
the French entities' actuals, open receivable items, meetings), values are generated from a
fixed seed, consistent with the documents' totals, and every such row is flagged synthetic.

`python -m smartdash demo-data` writes the files under data/demo/ in the documented import
format; `load_demo()` loads them through the same loader as any user file.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import Engine

from smartdash import formats, provenance
from smartdash.config import DEMO_DIR
from smartdash.importing import LoadResult, import_files
from smartdash.metrics import people
from smartdash.metrics.people import FULL_TIME_MONTH_HOURS

SEED = 42
DEMO_END = dt.date(2026, 11, 22)  # a Sunday: the last week of the demo data
DEMO_USER = "démo"

PLAN = "Plan de continuation, novembre 2021"
REPORT = "SmartCoop, rapport annuel 2023"
SYNTHETIC = provenance.GENERATED
PLAN_2021 = "PLAN-2021-11"
PLAN_2024 = "PLAN-2024-06"

CENT = Decimal("0.01")


def _d(value) -> Decimal:
    return Decimal(str(value))


def _money(value) -> Decimal:
    return _d(value).quantize(CENT, rounding=ROUND_HALF_UP)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_ends(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    year, month = start.year, start.month
    while True:
        day = month_end(year, month)
        if day > end:
            return
        yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def week_ends(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start + dt.timedelta(days=(6 - start.weekday()) % 7)
    while day <= end:
        yield day
        day += dt.timedelta(days=7)


# --------------------------------------------------------------------------- reference data

ENTITIES = [
    ("SMARTFR", "SmartFr", "FR", "Société coopérative", True, 1),
    ("GRANDSENSEMBLE", "GrandsEnsemble", "FR", "Scop, coopérative d'activité et d'emploi", True, 2),
    ("ALTERNA", "Alterna", "FR", "Coopérative d'activité et d'emploi", True, 3),
    ("SMARTCOOP", "SmartCoop", "BE", "Société coopérative (Belgique)", False, 4),
    ("SMARTBE", "SmartBe", "BE", "Fondation (Belgique)", False, 5),
]

# office code, name, region, members 2023, advisers 2023 (annual report 2023)
OFFICES_2023 = [
    ("ANVERS", "Anvers", "Flandre", 822, 5),
    ("GAND", "Gand", "Flandre", 741, 4),
    ("BRUXELLES", "Bruxelles", "Bruxelles", 10221, 45),
    ("CHARLEROI", "Charleroi", "Wallonie", 828, 3),
    ("LIEGE", "Liège", "Wallonie", 2573, 12),
    ("LLN", "Louvain-la-Neuve", "Wallonie", 1786, 2),
    ("MONS", "Mons", "Wallonie", 930, 3),
    ("NAMUR", "Namur", "Wallonie", 1352, 6),
    ("TOURNAI", "Tournai", "Wallonie", 655, 2),
    ("HORS_BE", "Hors Belgique", "Hors Belgique", 169, None),
]
REGION_TOTALS_2023 = {"Flandre": 1563, "Bruxelles": 10221, "Wallonie": 8124, "Hors Belgique": 169}
SALARIED_MEMBERS_2023 = 20077

# code, fr, en, unit, direction, frequency, owner, mode, amber, red, key, order, description
INDICATORS = [
    (
        "EQUITY",
        "Capitaux propres",
        "Equity",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        True,
        1,
        "Classes 10 à 14 : capital, primes, réserves, report à nouveau, résultat, subventions, "
        "provisions réglementées.",
    ),
    (
        "QUASI_EQUITY",
        "Quasi-fonds propres",
        "Quasi-equity",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        2,
        "Titres et prêts participatifs, comptes courants d'associés : jamais additionnés aux capitaux propres.",
    ),
    (
        "NET_RESULT",
        "Résultat net",
        "Net result",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        True,
        3,
        "Équilibre économique visé : résultat net ≥ 0 en 2024.",
    ),
    (
        "SHARE_CAPITAL",
        "Capital social",
        "Share capital",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        4,
        None,
    ),
    (
        "CAPITAL_PAID_IN",
        "Capital libéré dans l'année",
        "Capital paid up in the year",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        5,
        None,
    ),
    (
        "SHARES_REPAID",
        "Parts remboursées aux sortants",
        "Shares repaid to leavers",
        "EUR",
        "down",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        6,
        None,
    ),
    ("RESERVES", "Réserves", "Reserves", "EUR", "up", "yearly", "Direction financière", "plan", 5, 10, False, 7, None),
    (
        "RETAINED_EARNINGS",
        "Report à nouveau",
        "Retained earnings",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        8,
        None,
    ),
    (
        "PROVISIONS",
        "Provisions",
        "Provisions",
        "EUR",
        "down",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        9,
        None,
    ),
    ("DEBTS", "Dettes", "Debts", "EUR", "down", "yearly", "Direction financière", "plan", 5, 10, False, 10, None),
    (
        "TRADE_RECEIVABLES",
        "Créances commerciales",
        "Trade receivables",
        "EUR",
        "down",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        11,
        None,
    ),
    (
        "OTHER_RECEIVABLES",
        "Autres créances à un an au plus",
        "Other receivables within one year",
        "EUR",
        "down",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        12,
        None,
    ),
    (
        "CASH",
        "Valeurs disponibles",
        "Cash at bank",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        13,
        None,
    ),
    (
        "CASH_INVESTMENTS",
        "Placements de trésorerie",
        "Cash investments",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        14,
        None,
    ),
    (
        "TOTAL_ASSETS",
        "Total de l'actif",
        "Total assets",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        15,
        None,
    ),
    (
        "MEMBERS_TURNOVER",
        "Chiffre d'affaires des membres",
        "Members' turnover",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        16,
        None,
    ),
    (
        "TURNOVER_ACTIVITES",
        "dont Activités",
        "of which Activités",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        17,
        None,
    ),
    (
        "TURNOVER_CONTRATS",
        "dont Contrats",
        "of which Contrats",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        18,
        None,
    ),
    (
        "MUTUAL_CONTRIBUTION",
        "Contribution mutualisée",
        "Mutualised contribution",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        19,
        None,
    ),
    (
        "TOTAL_INCOME",
        "Total des produits",
        "Total income",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        20,
        None,
    ),
    (
        "MUTUAL_COSTS",
        "Charges mutualisées",
        "Mutualised costs",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        21,
        "Montant négatif (charge), comme dans le compte de résultats.",
    ),
    (
        "DEPRECIATION",
        "Amortissements, réductions de valeur et provisions",
        "Depreciation, write-downs, provisions",
        "EUR",
        "up",
        "yearly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        22,
        "Montant négatif (charge).",
    ),
    (
        "TURNOVER",
        "Chiffre d'affaires HT",
        "Turnover excl. VAT",
        "EUR",
        "up",
        "monthly",
        "Direction financière",
        "plan",
        5,
        10,
        True,
        23,
        None,
    ),
    (
        "GROSS_MARGIN",
        "Marge brute",
        "Gross margin",
        "EUR",
        "up",
        "monthly",
        "Direction financière",
        "plan",
        5,
        10,
        False,
        24,
        "Chiffre d'affaires HT − achats de production, marchandises et sous-traitance de missions.",
    ),
    (
        "CONTRIBUTION_RATE",
        "Taux de contribution effectif",
        "Effective contribution rate",
        "percent",
        "up",
        "monthly",
        "Direction financière",
        "plan",
        5,
        10,
        True,
        25,
        "Contribution comptabilisée ÷ marge brute (plan : 10 % → 13 %).",
    ),
    (
        "CASH_NET",
        "Trésorerie nette",
        "Net cash",
        "EUR",
        "up",
        "weekly",
        "Trésorerie",
        "plan",
        5,
        10,
        True,
        26,
        "Trésorerie totale, y compris l'argent des activités des membres.",
    ),
    (
        "CASH_MEMBERS",
        "Trésorerie des activités des membres",
        "Cash belonging to members' activities",
        "EUR",
        "up",
        "weekly",
        "Trésorerie",
        "plan",
        5,
        10,
        False,
        27,
        "Argent des membres : ne doit jamais être présenté comme celui de la coopérative.",
    ),
    (
        "SOCIETAIRES",
        "Sociétaires",
        "Shareholding members",
        "count",
        "up",
        "yearly",
        "Vie coopérative",
        "plan",
        5,
        10,
        False,
        28,
        None,
    ),
    (
        "PRODUCTION_UNITS",
        "Unités de production actives",
        "Active production units",
        "count",
        "up",
        "yearly",
        "Vie coopérative",
        "plan",
        5,
        10,
        False,
        29,
        None,
    ),
    (
        "CONTRACTS",
        "Contrats de travail",
        "Employment contracts",
        "count",
        "up",
        "yearly",
        "Ressources humaines",
        "plan",
        5,
        10,
        False,
        30,
        None,
    ),
    (
        "HOURS_WORKED",
        "Heures prestées",
        "Hours worked",
        "hours",
        "up",
        "yearly",
        "Ressources humaines",
        "plan",
        5,
        10,
        False,
        31,
        None,
    ),
    ("CLIENTS", "Clients", "Clients", "count", "up", "yearly", "Recouvrement", "plan", 5, 10, False, 32, None),
    (
        "REMINDERS_SENT",
        "Rappels de factures impayées envoyés",
        "Unpaid-invoice reminders sent",
        "count",
        "down",
        "yearly",
        "Recouvrement",
        "plan",
        5,
        10,
        False,
        33,
        None,
    ),
    (
        "OVERDUE_REMINDED",
        "Encours relancé (factures impayées)",
        "Outstanding under reminder",
        "EUR",
        "down",
        "yearly",
        "Recouvrement",
        "plan",
        5,
        10,
        False,
        34,
        None,
    ),
    (
        "MEMBERS_AGE_U25",
        "Membres de moins de 25 ans",
        "Members under 25",
        "count",
        "up",
        "yearly",
        "Vie coopérative",
        "plan",
        5,
        10,
        False,
        35,
        "Tranche du rapport : < 25 ans.",
    ),
    (
        "MEMBERS_AGE_26_45",
        "Membres de 26 à 45 ans",
        "Members aged 26–45",
        "count",
        "up",
        "yearly",
        "Vie coopérative",
        "plan",
        5,
        10,
        False,
        36,
        "Tranche du rapport : 26–45 ans.",
    ),
    (
        "MEMBERS_AGE_46P",
        "Membres de plus de 46 ans",
        "Members over 46",
        "count",
        "up",
        "yearly",
        "Vie coopérative",
        "plan",
        5,
        10,
        False,
        37,
        "Tranche du rapport : > 46 ans.",
    ),
    (
        "INVOICED_3EN1",
        "Facturé via l'outil 3en1",
        "Invoiced through 3en1",
        "EUR",
        "up",
        "yearly",
        "Vie coopérative",
        "plan",
        5,
        10,
        False,
        38,
        None,
    ),
    (
        "INVOICED_ACTIVITE",
        "Facturé via l'outil Activité",
        "Invoiced through Activité",
        "EUR",
        "up",
        "yearly",
        "Vie coopérative",
        "plan",
        5,
        10,
        False,
        39,
        None,
    ),
    (
        "MEMBERS_GROSS_SALARY",
        "Salaires bruts des entrepreneurs-salariés associés",
        "Gross salaries of employee-associates",
        "EUR",
        "up",
        "yearly",
        "Ressources humaines",
        "plan",
        5,
        10,
        False,
        40,
        "Base de la règle statutaire : 2 % du salaire brut va au capital.",
    ),
    (
        "SALES_TTC",
        "Ventes facturées TTC",
        "Invoiced sales incl. VAT",
        "EUR",
        "up",
        "monthly",
        "Recouvrement",
        "plan",
        5,
        10,
        False,
        41,
        "Base du DSO : créances clients ÷ ventes TTC de la période × jours de la période.",
    ),
    (
        "CREDIT_LINES",
        "Lignes de crédit accordées",
        "Agreed credit lines",
        "EUR",
        "up",
        "monthly",
        "Trésorerie",
        "plan",
        5,
        10,
        False,
        42,
        "Comptent dans l'actif disponible du test de cessation des paiements (L631-1).",
    ),
    (
        "DEBTS_DUE",
        "Dettes exigibles (hors dettes gelées par le plan)",
        "Debts due (excluding debts frozen by the plan)",
        "EUR",
        "down",
        "monthly",
        "Trésorerie",
        "plan",
        5,
        10,
        False,
        43,
        "Passif exigible du test de cessation des paiements (L631-1).",
    ),
]

INSTRUMENTS = [
    ("CAPITAL", "Apport en capital", "Capital contribution", "equity", True),
    ("MEMBER_SHARES", "Souscription de parts sociales", "Member share subscription", "equity", True),
    ("CURRENT_ACCOUNT", "Compte courant d'associé", "Shareholder current account", "quasi_equity", True),
    ("PARTICIPATING", "Titres ou prêts participatifs", "Participating securities or loans", "quasi_equity", True),
    ("CLAIM_WAIVER", "Abandon de créances", "Claim waiver", "income", False),
    (
        "UNDECIDED",
        "Forme à décider (capital, titres participatifs, obligations convertibles…)",
        "Form to be decided (capital, participating securities, convertible bonds…)",
        "undecided",
        True,
    ),
]


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """`total` in `parts` equal cents-exact shares, the last one absorbing the rounding."""
    share = (total / parts).quantize(CENT, rounding=ROUND_HALF_UP)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


class DemoBuilder:
    """Builds every demo file's records (column names as in the file formats)."""

    def __init__(self, seed: int = SEED):
        self.seed = seed
        self.rng = random.Random(seed)
        self.files: dict[str, list[dict]] = {kind: [] for kind in formats.LOAD_ORDER}

    def add(self, kind: str, **record) -> None:
        self.files[kind].append(record)

    def obs(
        self,
        indicator,
        entity,
        day,
        value,
        *,
        scenario="actual",
        version=None,
        source=SYNTHETIC,
        synthetic=True,
        office=None,
    ):
        self.add(
            "observations",
            indicateur=indicator,
            entite=entity,
            bureau=office,
            fin_periode=day,
            scenario=scenario,
            version_plan=version,
            valeur=_d(value),
            source=source,
            synthetique=synthetic,
        )

    def build(self) -> dict[str, list[dict]]:
        steps = [
            self.reference, self.plan_versions, self.source_figures, self.smartcoop_documents, self.funding,
            self.equity, self.monthly_activity, self.weekly_cash, self.headcount, self.membership,
            self.receivables, self.meetings, self.bases, self.plan_execution, self.plan_targets,
        ]
        for step in steps:
            # one generator per step, so that adding a step never changes what the others generate
            self.rng = random.Random(f"{self.seed}:{step.__name__}")
            step()
        return self.files

    # reference ------------------------------------------------------------------
    def reference(self) -> None:
        for code, name, country, form, under_plan, order in ENTITIES:
            self.add(
                "entities", code=code, nom=name, pays=country, forme_juridique=form, sous_plan=under_plan, ordre=order
            )
        for order, (code, name, region, _m, _a) in enumerate(OFFICES_2023, start=1):
            self.add("offices", code=code, nom=name, region=region, entite="SMARTCOOP", ordre=order)
        for code, fr, en, unit, direction, freq, owner, mode, amber, red, key, order, desc in INDICATORS:
            self.add(
                "indicators",
                code=code,
                libelle_fr=fr,
                libelle_en=en,
                unite=unit,
                sens=direction,
                frequence=freq,
                responsable=owner,
                mode_seuils=mode,
                seuil_orange=_d(amber),
                seuil_rouge=_d(red),
                cle=key,
                actif=True,
                ordre=order,
                description=desc,
            )
        for code, fr, en, cls, counts in INSTRUMENTS:
            self.add("instruments", code=code, libelle_fr=fr, libelle_en=en, classe=cls, compte_1plus1=counts)

    def plan_versions(self) -> None:
        self.add(
            "plan_versions",
            code=PLAN_2021,
            nom="Plan de continuation — novembre 2021",
            adopte_le=None,
            adopte_par="SmartFr, GrandsEnsemble, Alterna",
            statut="superseded",
            note="Document daté de novembre 2021 ; la date exacte d'adoption n'y figure pas.",
            synthetique=False,
        )
        self.add(
            "plan_versions",
            code=PLAN_2024,
            nom="Révision du plan — juin 2024 (démonstration)",
            adopte_le=dt.date(2024, 6, 30),
            adopte_par="Comité de suivi (fictif)",
            statut="in_force",
            note="Révision fictive pour la démonstration : équilibre repoussé à 2025, levée partenaires "
            "ramenée de 1,25 M€ à 0,8 M€.",
            synthetique=True,
        )

    def source_figures(self) -> None:
        rows = [
            (
                "PLAN_WAIVER_SFR_GE_TEXT",
                PLAN,
                "Mesure 1 (texte)",
                "Abandon de créances SmartFr → GrandsEnsemble",
                "SmartFr → GrandsEnsemble claim waiver",
                675000,
                "EUR",
                "Le tableau de financement indique 650 k€.",
            ),
            (
                "PLAN_WAIVER_SFR_GE_TABLE",
                PLAN,
                "Tableau de financement GrandsEnsemble",
                "Abandon de créances SmartFr → GrandsEnsemble",
                "SmartFr → GrandsEnsemble claim waiver",
                650000,
                "EUR",
                "Le texte de la mesure 1 indique 675 000 €. La démo retient 650 k€, cohérent avec le total de 900 k€.",
            ),
            (
                "PLAN_SFR_MEMBERS_TOTAL",
                PLAN,
                "Tableau de financement SmartFr, total",
                "Sociétaires SmartFr, total annoncé",
                "SmartFr employee-members, stated total",
                3600000,
                "EUR",
                "Les lignes du tableau (134 k€ + 143 k€ + 3,4 M€) font 3,677 M€.",
            ),
            (
                "PLAN_SFR_MEMBERS_ROWS",
                PLAN,
                "Tableau de financement SmartFr, lignes",
                "Sociétaires SmartFr, somme des lignes",
                "SmartFr employee-members, sum of rows",
                3677000,
                "EUR",
                None,
            ),
            (
                "PLAN_SFR_SMARTBE_TOTAL",
                PLAN,
                "Tableau de financement SmartFr, total",
                "SmartBe → SmartFr, total",
                "SmartBe → SmartFr, total",
                5300000,
                "EUR",
                "1,5 M€ de capital + 3,8 M€ de produit exceptionnel.",
            ),
            (
                "PLAN_SFR_PARTNERS_TOTAL",
                PLAN,
                "Tableau de financement SmartFr, total",
                "Partenaires financiers SmartFr",
                "SmartFr financial partners",
                1250000,
                "EUR",
                None,
            ),
            (
                "PLAN_GE_SMARTBE_TOTAL",
                PLAN,
                "Tableau de financement GrandsEnsemble, total",
                "SmartBe → GrandsEnsemble (quasi-fonds propres)",
                "SmartBe → GrandsEnsemble (quasi-equity)",
                1500000,
                "EUR",
                None,
            ),
            (
                "PLAN_GE_MEMBERS_TOTAL",
                PLAN,
                "Tableau de financement GrandsEnsemble, total",
                "Sociétaires GrandsEnsemble",
                "GrandsEnsemble employee-members",
                769000,
                "EUR",
                None,
            ),
            (
                "PLAN_GE_PARTNERS_TOTAL",
                PLAN,
                "Tableau de financement GrandsEnsemble, total",
                "Partenaires GrandsEnsemble",
                "GrandsEnsemble partners",
                900000,
                "EUR",
                "250 k€ de titres ou prêts participatifs + 650 k€ de produit exceptionnel.",
            ),
            (
                "PLAN_BREAK_EVEN_YEAR",
                PLAN,
                "Mesure 3",
                "Année visée pour l'équilibre économique",
                "Target year for break-even",
                2024,
                "year",
                None,
            ),
            (
                "PLAN_CONTRIBUTION_RATE_FROM",
                PLAN,
                "Mesure 3",
                "Taux de contribution GrandsEnsemble et Alterna, avant",
                "GrandsEnsemble and Alterna contribution rate, before",
                10,
                "percent",
                None,
            ),
            (
                "PLAN_CONTRIBUTION_RATE_TO",
                PLAN,
                "Mesure 3",
                "Taux de contribution GrandsEnsemble et Alterna, cible",
                "GrandsEnsemble and Alterna contribution rate, target",
                13,
                "percent",
                None,
            ),
            (
                "AR_RETAINED_EARNINGS_2023_TEXT",
                REPORT,
                "Bilan consolidé, report à nouveau 2023 (texte extrait)",
                "Bénéfice reporté 2023, tel que lu",
                "Profit carried forward 2023, as read",
                5945325,
                "EUR",
                "Lecture erronée : la variation de la ligne (727 623) et le total des capitaux propres "
                "donnent 5 545 325.",
            ),
            (
                "AR_RETAINED_EARNINGS_2023",
                REPORT,
                "Bilan consolidé",
                "Bénéfice reporté 2023, corrigé",
                "Profit carried forward 2023, corrected",
                5545325,
                "EUR",
                None,
            ),
            (
                "AR_SALARIED_MEMBERS_2023",
                REPORT,
                "Chiffres clés 2023",
                "Membres salariés",
                "Salaried members",
                20077,
                "count",
                "Somme des bureaux : 20 077.",
            ),
            (
                "AR_OVERDUE_2023",
                REPORT,
                "Recouvrement",
                "Encours relancé (environ)",
                "Outstanding under reminder (about)",
                14500000,
                "EUR",
                "Environ 35 000 rappels ; équipe de recouvrement de 5 personnes.",
            ),
        ]
        for code, doc, loc, fr, en, value, unit, note in rows:
            self.add(
                "source_figures",
                code=code,
                document=doc,
                emplacement=loc,
                libelle_fr=fr,
                libelle_en=en,
                valeur=_d(value),
                unite=unit,
                note=note,
            )

    def plan_targets(self) -> None:
        """What the plan states in words, as data: break-even "by 2024" (the plan's path puts GrandsEnsemble's
        result above zero in 2021 only through the intra-group waiver), the contribution rate, the 2 % rule and
        the plan's horizon. The June 2024 revision restates them, with break-even moved to 2025."""
        under_plan = [code for code, *_rest, under, _order in ENTITIES if under]
        revision = f"{SYNTHETIC} — révision fictive du plan"
        for version, source, synthetic in ((PLAN_2021, f"{PLAN} — mesure 3", False), (PLAN_2024, revision, True)):
            year = 2024 if version == PLAN_2021 else 2025
            for entity in under_plan:
                self.add("plan_targets", version_plan=version, entite=entity, cible="BREAK_EVEN_YEAR", valeur=_d(year),
                         unite="year", a_partir_de=None,
                         enonce_fr=f"Équilibre économique (résultat net ≥ 0) en {year}"
                         + (" — révision fictive" if synthetic else ""),
                         enonce_en=f"Economic break-even (net result ≥ 0) by {year}"
                         + (" — fictitious revision" if synthetic else ""),
                         source=source, synthetique=synthetic)
            for entity in ("GRANDSENSEMBLE", "ALTERNA"):
                self.add("plan_targets", version_plan=version, entite=entity, cible="CONTRIBUTION_RATE", valeur=_d(13),
                         unite="percent", a_partir_de=None,
                         enonce_fr="Taux de contribution de l'activité porté de 10 % à 13 % de la marge brute",
                         enonce_en="Activity contribution rate raised from 10 % to 13 % of gross margin",
                         source=source, synthetique=synthetic)
            self.add("plan_targets", version_plan=version, entite=None, cible="MEMBER_SUBSCRIPTION_RATE", valeur=_d(2),
                     unite="percent", a_partir_de=2022,
                     enonce_fr="Règle statutaire : 2 % du salaire brut des entrepreneurs-salariés associés vont au "
                               "capital, à partir de 2022",
                     enonce_en="Statutory rule: 2 % of the gross salary of employee-associates goes to capital, "
                               "from 2022",
                     source=f"{PLAN} — mesures relatives au sociétariat" if not synthetic else revision,
                     synthetique=synthetic)
            self.add("plan_targets", version_plan=version, entite=None, cible="PLAN_END_YEAR", valeur=_d(2031),
                     unite="year", a_partir_de=None,
                     enonce_fr="Tableaux de financement 2021–2031 : dix ans de plan (L626-12)",
                     enonce_en="Financing tables 2021–2031: a ten-year plan (L626-12)",
                     source=f"{PLAN} — tableaux de financement" if not synthetic else revision,
                     synthetique=synthetic)

    # SmartCoop: the annual report's figures ------------------------------------------
    def smartcoop_documents(self) -> None:
        balance = {
            "EQUITY": (31991375, 39856475),
            "SHARE_CAPITAL": (3025002, 3537262),
            "RESERVES": (23421048, 36674166),
            "RETAINED_EARNINGS": (4817701, 5545325),
            "NET_RESULT": (727623, -5900277),
            "PROVISIONS": (479566, 79566),
            "DEBTS": (44984054, 31624088),
            "TRADE_RECEIVABLES": (24712106, 23713846),
            "OTHER_RECEIVABLES": (4677616, 5184216),
            "CASH": (22092089, 14683029),
            "CASH_INVESTMENTS": (0, 5000000),
            "TOTAL_ASSETS": (77454995, 71560130),
        }
        income = {
            "MEMBERS_TURNOVER": (189426282, 193766363),
            "TURNOVER_ACTIVITES": (117502712, 119488733),
            "TURNOVER_CONTRATS": (69468911, 73943329),
            "MUTUAL_CONTRIBUTION": (27271560, 27297504),
            "TOTAL_INCOME": (217785783, 222372506),
            "MUTUAL_COSTS": (-18527460, -22526158),
            "DEPRECIATION": (-8626974, -9756100),
        }
        for table, where in ((balance, "Bilan consolidé"), (income, "Compte de résultats consolidé")):
            for code, (v2022, v2023) in table.items():
                for year, value in ((2022, v2022), (2023, v2023)):
                    self.obs(
                        code, "SMARTCOOP", dt.date(year, 12, 31), value, source=f"{REPORT} — {where}", synthetic=False
                    )
        key_2023 = {
            "PRODUCTION_UNITS": 19880,
            "CONTRACTS": 208014,
            "HOURS_WORKED": 4539177,
            "SOCIETAIRES": 37670,
            "CLIENTS": 30000,
            "REMINDERS_SENT": 35000,
            "OVERDUE_REMINDED": 14500000,
            "MEMBERS_AGE_U25": 2295,
            "MEMBERS_AGE_26_45": 12862,
            "MEMBERS_AGE_46P": 4920,
            "INVOICED_3EN1": 73900000,
            "INVOICED_ACTIVITE": 119500000,
        }
        for code, value in key_2023.items():
            self.obs(
                code, "SMARTCOOP", dt.date(2023, 12, 31), value, source=f"{REPORT} — Chiffres clés", synthetic=False
            )

    # funding: the plan's financing tables ---------------------------------------------
    def funding(self) -> list[dict]:
        """Planned lines of both plan versions; realisation (status, dates, amounts received) is synthetic."""
        table_sfr = f"{PLAN} — tableau de financement SmartFr"
        table_ge = f"{PLAN} — tableau de financement GrandsEnsemble"
        lines = [
            # code, contributor, class, beneficiary, instrument, period, planned date, amount, source
            (
                "SFR-2021-SMARTBE-ABANDON",
                "SmartBe",
                "smartbe",
                "SMARTFR",
                "CLAIM_WAIVER",
                "2021",
                dt.date(2021, 12, 31),
                3800000,
                f"{PLAN} — mesure 1",
            ),
            (
                "SFR-2021-SOCIETAIRES",
                "Sociétaires SmartFr",
                "members",
                "SMARTFR",
                "MEMBER_SHARES",
                "2021",
                dt.date(2021, 12, 31),
                134000,
                table_sfr,
            ),
            (
                "SFR-2022-SMARTBE-CAPITAL",
                "SmartBe",
                "smartbe",
                "SMARTFR",
                "CAPITAL",
                "2022",
                dt.date(2022, 6, 30),
                1000000,
                f"{PLAN} — intervention de SmartBe",
            ),
            (
                "SFR-2022-SOCIETAIRES",
                "Sociétaires SmartFr",
                "members",
                "SMARTFR",
                "MEMBER_SHARES",
                "2022",
                dt.date(2022, 12, 31),
                143000,
                table_sfr,
            ),
            (
                "SFR-2023-SMARTBE-CAPITAL",
                "SmartBe",
                "smartbe",
                "SMARTFR",
                "CAPITAL",
                "2023",
                dt.date(2023, 6, 30),
                500000,
                f"{PLAN} — intervention de SmartBe",
            ),
            (
                "SFR-2023-PARTENAIRES",
                "Partenaires financiers",
                "partners",
                "SMARTFR",
                "UNDECIDED",
                "2023",
                dt.date(2023, 12, 31),
                1250000,
                f"{PLAN} — levée de fonds",
            ),
            (
                "GE-2021-SMARTBE-CCA",
                "SmartBe",
                "smartbe",
                "GRANDSENSEMBLE",
                "CURRENT_ACCOUNT",
                "2021",
                dt.date(2021, 12, 31),
                1500000,
                table_ge,
            ),
            (
                "GE-2021-SOCIETAIRES",
                "Sociétaires GrandsEnsemble",
                "members",
                "GRANDSENSEMBLE",
                "MEMBER_SHARES",
                "2021",
                dt.date(2021, 12, 31),
                27000,
                table_ge,
            ),
            (
                "GE-2021-SMARTFR-ABANDON",
                "SmartFr",
                "group",
                "GRANDSENSEMBLE",
                "CLAIM_WAIVER",
                "2021",
                dt.date(2021, 12, 31),
                650000,
                table_ge,
            ),
            (
                "GE-2022-SOCIETAIRES",
                "Sociétaires GrandsEnsemble",
                "members",
                "GRANDSENSEMBLE",
                "MEMBER_SHARES",
                "2022",
                dt.date(2022, 12, 31),
                22000,
                table_ge,
            ),
            (
                "GE-2022-PARTENAIRES",
                "Partenaires financiers",
                "partners",
                "GRANDSENSEMBLE",
                "PARTICIPATING",
                "2022",
                dt.date(2022, 12, 31),
                250000,
                table_ge,
            ),
        ]
        sfr_yearly = _split(Decimal(3400000), 9)
        ge_yearly = _split(Decimal(720000), 9)
        for i, year in enumerate(range(2023, 2032)):
            lines.append(
                (
                    f"SFR-{year}-SOCIETAIRES",
                    "Sociétaires SmartFr",
                    "members",
                    "SMARTFR",
                    "MEMBER_SHARES",
                    "2023–2031",
                    dt.date(year, 12, 31),
                    sfr_yearly[i],
                    f"{table_sfr} (3,4 M€ sur 2023–2031, réparti par année par convention)",
                )
            )
            lines.append(
                (
                    f"GE-{year}-SOCIETAIRES",
                    "Sociétaires GrandsEnsemble",
                    "members",
                    "GRANDSENSEMBLE",
                    "MEMBER_SHARES",
                    "2023–2031",
                    dt.date(year, 12, 31),
                    ge_yearly[i],
                    f"{table_ge} (720 k€ sur 2023–2031, réparti par année par convention)",
                )
            )
        notes = {
            "SFR-2021-SMARTBE-ABANDON": "Produit exceptionnel pour SmartFr : atteint les capitaux propres par le "
            "résultat ; apport non fait en tant qu'associé.",
            "GE-2021-SMARTFR-ABANDON": "Le texte indique 675 000 €, le tableau 650 k€ (retenu).",
            "GE-2021-SMARTBE-CCA": "Net des parts souscrites à l'entrée au sociétariat de la Scop ; quasi-fonds "
            "propres, pas des capitaux propres.",
            "SFR-2023-PARTENAIRES": "Forme non décidée : capital, titres participatifs, obligations convertibles…",
        }
        rng = self.rng
        out: list[dict] = []
        for code, who, cls, beneficiary, instrument, period, planned, amount, source in lines:
            amount = _money(amount)
            received_date, received, status = None, None, "planned"
            if planned <= DEMO_END:
                status, received_date = "received", planned + dt.timedelta(days=rng.randint(0, 45))
                received = amount
                if cls == "members":  # subscriptions come in below the plan
                    received = _money(amount * _d(rng.uniform(0.78, 0.97)))
            condition = condition_status = None
            if code == "SFR-2023-SMARTBE-CAPITAL":
                condition = "Bonne marche du plan de continuation"
                condition_status, status, received_date, received = "pending", "planned", None, None
            if code == "SFR-2023-PARTENAIRES":
                status, received_date, received = "committed", None, None
            if received_date and received_date > DEMO_END:
                status, received_date, received = "committed", None, None
            record = dict(
                code=code,
                version_plan=PLAN_2021,
                apporteur=who,
                categorie_apporteur=cls,
                beneficiaire=beneficiary,
                instrument=instrument,
                periode=period,
                date_prevue=planned,
                montant_prevu=amount,
                statut=status,
                date_reception=received_date,
                montant_recu=received,
                condition=condition,
                etat_condition=condition_status,
                note=notes.get(code),
                source=source + (" ; réalisation : synthétique" if status != "planned" else ""),
                synthetique=status != "planned",
            )
            out.append(record)
        for record in out:
            self.add("funding", **record)
        # the synthetic revision: the partners' round shrinks and moves to 2025, the rest is carried over
        for record in out:
            revised = dict(
                record, version_plan=PLAN_2024, synthetique=True, source=f"{SYNTHETIC} — révision fictive du plan"
            )
            if record["code"] == "SFR-2023-PARTENAIRES":
                revised.update(
                    montant_prevu=_money(800000),
                    date_prevue=dt.date(2025, 12, 31),
                    periode="2025",
                    statut="committed",
                    note="Révision fictive : 1,25 M€ ramené à 0,8 M€, reporté à 2025.",
                )
            self.add("funding", **revised)
        return out

    # equity: plan paths and synthetic actuals ---------------------------------------
    def equity(self) -> None:
        """Equity bridge per year: closing = opening + result + capital paid up − shares repaid."""
        opening = {"SMARTFR": -3200000, "GRANDSENSEMBLE": -900000, "ALTERNA": 180000}  # 31/12/2020, synthetic
        capital_2020 = {"SMARTFR": 2400000, "GRANDSENSEMBLE": 310000, "ALTERNA": 95000}
        plan_results = {
            "SMARTFR": [-1200000, -600000, -250000, 0, 150000, 250000, 300000, 300000, 350000, 350000, 400000],
            "GRANDSENSEMBLE": [480000, -150000, -60000, 20000, 60000, 90000, 110000, 120000, 130000, 140000, 150000],
            "ALTERNA": [-40000, -20000, -5000, 10000, 20000, 25000, 30000, 30000, 35000, 35000, 40000],
        }
        # the synthetic revision of June 2024 moves break-even from 2024 to 2025
        revised_results = {
            "SMARTFR": [-1200000, -600000, -250000, -180000, 20000, 150000, 250000, 300000, 350000, 350000, 400000],
            "GRANDSENSEMBLE": [480000, -150000, -60000, -30000, 30000, 70000, 100000, 120000, 130000, 140000, 150000],
            "ALTERNA": [-40000, -20000, -5000, -10000, 10000, 20000, 25000, 30000, 35000, 35000, 40000],
        }
        actual_results = {
            "SMARTFR": [-1520000, -940000, -610000, -230000, 35000],
            "GRANDSENSEMBLE": [430000, -210000, -95000, -40000, 15000],
            "ALTERNA": [-55000, -30000, -18000, -6000, 9000],
        }
        years = list(range(2021, 2032))
        equity_instruments = {"CAPITAL", "MEMBER_SHARES"}

        def capital_by_year(entity: str, *, planned: bool, version_rows: list[dict]) -> dict[int, Decimal]:
            totals: dict[int, Decimal] = {}
            for r in version_rows:
                if r["beneficiaire"] != entity or r["instrument"] not in equity_instruments:
                    continue
                if planned:
                    totals[r["date_prevue"].year] = totals.get(r["date_prevue"].year, 0) + r["montant_prevu"]
                elif r["montant_recu"] is not None:
                    year = r["date_reception"].year
                    totals[year] = totals.get(year, 0) + r["montant_recu"]
            return totals

        for version, results, source in (
            (PLAN_2021, plan_results, f"{SYNTHETIC} — trajectoire dérivée du {PLAN}"),
            (PLAN_2024, revised_results, f"{SYNTHETIC} — révision fictive du plan"),
        ):
            version_rows = [r for r in self.files["funding"] if r["version_plan"] == version]
            for entity, series in results.items():
                equity, capital = _d(opening[entity]), _d(capital_2020[entity])
                paid = capital_by_year(entity, planned=True, version_rows=version_rows)
                for year, result in zip(years, series, strict=True):
                    day = dt.date(year, 12, 31)
                    paid_in = _d(paid.get(year, 0))
                    repaid = (paid_in * _d("0.08")).quantize(Decimal(1))
                    equity += _d(result) + paid_in - repaid
                    capital += paid_in - repaid
                    for code, value in (
                        ("NET_RESULT", result),
                        ("CAPITAL_PAID_IN", paid_in),
                        ("SHARES_REPAID", repaid),
                        ("EQUITY", equity),
                        ("SHARE_CAPITAL", capital),
                    ):
                        self.obs(code, entity, day, value, scenario="plan", version=version, source=source)
        for entity, series in actual_results.items():
            equity, capital = _d(opening[entity]), _d(capital_2020[entity])
            funding = [r for r in self.files["funding"] if r["version_plan"] == PLAN_2021]
            paid = capital_by_year(entity, planned=False, version_rows=funding)
            self.obs("EQUITY", entity, dt.date(2020, 12, 31), equity)
            self.obs("SHARE_CAPITAL", entity, dt.date(2020, 12, 31), capital)
            for year, result in zip(years, series, strict=False):
                day = dt.date(year, 12, 31)
                paid_in = _money(paid.get(year, 0))
                repaid = _money(paid_in * _d(self.rng.uniform(0.06, 0.12)))
                equity += _d(result) + paid_in - repaid
                capital += paid_in - repaid
                for code, value in (
                    ("NET_RESULT", result),
                    ("CAPITAL_PAID_IN", paid_in),
                    ("SHARES_REPAID", repaid),
                    ("EQUITY", equity),
                    ("SHARE_CAPITAL", capital),
                ):
                    self.obs(code, entity, day, value)
        # quasi-equity of GrandsEnsemble: SmartBe's current account and the partners' participating round
        qe = {2021: 1500000, 2022: 1750000, 2023: 1750000, 2024: 1750000, 2025: 1750000}
        for year, value in qe.items():
            self.obs(
                "QUASI_EQUITY",
                "GRANDSENSEMBLE",
                dt.date(year, 12, 31),
                value,
                source=f"{SYNTHETIC} — d'après le tableau de financement GrandsEnsemble",
            )
        for year in years:
            self.obs(
                "QUASI_EQUITY",
                "GRANDSENSEMBLE",
                dt.date(year, 12, 31),
                1750000 if year >= 2022 else 1500000,
                scenario="plan",
                version=PLAN_2021,
                source=f"{PLAN} — tableau de financement GrandsEnsemble",
                synthetic=False,
            )

    # monthly activity of the French entities -------------------------------------------
    def monthly_activity(self) -> None:
        base = {"SMARTFR": 5200000, "GRANDSENSEMBLE": 2100000, "ALTERNA": 650000}
        margin_share = {"SMARTFR": 0.62, "GRANDSENSEMBLE": 0.58, "ALTERNA": 0.6}
        rate_before = {"SMARTFR": Decimal("11.5"), "GRANDSENSEMBLE": Decimal(10), "ALTERNA": Decimal(10)}
        for entity, monthly in base.items():
            for day in month_ends(dt.date(2021, 1, 1), DEMO_END):
                t = (day.year - 2021) * 12 + day.month
                season = 1 + 0.18 * (1 if day.month in (3, 6, 10, 11, 12) else -0.6 if day.month in (7, 8) else 0)
                growth = (1 + 0.045) ** (t / 12)
                turnover = _money(monthly * season * growth * self.rng.uniform(0.92, 1.08))
                margin = _money(turnover * _d(margin_share[entity] * self.rng.uniform(0.97, 1.03)))
                planned_rate = rate_before[entity] if entity == "SMARTFR" or day.year < 2022 else Decimal(13)
                ramp = min(Decimal(1), _d((t - 12) / 30)) if day.year >= 2022 else Decimal(0)
                actual_rate = rate_before[entity] + (planned_rate - rate_before[entity]) * ramp
                actual_rate = (actual_rate + _d(self.rng.uniform(-0.4, 0.3))).quantize(Decimal("0.1"))
                self.obs("TURNOVER", entity, day, turnover)
                self.obs("GROSS_MARGIN", entity, day, margin)
                self.obs("CONTRIBUTION_RATE", entity, day, actual_rate)
                for version in (PLAN_2021, PLAN_2024):
                    self.obs(
                        "CONTRIBUTION_RATE",
                        entity,
                        day,
                        planned_rate,
                        scenario="plan",
                        version=version,
                        source=f"{PLAN} — mesure 3 (10 % → 13 %)"
                        if version == PLAN_2021
                        else f"{SYNTHETIC} — révision fictive du plan",
                        synthetic=version != PLAN_2021,
                    )
                    self.obs(
                        "TURNOVER",
                        entity,
                        day,
                        _money(monthly * season * (1.05 ** (t / 12))),
                        scenario="plan",
                        version=version,
                        source=f"{SYNTHETIC} — trajectoire de plan",
                    )

    # bases of the 2 % rule and of the DSO ------------------------------------------------
    def bases(self) -> None:
        # 2 % of these is about what the plan expects members to subscribe each year from 2023 (3,4 M€ over
        # 2023–2031 for SmartFr, 720 k€ for GrandsEnsemble)
        salaries = {"SMARTFR": 18500000, "GRANDSENSEMBLE": 3300000}
        for entity, base in salaries.items():
            for year in range(2021, DEMO_END.year):
                value = _money(base * (1.045 ** (year - 2021)) * self.rng.uniform(0.96, 1.04))
                self.obs("MEMBERS_GROSS_SALARY", entity, dt.date(year, 12, 31), value)
        for day in month_ends(dt.date(2021, 1, 1), DEMO_END):
            monthly = 193766363 / 12 * 1.21 * (1.02 ** (day.year - 2023))  # members' turnover + 21 % VAT
            self.obs("SALES_TTC", "SMARTCOOP", day, _money(monthly * self.rng.uniform(0.85, 1.15)))
        for year, value in ((2022, 33800), (2024, 36200), (2025, 37900)):
            self.obs("REMINDERS_SENT", "SMARTCOOP", dt.date(year, 12, 31), value)

    # weekly cash -----------------------------------------------------------------------
    def weekly_cash(self) -> None:
        level = {"SMARTFR": 2600000.0, "GRANDSENSEMBLE": 900000.0, "ALTERNA": 260000.0}
        members_share = {"SMARTFR": 0.55, "GRANDSENSEMBLE": 0.6, "ALTERNA": 0.5}
        for entity, start in level.items():
            cash = start
            for day in week_ends(dt.date(2021, 1, 1), DEMO_END):
                cash = max(cash * (1 + self.rng.gauss(0.0012, 0.035)), start * 0.35)
                members = cash * members_share[entity] * self.rng.uniform(0.9, 1.1)
                self.obs("CASH_NET", entity, day, _money(cash))
                self.obs("CASH_MEMBERS", entity, day, _money(members))

    # headcount ------------------------------------------------------------------------
    def headcount(self) -> None:
        staff = {"SMARTFR": 138, "GRANDSENSEMBLE": 46, "ALTERNA": 14}
        members = {"SMARTFR": 3100, "GRANDSENSEMBLE": 1250, "ALTERNA": 380}
        pse_plan = {"SMARTFR": [6, 6, 5, 5, 4, 4], "GRANDSENSEMBLE": [3, 2, 2, 1, 1, 1], "ALTERNA": [1, 0, 1, 0, 0, 0]}
        # the plan of November 2021 only envisages a job-protection plan: its (fictitious) calendar runs in the first
        # half of 2022, after the plan, never before it
        pse_year = 2022
        for entity in staff:
            s, m = staff[entity], members[entity]
            for day in month_ends(dt.date(2021, 1, 1), DEMO_END):
                pse = 0
                if day.year == pse_year and day.month in (1, 2, 3, 4, 5, 6):
                    pse = max(0, pse_plan[entity][day.month - 1] + self.rng.choice((-1, 0, 0, 1)))
                s_entries = self.rng.randint(0, 3)
                s_exits = self.rng.randint(0, 3) + pse
                s = max(1, s + s_entries - s_exits)
                m_entries = int(m * self.rng.uniform(0.015, 0.03))
                m_exits = int(m * self.rng.uniform(0.012, 0.026))
                m = m + m_entries - m_exits
                for population, count, entries, exits, dep, full_time_share in (
                    ("staff", s, s_entries, s_exits, pse, 0.93),
                    ("members", m, m_entries, m_exits, 0, 0.11),
                ):
                    hours = _money(count * FULL_TIME_MONTH_HOURS * _d(full_time_share * self.rng.uniform(0.95, 1.05)))
                    fte = people.fte(hours).quantize(CENT)
                    self.add(
                        "headcount",
                        entite=entity,
                        fin_periode=day,
                        population=population,
                        scenario="actual",
                        version_plan=None,
                        effectif=count,
                        etp=min(fte, _d(count)),
                        heures_payees=hours,
                        entrees=entries,
                        sorties=exits,
                        departs_pse=dep if population == "staff" else None,
                        source=SYNTHETIC,
                        synthetique=True,
                    )
                for version in (PLAN_2021, PLAN_2024) if day.year == pse_year and day.month <= 6 else ():
                    self.add(
                        "headcount",
                        entite=entity,
                        fin_periode=day,
                        population="staff",
                        scenario="plan",
                        version_plan=version,
                        effectif=staff[entity] - sum(pse_plan[entity][: day.month]),
                        etp=None,
                        heures_payees=None,
                        entrees=None,
                        sorties=None,
                        departs_pse=pse_plan[entity][day.month - 1],
                        source=f"{SYNTHETIC} — calendrier fictif du plan de sauvegarde de l'emploi",
                        synthetique=True,
                    )
        # SmartCoop: the annual report's 2023 figures
        for population, count, fte in (("members", SALARIED_MEMBERS_2023, 2297), ("staff", 217, 203)):
            self.add(
                "headcount",
                entite="SMARTCOOP",
                fin_periode=dt.date(2023, 12, 31),
                population=population,
                scenario="actual",
                version_plan=None,
                effectif=count,
                etp=_d(fte),
                heures_payees=None,
                entrees=None,
                sorties=None,
                departs_pse=None,
                source=f"{REPORT} — Chiffres clés",
                synthetique=False,
            )

    # membership per office ----------------------------------------------------------------
    def membership(self) -> None:
        growth = {2021: 0.9, 2022: 0.95, 2024: 1.03, 2025: 1.05}
        for code, _name, _region, members, advisers in OFFICES_2023:
            self.add(
                "membership",
                bureau=code,
                fin_periode=dt.date(2023, 12, 31),
                membres=members,
                societaires=None,
                conseillers=advisers,
                source=f"{REPORT} — Membres et conseillers par bureau",
                synthetique=False,
            )
            for year, factor in growth.items():
                adv = advisers
                if advisers is not None and year >= 2024 and code in ("LLN", "TOURNAI"):
                    adv = advisers + 1  # synthetic: offices with few advisers hire
                self.add(
                    "membership",
                    bureau=code,
                    fin_periode=dt.date(year, 12, 31),
                    membres=round(members * factor * self.rng.uniform(0.98, 1.02)),
                    societaires=None,
                    conseillers=adv,
                    source=SYNTHETIC,
                    synthetique=True,
                )

    # receivables ------------------------------------------------------------------------
    def receivables(self) -> None:
        """SmartCoop's open items per snapshot; the 31/12/2023 one totals the balance sheet's trade receivables
        (23 713 846 €) with 14,5 M€ past due (the report's outstanding under reminder)."""
        snapshots = [month_end(y, m) for y in range(2022, 2027) for m in (3, 6, 9, 12) if month_end(y, m) <= DEMO_END]
        snapshots += list(week_ends(DEMO_END - dt.timedelta(days=49), DEMO_END))
        offices = [(code, members) for code, _n, _r, members, _a in OFFICES_2023]
        weights = [m for _c, m in offices]
        kinds = [
            "Théâtre",
            "Compagnie",
            "Festival",
            "Atelier",
            "Studio",
            "Asbl",
            "Centre culturel",
            "Galerie",
            "Agence",
            "Collectif",
            "Maison de production",
            "École",
        ]
        places = [
            "du Parc",
            "des Arts",
            "de la Lune",
            "Saint-Gilles",
            "du Midi",
            "Horta",
            "des Marolles",
            "Meuse",
            "Sambre",
            "Escaut",
            "Lys",
            "Zenne",
            "des Tanneurs",
            "Flagey",
            "du Nord",
            "de l'Ourthe",
        ]
        clients = [f"{k} {p}" for k in kinds for p in places]
        for as_of in snapshots:
            total = _d(23713846) if as_of == dt.date(2023, 12, 31) else _money(23713846 * self.rng.uniform(0.9, 1.08))
            overdue = (
                _d(14500000) if as_of == dt.date(2023, 12, 31) else _money(total * _d(self.rng.uniform(0.52, 0.66)))
            )
            items = []
            for past_due, share_total in ((False, total - overdue), (True, overdue)):
                n = 180 if past_due else 140
                raw = [self.rng.lognormvariate(0, 0.9) for _ in range(n)]
                scale = share_total / _d(sum(raw))
                amounts = [_money(_d(r) * scale) for r in raw]
                amounts[-1] += share_total - sum(amounts)
                for amount in amounts:
                    term = self.rng.choice((30, 30, 45, 60))  # days from invoice to due date
                    if past_due:
                        days_due = self.rng.choice((5, 12, 25, 29, 30, 31, 45, 58, 60, 61, 75, 90, 91, 120, 200, 340))
                    else:  # not yet due, but invoiced on or before the snapshot: an item cannot be open before it exists
                        days_due = -self.rng.randint(0, term)
                    due = as_of - dt.timedelta(days=days_due)
                    invoice = due - dt.timedelta(days=term)
                    items.append((amount, invoice, due))
            for i, (amount, invoice, due) in enumerate(items, start=1):
                office = self.rng.choices(offices, weights=weights)[0][0]
                self.add(
                    "receivables",
                    date_situation=as_of,
                    entite="SMARTCOOP",
                    bureau=office,
                    client=self.rng.choice(clients),
                    facture=f"F{as_of:%y%m%d}-{i:04d}",
                    date_facture=invoice,
                    date_echeance=due,
                    montant_du=amount,
                    source=SYNTHETIC,
                    synthetique=True,
                )

    # plan execution: creditors' instalments and liquidity -------------------------------------
    def plan_execution(self) -> None:
        """A plausible, synthetic creditor schedule (the plan document gives none) and the liquidity test's
        inputs. Instalments fall on the plan's anniversary (15 November) from 2022: 2, 3, 5, 5, 5, 10, 10, 15,
        20, 25 % — from the 3rd at least 5 %, from the 6th at least 10 % (L626-18)."""
        source = f"{SYNTHETIC} — échéancier fictif"
        claims = [  # code, entity, creditor, class, admitted, option
            ("SFR-URSSAF", "SMARTFR", "URSSAF Île-de-France", "social et fiscal", 1200000, "delay"),
            ("SFR-DGFIP", "SMARTFR", "DGFiP", "social et fiscal", 380000, "delay"),
            ("SFR-BANQUE", "SMARTFR", "Banque coopérative", "bancaire", 800000, "delay"),
            ("SFR-FOURNISSEURS", "SMARTFR", "Fournisseurs divers", "fournisseurs", 450000, "write_off"),
            ("SFR-SMARTCOOP", "SMARTFR", "SmartCoop", "groupe", 2100000, "delay"),
            ("GE-URSSAF", "GRANDSENSEMBLE", "URSSAF Auvergne-Rhône-Alpes", "social et fiscal", 300000, "delay"),
            ("GE-FOURNISSEURS", "GRANDSENSEMBLE", "Fournisseurs divers", "fournisseurs", 150000, "delay"),
        ]
        schedule = [2, 3, 5, 5, 5, 10, 10, 15, 20, 25]
        for code, entity, creditor, cls, admitted, option in claims:
            self.add("creditor_claims", code=code, entite=entity, creancier=creditor, categorie=cls,
                     montant_admis=_money(admitted), option=option, source=source, synthetique=True)
            pcts = [60] if option == "write_off" else schedule  # a 40 % remission paid in one go
            for seq, pct in enumerate(pcts, start=1):
                due = dt.date(2021 + seq, 11, 15)
                amount = _money(_d(admitted) * _d(pct) / 100)
                paid, paid_on = _money(0), None
                if due <= DEMO_END:
                    paid, paid_on = amount, due - dt.timedelta(days=self.rng.randint(0, 10))
                    if code == "SFR-BANQUE" and seq == 4:  # paid three weeks late in 2025
                        paid_on = due + dt.timedelta(days=21)
                    if code == "SFR-URSSAF" and seq == 5:  # the November 2026 instalment: only half paid so far
                        paid, paid_on = _money(amount / 2), due - dt.timedelta(days=2)
                self.add("instalments", creance=code, rang=seq, date_echeance=due, pct_creance=_d(pct),
                         montant_du=amount, montant_paye=paid, paye_le=paid_on, source=source, synthetique=True)
        for entity, lines, debts in (("SMARTFR", 500000, 1500000), ("GRANDSENSEMBLE", 150000, 420000)):
            for day in month_ends(dt.date(2021, 1, 1), DEMO_END):
                self.obs("CREDIT_LINES", entity, day, lines if day.year >= 2022 else lines // 2)
                self.obs("DEBTS_DUE", entity, day, _money(debts * self.rng.uniform(0.85, 1.15)))

    # meetings ---------------------------------------------------------------------------
    def meetings(self) -> None:
        held = [dt.date(y, m, 15) for y in range(2022, 2027) for m in (3, 6, 9, 12)]
        for day in held:
            as_of = month_end(day.year, day.month - 1)
            status = "closed" if day < DEMO_END else "planned"
            self.add(
                "meetings",
                date=day,
                date_situation=as_of,
                titre=f"Comité de suivi du plan — {day:%m/%Y}",
                statut=status,
                participants="Administrateurs de SmartCoop, SmartFr, SmartBe et GrandsEnsemble",
                synthetique=True,
            )


def build_demo() -> dict[str, list[dict]]:
    """Every demo file's records, built from the documents' figures and a fixed seed."""
    return DemoBuilder().build()


def demo_file_name(kind: str) -> str:
    return f"{formats.DATASETS[kind].file_stem}.csv"


def write_demo(directory: Path = DEMO_DIR) -> list[Path]:
    """Write the demo data set as CSV files in the documented format; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, records in build_demo().items():
        path = directory / demo_file_name(kind)
        path.write_text(formats.write_csv(formats.DATASETS[kind], records), encoding="utf-8")
        paths.append(path)
    return paths


def demo_files(directory: Path = DEMO_DIR) -> list[tuple[str, bytes]]:
    """The demo files in load order, as (name, content)."""
    return [(demo_file_name(kind), (directory / demo_file_name(kind)).read_bytes()) for kind in formats.LOAD_ORDER]


def load_demo(engine: Engine, directory: Path = DEMO_DIR) -> list[LoadResult]:
    """Load the demo data set through the import path, in one transaction; loading it twice changes nothing."""
    return import_files(engine, demo_files(directory), loaded_by=DEMO_USER)
