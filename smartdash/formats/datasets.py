"""The datasets users import, each declared once: its columns (headers, English aliases, how a cell is read, what
docs/formats.md says of it), the rules its rows follow, and where the store keeps it (the table, each column's
attribute, the datasets its codes refer to). The importer's mapping to the tables and the order in which a full
data set loads are derived from these declarations.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from smartdash import codes, models
from smartdash.formats import cells
from smartdash.formats.spec import Column, Dataset, RefError, RowCheck, StoreCheck
from smartdash.i18n import N_, Text, text

ZERO = Decimal(0)


def _provenance() -> tuple[Column, ...]:
    return (
        Column(
            "source",
            ("source_document",),
            required=False,
            help_fr="document source et page, ou système d'origine",
            attr="source",
        ),
        Column(
            "synthetique",
            ("synthetic",),
            "bool",
            required=False,
            default=False,
            help_fr="oui pour une valeur de démonstration générée",
            attr="is_synthetic",
        ),
    )


# --------------------------------------------------------------------------- rules across the cells of a row


def _fte_not_above_headcount(row: dict) -> Text | None:
    if row.get("etp") is not None and row.get("effectif") is not None and row["etp"] > row["effectif"]:
        return text(N_("a number of FTE lower than or equal to the headcount"))
    return None


def _due_not_before_invoice(row: dict) -> Text | None:
    if row.get("date_echeance") and row.get("date_facture") and row["date_echeance"] < row["date_facture"]:
        return text(N_("a due date on or after the invoice date"))
    return None


def _invoiced_by_snapshot(row: dict) -> Text | None:
    if row.get("date_facture") and row.get("date_situation") and row["date_facture"] > row["date_situation"]:
        return text(N_("an invoice date no later than the snapshot date (an item open at that date is already invoiced)"))
    return None


def _plan_needs_version(row: dict) -> Text | None:
    if row.get("scenario") == "plan" and not row.get("version_plan"):
        return text(N_("the code of the plan version (required for the plan scenario)"))
    if row.get("scenario") == "actual" and row.get("version_plan"):
        return text(N_("empty for an actual value"))
    return None


def _actual_not_in_future(column: str) -> RowCheck:
    """Actual figures are about the past: a date after today (and its tolerance) is a typing error or a file that
    lies about its date, and would move every page's default date into the future (plan values may be future)."""

    def check(row: dict) -> Text | None:
        day = row.get(column)
        if day is not None and row.get("scenario", "actual") == "actual" and day > cells.latest_actual_date():
            return cells.not_after_latest_actual_date()
        return None

    return RowCheck((column, "scenario"), column, check)


def _amber_before_red(row: dict) -> Text | None:
    amber, red = row.get("seuil_orange"), row.get("seuil_rouge")
    if amber is None or red is None:
        return None
    if row.get("mode_seuils") == "plan" and amber > red:
        return text(N_("an amber threshold lower than or equal to the red threshold (gaps in %)"))
    return None


def siren_is_valid(value: str) -> bool:
    """A SIREN: 9 digits whose Luhn checksum is right."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        return False
    digits = [int(c) * (2 if i % 2 else 1) for i, c in enumerate(value)]
    return sum(d - 9 if d > 9 else d for d in digits) % 10 == 0


def _siren_valid(row: dict) -> Text | None:
    if row.get("siren") and not siren_is_valid(row["siren"]):
        return text(N_("a SIREN of 9 digits whose check digit (Luhn) is right"))
    return None


def _year_date_at_year_end(row: dict) -> Text | None:
    day = row.get("date_prevue")
    if row.get("precision_date") == "year" and day is not None and (day.month, day.day) != (12, 31):
        return text(N_("the 31/12 of the year when the plan gives only the year (precision_date = année)"))
    return None


FTE_NOT_ABOVE_HEADCOUNT = RowCheck(("etp", "effectif"), "etp", _fte_not_above_headcount)
DUE_NOT_BEFORE_INVOICE = RowCheck(("date_echeance", "date_facture"), "date_echeance", _due_not_before_invoice)
INVOICED_BY_SNAPSHOT = RowCheck(("date_facture", "date_situation"), "date_facture", _invoiced_by_snapshot)
PLAN_NEEDS_VERSION = RowCheck(("scenario", "version_plan"), "version_plan", _plan_needs_version)
AMBER_BEFORE_RED = RowCheck(("seuil_orange", "seuil_rouge", "mode_seuils"), "seuil_orange", _amber_before_red)
SIREN_VALID = RowCheck(("siren",), "siren", _siren_valid)
YEAR_DATE_AT_YEAR_END = RowCheck(("precision_date", "date_prevue"), "date_prevue", _year_date_at_year_end)


# --------------------------------------------------------------------------- rules needing the store


def _office_of_entity(lookups, values: dict) -> None:
    if values["office_id"] is not None and lookups.office_entity()[values["office_id"]] != values["entity_id"]:
        raise RefError("bureau", text(N_("an office of the entity given")))


def _value_in_unit(lookups, values: dict) -> None:
    _office_of_entity(lookups, values)
    raw = str(values["_raw_valeur"] or "")
    unit = lookups.indicator_units()[values["indicator_id"]]
    if "€" in raw and unit != "EUR":
        raise RefError("valeur", text(N_("a value without “€”: the indicator is in {unit}"), unit=unit))
    if "%" in raw and unit != "percent":
        raise RefError("valeur", text(N_("a value without “%”: the indicator is in {unit}"), unit=unit))


OFFICE_OF_ENTITY = StoreCheck(("office_id", "entity_id"), _office_of_entity)
VALUE_IN_UNIT = StoreCheck(("office_id", "entity_id", "indicator_id", "_raw_valeur"), _value_in_unit)


# --------------------------------------------------------------------------- the datasets, references first

DATASETS: dict[str, Dataset] = {}


def _register(ds: Dataset) -> Dataset:
    DATASETS[ds.kind] = ds
    return ds


ENTITIES = _register(
    Dataset(
        "entities",
        "Entités",
        "Entities",
        (
            Column("code", max_length=32, attr="code"),
            Column("nom", ("name",), max_length=120, attr="name"),
            Column("pays", ("country",), "choice", choices=codes.COUNTRIES.accepted(), attr="country"),
            Column("forme_juridique", ("legal_form",), max_length=120, attr="legal_form"),
            Column(
                "sous_plan",
                ("under_plan",),
                "bool",
                required=False,
                default=False,
                help_fr="oui si l'entité est sous le plan de continuation",
                attr="under_plan",
            ),
            Column("ordre", ("order",), "int", required=False, default=0, attr="sort_order"),
            Column(
                "siren",
                (),
                required=False,
                max_length=9,
                help_fr="9 chiffres (clé de contrôle vérifiée) ; un FEC nommé {SIREN}FEC{AAAAMMJJ}.txt est "
                "reconnu comme celui de l'entité ; sans cette colonne, le SIREN est effacé",
                attr="siren",
            ),
        ),
        key=("code",),
        file_stem="entites",
        checks=(SIREN_VALID,),
        model=models.Entity,
        known=text(N_("the code of a known entity")),
    )
)

OFFICES = _register(
    Dataset(
        "offices",
        "Bureaux",
        "Offices",
        (
            Column("code", max_length=32, attr="code"),
            Column("nom", ("name",), max_length=120, attr="name"),
            Column("region", ("région",), max_length=60, attr="region"),
            Column("entite", ("entité", "entity"), help_fr="code d'une entité", attr="entity_id", ref=ENTITIES),
            Column("ordre", ("order",), "int", required=False, default=0, attr="sort_order"),
        ),
        key=("code",),
        file_stem="bureaux",
        model=models.Office,
        known=text(N_("the code of a known office")),
    )
)

INDICATORS = _register(
    Dataset(
        "indicators",
        "Catalogue des indicateurs",
        "Indicator catalogue",
        (
            Column("code", max_length=40, attr="code"),
            Column("libelle_fr", ("libellé_fr", "label_fr"), max_length=200, attr="label_fr"),
            Column("libelle_en", ("libellé_en", "label_en"), max_length=200, attr="label_en"),
            Column("unite", ("unité", "unit"), "choice", choices=codes.UNITS.accepted(), attr="unit"),
            Column(
                "sens",
                ("direction",),
                "choice",
                choices=codes.DIRECTIONS.accepted(),
                help_fr="hausse : plus haut est mieux ; baisse : plus bas est mieux",
                attr="direction",
            ),
            Column("frequence", ("fréquence", "frequency"), "choice", choices=codes.FREQUENCIES.accepted(), attr="frequency"),
            Column("responsable", ("owner",), required=False, max_length=120, attr="owner"),
            Column(
                "mode_seuils",
                ("threshold_mode",),
                "choice",
                required=False,
                default="plan",
                choices=codes.THRESHOLD_MODES.accepted(),
                help_fr="plan : seuils en % d'écart défavorable au plan ; absolu : niveaux de la valeur",
                attr="threshold_mode",
            ),
            Column("seuil_orange", ("amber_threshold",), "decimal", required=False, attr="amber_threshold"),
            Column("seuil_rouge", ("red_threshold",), "decimal", required=False, attr="red_threshold"),
            Column(
                "cle",
                ("clé", "key"),
                "bool",
                required=False,
                default=False,
                help_fr="oui pour une tuile de la page d'accueil",
                attr="is_key",
            ),
            Column("actif", ("active",), "bool", required=False, default=True, attr="active"),
            Column("ordre", ("order",), "int", required=False, default=0, attr="sort_order"),
            Column("description", required=False, attr="description"),
        ),
        key=("code",),
        file_stem="indicateurs",
        checks=(AMBER_BEFORE_RED,),
        model=models.Indicator,
        known=text(N_("the code of an indicator of the catalogue")),
    )
)

PLAN_VERSIONS = _register(
    Dataset(
        "plan_versions",
        "Versions du plan",
        "Plan versions",
        (
            Column("code", max_length=40, attr="code"),
            Column("nom", ("name",), max_length=200, attr="name"),
            Column("adopte_le", ("adopté_le", "adopted_on"), "date", required=False, attr="adopted_on"),
            Column("adopte_par", ("adopté_par", "adopted_by"), required=False, max_length=200, attr="adopted_by"),
            Column("statut", ("status",), "choice", choices=codes.PLAN_STATUSES.accepted(), attr="status"),
            Column("note", required=False, attr="note"),
            Column("synthetique", ("synthetic",), "bool", required=False, default=False, attr="is_synthetic"),
        ),
        key=("code",),
        file_stem="versions_plan",
        model=models.PlanVersion,
        known=text(N_("the code of a known plan version")),
    )
)

INSTRUMENTS = _register(
    Dataset(
        "instruments",
        "Instruments de financement",
        "Funding instruments",
        (
            Column("code", max_length=40, attr="code"),
            Column("libelle_fr", ("libellé_fr", "label_fr"), max_length=200, attr="label_fr"),
            Column("libelle_en", ("libellé_en", "label_en"), max_length=200, attr="label_en"),
            Column("classe", ("class", "equity_class"), "choice", choices=codes.EQUITY_CLASSES.accepted(), attr="equity_class"),
            Column(
                "compte_1plus1",
                ("counts_one_plus_one",),
                "bool",
                help_fr="oui si l'instrument compte pour la règle 1+1",
                attr="counts_one_plus_one",
            ),
        ),
        key=("code",),
        file_stem="instruments",
        model=models.FundingInstrument,
        known=text(N_("the code of a known instrument")),
    )
)

SOURCE_FIGURES = _register(
    Dataset(
        "source_figures",
        "Chiffres des documents sources",
        "Figures from the source documents",
        (
            Column("code", max_length=60, attr="code"),
            Column("document", max_length=200, attr="document"),
            Column("emplacement", ("location",), max_length=200, attr="location"),
            Column("libelle_fr", ("libellé_fr", "label_fr"), max_length=300, attr="label_fr"),
            Column("libelle_en", ("libellé_en", "label_en"), max_length=300, attr="label_en"),
            Column("valeur", ("value",), "decimal", attr="value"),
            Column("unite", ("unité", "unit"), max_length=12, attr="unit"),
            Column("note", required=False, attr="note"),
        ),
        key=("code",),
        file_stem="chiffres_sources",
        model=models.SourceFigure,
    )
)

OBSERVATIONS = _register(
    Dataset(
        "observations",
        "Valeurs des indicateurs (réel, prévision, plan)",
        "Indicator values (actual, forecast, plan)",
        (
            Column(
                "indicateur", ("indicator",), help_fr="code d'un indicateur du catalogue", attr="indicator_id", ref=INDICATORS
            ),
            Column("entite", ("entité", "entity"), help_fr="code d'une entité", attr="entity_id", ref=ENTITIES),
            Column(
                "bureau",
                ("office",),
                required=False,
                help_fr="code d'un bureau, vide pour l'entité entière",
                attr="office_id",
                ref=OFFICES,
            ),
            Column("fin_periode", ("fin_période", "period_end"), "date", help_fr="dernier jour de la période", attr="period_end"),
            Column("scenario", ("scénario",), "choice", choices=codes.SCENARIOS.accepted(), attr="scenario"),
            Column(
                "version_plan",
                ("plan_version",),
                required=False,
                help_fr="code de version, obligatoire pour le plan",
                attr="plan_version_id",
                ref=PLAN_VERSIONS,
            ),
            Column("valeur", ("value",), "decimal", help_fr="dans l'unité de l'indicateur ; % en points (12,4)", attr="value"),
            *_provenance(),
        ),
        key=("indicateur", "entite", "bureau", "fin_periode", "scenario", "version_plan"),
        file_stem="observations",
        checks=(PLAN_NEEDS_VERSION, _actual_not_in_future("fin_periode")),
        keep_raw=("valeur",),
        model=models.Observation,
        store_check=VALUE_IN_UNIT,
    )
)

FUNDING = _register(
    Dataset(
        "funding",
        "Apports et levées de fonds",
        "Funding contributions",
        (
            Column("code", max_length=60, help_fr="identifiant stable de l'apport", attr="code"),
            Column(
                "version_plan",
                ("plan_version",),
                required=False,
                help_fr="version du plan qui le prévoit",
                attr="plan_version_id",
                ref=PLAN_VERSIONS,
            ),
            Column("apporteur", ("contributor",), max_length=120, attr="contributor"),
            Column(
                "categorie_apporteur",
                ("catégorie_apporteur", "contributor_class"),
                "choice",
                choices=codes.CONTRIBUTOR_CLASSES.accepted(),
                attr="contributor_class",
            ),
            Column(
                "beneficiaire", ("bénéficiaire", "beneficiary"), help_fr="code d'une entité", attr="beneficiary_id", ref=ENTITIES
            ),
            Column("instrument", help_fr="code d'un instrument", attr="instrument_id", ref=INSTRUMENTS),
            Column("periode", ("période", "period"), required=False, max_length=20, attr="period_label"),
            Column("date_prevue", ("date_prévue", "planned_date"), "date", attr="planned_date"),
            Column(
                "precision_date",
                ("précision_date", "date_precision"),
                "choice",
                required=False,
                default="day",
                choices=codes.DATE_PRECISIONS.accepted(),
                help_fr="année quand le plan ne donne que l'année (« en 2022 ») : la date prévue est alors le 31/12",
                attr="date_precision",
            ),
            Column("montant_prevu", ("montant_prévu", "planned_amount"), "money", minimum=ZERO, attr="planned_amount"),
            Column("statut", ("status",), "choice", choices=codes.FUNDING_STATUSES.accepted(), attr="status"),
            Column("date_reception", ("date_réception", "received_date"), "date", required=False, attr="received_date"),
            Column(
                "montant_recu", ("montant_reçu", "received_amount"), "money", required=False, minimum=ZERO, attr="received_amount"
            ),
            Column(
                "source_reception",
                ("source_réception", "received_source"),
                required=False,
                help_fr="origine de la réception quand elle diffère de celle de la ligne du plan",
                attr="received_source",
            ),
            Column(
                "reception_synthetique",
                ("réception_synthétique", "received_synthetic"),
                "bool",
                required=False,
                help_fr="oui pour une réception de démonstration générée (vide : comme la ligne)",
                attr="received_is_synthetic",
            ),
            Column("condition", required=False, attr="condition"),
            Column(
                "etat_condition",
                ("état_condition", "condition_status"),
                "choice",
                required=False,
                choices=codes.CONDITION_STATUSES.accepted(),
                attr="condition_status",
            ),
            Column("note", required=False, attr="note"),
            *_provenance(),
        ),
        key=("code", "version_plan"),
        checks=(YEAR_DATE_AT_YEAR_END, _actual_not_in_future("date_reception")),
        file_stem="financements",
        model=models.FundingContribution,
    )
)

PLAN_TARGETS = _register(
    Dataset(
        "plan_targets",
        "Cibles énoncées par le plan",
        "Targets stated by the plan",
        (
            Column(
                "version_plan",
                ("plan_version",),
                help_fr="version du plan qui énonce la cible",
                attr="plan_version_id",
                ref=PLAN_VERSIONS,
            ),
            Column(
                "entite",
                ("entité", "entity"),
                required=False,
                help_fr="code d'une entité ; vide : toutes les entités sous le plan",
                attr="entity_id",
                ref=ENTITIES,
            ),
            Column(
                "cible",
                ("target",),
                max_length=40,
                help_fr="ex. BREAK_EVEN_YEAR (année d'équilibre), PLAN_END_YEAR (fin du plan), CONTRIBUTION_RATE",
                attr="target",
            ),
            Column("valeur", ("value",), "decimal", help_fr="dans l'unité indiquée ; une année s'écrit 2024", attr="value"),
            Column("unite", ("unité", "unit"), "choice", choices=codes.UNITS.accepted(), attr="unit"),
            Column(
                "a_partir_de",
                ("à_partir_de", "from_year"),
                "int",
                required=False,
                help_fr="année à partir de laquelle la cible s'applique, si le plan la donne",
                attr="from_year",
            ),
            Column("enonce_fr", ("énoncé_fr", "statement_fr"), help_fr="la cible dans les mots du plan", attr="statement_fr"),
            Column("enonce_en", ("énoncé_en", "statement_en"), required=False, attr="statement_en"),
            *_provenance(),
        ),
        key=("version_plan", "entite", "cible"),
        file_stem="cibles_plan",
        description_fr="Ce que le plan énonce en toutes lettres (l'équilibre « dès 2024 », le taux de contribution "
        "« 10 % → 13 % »…) est affiché tel quel, jamais déduit des valeurs du plan.",
        model=models.PlanTarget,
    )
)

CLAIMS = _register(
    Dataset(
        "creditor_claims",
        "Créances admises au plan",
        "Claims admitted in the plan",
        (
            Column("code", max_length=60, help_fr="identifiant stable de la créance", attr="code"),
            Column("entite", ("entité", "entity"), help_fr="code de l'entité débitrice", attr="entity_id", ref=ENTITIES),
            Column("creancier", ("créancier", "creditor"), max_length=200, attr="creditor"),
            Column(
                "categorie",
                ("catégorie", "creditor_class"),
                max_length=60,
                help_fr="ex. social et fiscal, bancaire, fournisseurs, groupe",
                attr="creditor_class",
            ),
            Column("montant_admis", ("admitted_amount",), "money", minimum=ZERO, attr="admitted_amount"),
            Column(
                "option",
                kind="choice",
                choices=codes.CLAIM_OPTIONS.accepted(),
                help_fr="option choisie par le créancier : remise partielle ou délais",
                attr="option",
            ),
            *_provenance(),
        ),
        key=("code",),
        file_stem="creances_admises",
        model=models.CreditorClaim,
        known=text(N_("the code of a known admitted claim")),
    )
)

INSTALMENTS = _register(
    Dataset(
        "instalments",
        "Échéancier du plan",
        "Plan instalments",
        (
            Column("creance", ("créance", "claim"), help_fr="code d'une créance admise", attr="claim_id", ref=CLAIMS),
            Column("rang", ("seq", "rank"), "int", minimum=Decimal(1), help_fr="1 pour le premier dividende annuel", attr="seq"),
            Column("date_echeance", ("date_échéance", "due_date"), "date", attr="due_date"),
            Column(
                "pct_creance",
                ("pct_of_claim",),
                "decimal",
                minimum=ZERO,
                help_fr="% de la créance admise (5 ou 5 %)",
                attr="pct_of_claim",
            ),
            Column("montant_du", ("montant_dû", "amount_due"), "money", minimum=ZERO, attr="amount_due"),
            Column(
                "montant_paye",
                ("montant_payé", "amount_paid"),
                "money",
                required=False,
                default=Decimal(0),
                minimum=ZERO,
                attr="amount_paid",
            ),
            Column("paye_le", ("payé_le", "paid_on"), "date", required=False, attr="paid_on"),
            *_provenance(),
        ),
        key=("creance", "rang"),
        file_stem="echeancier",
        checks=(_actual_not_in_future("paye_le"),),
        model=models.Instalment,
    )
)

HEADCOUNT = _register(
    Dataset(
        "headcount",
        "Effectifs",
        "Headcount",
        (
            Column("entite", ("entité", "entity"), attr="entity_id", ref=ENTITIES),
            Column("fin_periode", ("fin_période", "period_end"), "date", attr="period_end"),
            Column("population", kind="choice", choices=codes.POPULATIONS.accepted(), attr="population"),
            Column(
                "scenario",
                ("scénario",),
                "choice",
                required=False,
                default="actual",
                choices=codes.HEADCOUNT_SCENARIOS.accepted(),
                attr="scenario",
            ),
            Column("version_plan", ("plan_version",), required=False, attr="plan_version_id", ref=PLAN_VERSIONS),
            Column("effectif", ("headcount",), "int", minimum=ZERO, attr="headcount"),
            Column(
                "etp", ("fte",), "decimal", required=False, minimum=ZERO, help_fr="heures payées ÷ 151,67 h par mois", attr="fte"
            ),
            Column("heures_payees", ("heures_payées", "hours_paid"), "decimal", required=False, minimum=ZERO, attr="hours_paid"),
            Column("entrees", ("entrées", "entries"), "int", required=False, minimum=ZERO, attr="entries"),
            Column("sorties", ("exits",), "int", required=False, minimum=ZERO, attr="exits"),
            Column("departs_pse", ("départs_pse", "pse_departures"), "int", required=False, minimum=ZERO, attr="pse_departures"),
            *_provenance(),
        ),
        key=("entite", "fin_periode", "population", "scenario", "version_plan"),
        file_stem="effectifs",
        checks=(FTE_NOT_ABOVE_HEADCOUNT, PLAN_NEEDS_VERSION, _actual_not_in_future("fin_periode")),
        model=models.Headcount,
    )
)

MEMBERSHIP = _register(
    Dataset(
        "membership",
        "Sociétariat par bureau",
        "Membership per office",
        (
            Column("bureau", ("office",), help_fr="code d'un bureau", attr="office_id", ref=OFFICES),
            Column("fin_periode", ("fin_période", "period_end"), "date", attr="period_end"),
            Column("membres", ("members",), "int", minimum=ZERO, attr="members"),
            Column("societaires", ("sociétaires", "shareholders"), "int", required=False, minimum=ZERO, attr="societaires"),
            Column("conseillers", ("advisers",), "int", required=False, minimum=ZERO, attr="advisers"),
            *_provenance(),
        ),
        key=("bureau", "fin_periode"),
        file_stem="societariat",
        checks=(_actual_not_in_future("fin_periode"),),
        model=models.Membership,
    )
)

RECEIVABLES = _register(
    Dataset(
        "receivables",
        "Créances clients ouvertes",
        "Open receivable items",
        (
            Column(
                "date_situation", ("as_of",), "date", help_fr="date de la situation (photo des créances ouvertes)", attr="as_of"
            ),
            Column("entite", ("entité", "entity"), attr="entity_id", ref=ENTITIES),
            Column("bureau", ("office",), required=False, attr="office_id", ref=OFFICES),
            Column("client", max_length=200, attr="client"),
            Column("facture", ("invoice", "invoice_no", "n° facture"), max_length=60, attr="invoice_no"),
            Column("date_facture", ("invoice_date",), "date", attr="invoice_date"),
            Column("date_echeance", ("date_échéance", "due_date"), "date", attr="due_date"),
            Column("montant_du", ("montant_dû", "amount_open"), "money", help_fr="montant TTC restant dû", attr="amount_open"),
            *_provenance(),
        ),
        key=("date_situation", "entite", "facture"),
        file_stem="creances",
        description_fr="Un fichier est la situation complète d'une entité à sa date : les créances de cette entité "
        "et de cette date déjà enregistrées mais absentes du fichier (payées depuis) sont retirées. "
        "L'aperçu les annonce ; l'annulation du chargement les rétablit.",
        checks=(DUE_NOT_BEFORE_INVOICE, INVOICED_BY_SNAPSHOT, _actual_not_in_future("date_situation")),
        model=models.ReceivableItem,
        snapshot=("entite", "date_situation"),
        store_check=OFFICE_OF_ENTITY,
    )
)

MEETINGS = _register(
    Dataset(
        "meetings",
        "Réunions du comité",
        "Committee meetings",
        (
            Column("date", ("held_on",), "date", attr="held_on"),
            Column("date_situation", ("as_of",), "date", help_fr="date des chiffres présentés", attr="as_of"),
            Column("titre", ("title",), max_length=200, attr="title"),
            Column("statut", ("status",), "choice", choices=codes.MEETING_STATUSES.accepted(), attr="status"),
            Column("participants", ("attendees",), required=False, attr="attendees"),
            Column("synthetique", ("synthetic",), "bool", required=False, default=False, attr="is_synthetic"),
        ),
        key=("date",),
        file_stem="reunions",
        model=models.Meeting,
    )
)

# The trial balance the store derives from a ledger export (smartdash.fec), never a file users write: the whole of
# its entity and date.
LEDGER_BALANCES = Dataset(
    "ledger_balances",
    "Balance des comptes (FEC)",
    "Trial balance (FEC)",
    (
        Column("date_situation", kind="date", attr="as_of"),
        Column("entite", attr="entity_id", ref=ENTITIES),
        Column("compte", attr="account"),
        Column("libelle", attr="label"),
        Column("debit", kind="money", attr="debit"),
        Column("credit", kind="money", attr="credit"),
        *_provenance(),
    ),
    ("entite", "date_situation", "compte"),
    "balance",
    model=models.LedgerBalance,
    snapshot=("entite", "date_situation"),
)

# every dataset the store keeps, by kind: the importer's mapping to the tables is derived from these
STORED: dict[str, Dataset] = {**DATASETS, LEDGER_BALANCES.kind: LEDGER_BALANCES}


def load_order(datasets: Iterable[Dataset]) -> tuple[str, ...]:
    """The kinds of `datasets` in an order that loads each one after the datasets its codes refer to, otherwise
    in the order given."""
    pending, order = {ds.kind: ds for ds in datasets}, []
    while pending:
        ready = next(ds for ds in pending.values() if all(ref.kind in order for ref in ds.references))
        order.append(ready.kind)
        del pending[ready.kind]
    return tuple(order)


# The order in which a full data set must be loaded (references first).
LOAD_ORDER = load_order(DATASETS.values())
