"""The demo's generated history: what the documents do not give, made from a fixed seed around what they do.

The documents (`shared/reference/figures.md`) give year-end figures of SmartCoop and the plan's tables; the demo
also needs weekly values since 2021, the French entities' actuals, open receivable items, a creditor schedule and
meetings. Each is generated here, deterministically (one `random.Random` per step, seeded by the step's name, so that
a new step never changes what the others make), consistent with the documented figures it reads from the data
files (`sources.Sources`), and every generated row is flagged synthetic with the source `SYNTHETIC`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from smartdash import provenance
from smartdash.demo.sources import Record, Sources
from smartdash.metrics import people
from smartdash.metrics.people import FULL_TIME_MONTH_HOURS

SEED = 42
DEMO_END = dt.date(2026, 11, 22)  # a Sunday: the last week of the demo data

PLAN = "Plan de continuation, novembre 2021"
REPORT = "SmartCoop, rapport annuel 2023"
REPORT_DAY = dt.date(2023, 12, 31)  # the annual report's balance sheet date
SYNTHETIC = provenance.GENERATED
PLAN_2021 = "PLAN-2021-11"
PLAN_2024 = "PLAN-2024-06"

CENT = Decimal("0.01")

# the synthetic realisation of plan lines that their rows leave open
COMMITTED_NOT_RECEIVED = {"SFR-2023-PARTENAIRES"}  # the partners' round: committed, the form still undecided
# SmartBe's 2022 capital, due "en 2022" (by 31/12/2022), arrives mid-year: its receipt is drawn from 30/06
RECEIVED_MID_YEAR = {"SFR-2022-SMARTBE-CAPITAL": dt.date(2022, 6, 30)}
REVISED_PARTNERS_ROUND = "SFR-2023-PARTENAIRES"  # the June 2024 revision shrinks it and moves it to 2025


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


class History:
    """Generates the synthetic rows of every dataset into `files` (column names as in the file formats).

    The written rows of funding, headcount and membership are placed by their steps: a plan line gets its
    realisation, the annual report's headcount follows the generated series, each office's 2023 figure is followed
    by its generated years. The other datasets' written rows are in `files` before the steps run."""

    STEPS = (
        "funding",
        "equity",
        "monthly_activity",
        "weekly_cash",
        "headcount",
        "membership",
        "receivables",
        "meetings",
        "bases",
        "plan_execution",
    )

    def __init__(self, sources: Sources, files: dict[str, list[Record]], seed: int = SEED):
        self.sources = sources
        self.files = files
        self.seed = seed
        self.rng = random.Random(seed)

    def generate(self) -> None:
        for name in self.STEPS:
            # one generator per step, so that adding a step never changes what the others generate
            self.rng = random.Random(f"{self.seed}:{name}")
            getattr(self, name)()

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

    # funding: the plan's financing tables
    def funding(self) -> None:
        """The plan's lines as written (`financements.csv`), with a synthetic realisation (status, dates, amounts
        received) where due by the demo's end; then the synthetic revision of June 2024, carrying them over."""
        rng = self.rng
        out: list[Record] = []
        for line in self.sources.rows("funding"):
            amount, planned = line["montant_prevu"], line["date_prevue"]
            received_date, received, status = None, None, "planned"
            if planned <= DEMO_END:
                anchor = RECEIVED_MID_YEAR.get(line["code"], planned)
                status, received_date = "received", anchor + dt.timedelta(days=rng.randint(0, 45))
                received = amount
                if line["categorie_apporteur"] == "members":  # subscriptions come in below the plan
                    received = _money(amount * _d(rng.uniform(0.78, 0.97)))
            if line["etat_condition"] == "pending":  # a condition not met yet: nothing paid
                status, received_date, received = "planned", None, None
            if line["code"] in COMMITTED_NOT_RECEIVED:
                status, received_date, received = "committed", None, None
            if received_date and received_date > DEMO_END:
                status, received_date, received = "committed", None, None
            out.append(
                dict(
                    line,
                    statut=status,
                    date_reception=received_date,
                    montant_recu=received,
                    # the line is the plan's, as written; what became of it is generated and says so apart
                    reception_synthetique=status != "planned",
                )
            )
        for record in out:
            self.add("funding", **record)
        # the synthetic revision: the partners' round shrinks and moves to 2025, the rest is carried over
        for record in out:
            revised = dict(
                record,
                version_plan=PLAN_2024,
                synthetique=True,
                source=f"{SYNTHETIC} — révision fictive du plan",
                reception_synthetique=None,
            )
            if record["code"] == REVISED_PARTNERS_ROUND:
                revised.update(
                    montant_prevu=_money(800000),
                    date_prevue=dt.date(2025, 12, 31),
                    periode="2025",
                    statut="committed",
                    note="Révision fictive : 1,25 M€ ramené à 0,8 M€, reporté à 2025.",
                )
            self.add("funding", **revised)

    # equity: plan paths and synthetic actuals
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
        # quasi-equity of GrandsEnsemble, from the plan's lines: SmartBe's current account and the partners'
        # participating round, cumulated; the synthetic actuals follow the plan to 2025
        planned_qe = self.quasi_equity_planned("GRANDSENSEMBLE")
        for year in range(2021, 2026):
            self.obs(
                "QUASI_EQUITY",
                "GRANDSENSEMBLE",
                dt.date(year, 12, 31),
                planned_qe[year],
                source=f"{SYNTHETIC} — d'après le tableau de financement GrandsEnsemble",
            )
        for year in years:
            self.obs(
                "QUASI_EQUITY",
                "GRANDSENSEMBLE",
                dt.date(year, 12, 31),
                planned_qe[year],
                scenario="plan",
                version=PLAN_2021,
                source=f"{PLAN} — tableau de financement GrandsEnsemble",
                synthetic=False,
            )

    def quasi_equity_planned(self, entity: str) -> dict[int, Decimal]:
        """Year → the quasi-equity the plan's lines have brought `entity` by that year's end (€)."""
        quasi = {r["code"] for r in self.sources.rows("instruments") if r["classe"] == "quasi_equity"}
        lines = [r for r in self.sources.rows("funding") if r["beneficiaire"] == entity and r["instrument"] in quasi]
        return {
            year: sum((r["montant_prevu"] for r in lines if r["date_prevue"].year <= year), Decimal(0))
            for year in range(2021, 2032)
        }

    # monthly activity of the French entities
    def monthly_activity(self) -> None:
        base = {"SMARTFR": 5200000, "GRANDSENSEMBLE": 2100000, "ALTERNA": 650000}
        margin_share = {"SMARTFR": 0.62, "GRANDSENSEMBLE": 0.58, "ALTERNA": 0.6}
        # the plan's measure 3 raises GrandsEnsemble's and Alterna's rate from 10 % to 13 % from 2022; SmartFr's own
        # rate is synthetic, and the plan leaves it as it is
        rate_before = {"SMARTFR": Decimal("11.5")} | dict.fromkeys(
            ("GRANDSENSEMBLE", "ALTERNA"), self.sources.figure("PLAN_CONTRIBUTION_RATE_FROM")
        )
        rate_target = {
            r["entite"]: r["valeur"]
            for r in self.sources.rows("plan_targets")
            if r["cible"] == "CONTRIBUTION_RATE" and r["version_plan"] == PLAN_2021
        }
        for entity, monthly in base.items():
            for day in month_ends(dt.date(2021, 1, 1), DEMO_END):
                t = (day.year - 2021) * 12 + day.month
                season = 1 + 0.18 * (1 if day.month in (3, 6, 10, 11, 12) else -0.6 if day.month in (7, 8) else 0)
                growth = (1 + 0.045) ** (t / 12)
                turnover = _money(monthly * season * growth * self.rng.uniform(0.92, 1.08))
                margin = _money(turnover * _d(margin_share[entity] * self.rng.uniform(0.97, 1.03)))
                planned_rate = rate_target[entity] if entity in rate_target and day.year >= 2022 else rate_before[entity]
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

    # bases of the 2 % rule and of the DSO
    def bases(self) -> None:
        # 2 % of these is about what the plan expects members to subscribe each year from 2023 (3,4 M€ over
        # 2023–2031 for SmartFr, 720 k€ for GrandsEnsemble)
        salaries = {"SMARTFR": 18500000, "GRANDSENSEMBLE": 3300000}
        for entity, base in salaries.items():
            for year in range(2021, DEMO_END.year):
                value = _money(base * (1.045 ** (year - 2021)) * self.rng.uniform(0.96, 1.04))
                self.obs("MEMBERS_GROSS_SALARY", entity, dt.date(year, 12, 31), value)
        members_turnover = float(self.sources.observed("MEMBERS_TURNOVER", "SMARTCOOP", REPORT_DAY))
        for day in month_ends(dt.date(2021, 1, 1), DEMO_END):
            monthly = members_turnover / 12 * 1.21 * (1.02 ** (day.year - 2023))  # members' turnover + 21 % VAT
            self.obs("SALES_TTC", "SMARTCOOP", day, _money(monthly * self.rng.uniform(0.85, 1.15)))
        for year, value in ((2022, 33800), (2024, 36200), (2025, 37900)):
            self.obs("REMINDERS_SENT", "SMARTCOOP", dt.date(year, 12, 31), value)

    # weekly cash
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

    # headcount
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
        # SmartCoop: the annual report's 2023 figures, as written
        for record in self.sources.rows("headcount"):
            self.add("headcount", **record)

    # membership per office
    def membership(self) -> None:
        """Each office's members and advisers of the annual report (end 2023), followed by generated years."""
        growth = {2021: 0.9, 2022: 0.95, 2024: 1.03, 2025: 1.05}
        for written in self.sources.rows("membership"):
            self.add("membership", **written)
            code, members, advisers = written["bureau"], written["membres"], written["conseillers"]
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

    # receivables
    def receivables(self) -> None:
        """SmartCoop's open items per snapshot; the one at the report's date totals the balance sheet's trade
        receivables. Its past-due part is generated like every other snapshot's: the report's outstanding under
        reminder (14,5 M€) is what the year's reminders were about, not a past-due balance at a date, and a
        generated figure beside it must not pass for it."""
        snapshots = [month_end(y, m) for y in range(2022, 2027) for m in (3, 6, 9, 12) if month_end(y, m) <= DEMO_END]
        snapshots += list(week_ends(DEMO_END - dt.timedelta(days=49), DEMO_END))
        offices = [(r["bureau"], r["membres"]) for r in self.sources.rows("membership") if r["fin_periode"] == REPORT_DAY]
        reported_total = self.sources.observed("TRADE_RECEIVABLES", "SMARTCOOP", REPORT_DAY)
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
            total = reported_total if as_of == REPORT_DAY else _money(float(reported_total) * self.rng.uniform(0.9, 1.08))
            overdue = _money(total * _d(self.rng.uniform(0.52, 0.66)))
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

    # plan execution: creditors' instalments and liquidity
    def plan_execution(self) -> None:
        """A plausible, synthetic creditor schedule (the plan document gives none) for the fictitious claims written
        in `creances_admises.csv`, and the liquidity test's inputs. Instalments fall on the plan's anniversary
        (15 November) from 2022: 2, 3, 5, 5, 5, 10, 10, 15, 20, 25 % — from the 3rd at least 5 %, from the 6th at
        least 10 % (L626-18)."""
        schedule = [2, 3, 5, 5, 5, 10, 10, 15, 20, 25]
        for claim in self.sources.rows("creditor_claims"):
            code, admitted, option = claim["code"], claim["montant_admis"], claim["option"]
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
                self.add(
                    "instalments",
                    creance=code,
                    rang=seq,
                    date_echeance=due,
                    pct_creance=_d(pct),
                    montant_du=amount,
                    montant_paye=paid,
                    paye_le=paid_on,
                    source=claim["source"],
                    synthetique=True,
                )
        for entity, lines, debts in (("SMARTFR", 500000, 1500000), ("GRANDSENSEMBLE", 150000, 420000)):
            for day in month_ends(dt.date(2021, 1, 1), DEMO_END):
                self.obs("CREDIT_LINES", entity, day, lines if day.year >= 2022 else lines // 2)
                self.obs("DEBTS_DUE", entity, day, _money(debts * self.rng.uniform(0.85, 1.15)))

    # meetings
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
