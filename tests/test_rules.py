"""The attention rules' registry (smartdash.views.rules): every registered rule fires where its matter is and stays
quiet where it is not, and whatever a rule finds reaches the e-mail alerts without more code."""

from __future__ import annotations

import datetime as dt

import pytest

from smartdash import alerts
from smartdash.config import load_settings
from smartdash.db import session_scope
from smartdash.demo import load_demo
from smartdash.i18n import Text
from smartdash.importing import import_files
from smartdash.views import Filters, rules
from smartdash.views import overview as ov
from tests.test_mail import account, mailbox, write_config  # noqa: F401 (mailbox is a fixture)

LATEST, VERSION = dt.date(2026, 11, 22), "PLAN-2024-06"
# Restated figures loaded over the demo where the demo itself never raises a matter: Alterna's equity negative in
# 2025 although the plan has it positive from 2021, SmartFr's share capital down to 1 € (under ¼ of its peak), a third
# instalment of 1 % of its claim (the L626-18 minimum is 5 %).
TROUBLES = [
    (
        "observations.csv",
        "indicateur;entite;fin_periode;scenario;version_plan;valeur\n"
        "EQUITY;ALTERNA;31/12/2025;réel;;-100000\nSHARE_CAPITAL;SMARTFR;31/12/2025;réel;;1\n",
    ),
    ("echeancier.csv", "creance;rang;date_echeance;pct_creance;montant_du\nSFR-DGFIP;3;30/06/2030;1;3800,00\n"),
]
# Each registered rule: where it fires (on the demo, or with TROUBLES loaded over it) and where it stays quiet (the
# demo as it is). A rule registered without its case here fails the first test.
CASES: dict[str, tuple[bool, Filters, Filters]] = {
    "indicator": (
        False,
        Filters("SMARTFR", dt.date(2021, 12, 31), "previous", "PLAN-2021-11"),
        Filters("SMARTCOOP", LATEST, "previous", VERSION),
    ),
    "late_contribution": (
        False,
        Filters("SMARTFR", dt.date(2024, 12, 31), "previous", "PLAN-2021-11"),
        Filters("SMARTFR", dt.date(2021, 12, 31), "previous", "PLAN-2021-11"),
    ),
    "pending_condition": (
        False,
        Filters("SMARTFR", dt.date(2022, 12, 31), "previous", "PLAN-2021-11"),
        Filters("ALTERNA", dt.date(2022, 12, 31), "previous", "PLAN-2021-11"),
    ),
    "coverage": (
        False,
        Filters("SMARTFR", dt.date(2023, 8, 31), "previous", "PLAN-2021-11"),
        Filters("SMARTFR", dt.date(2021, 12, 31), "previous", "PLAN-2021-11"),
    ),
    "equity_negative": (True, Filters("ALTERNA", LATEST, "previous", VERSION), Filters("ALTERNA", LATEST, "previous", VERSION)),
    "late_instalment": (
        False,
        Filters("SMARTFR", LATEST, "previous", VERSION),
        Filters("SMARTFR", dt.date(2026, 11, 14), "previous", VERSION),
    ),
    "cessation": (
        False,
        Filters("SMARTFR", dt.date(2021, 12, 31), "previous", "PLAN-2021-11"),
        Filters("SMARTCOOP", dt.date(2021, 12, 31), "previous", "PLAN-2021-11"),
    ),
    "capital_floor": (True, Filters("SMARTFR", LATEST, "previous", VERSION), Filters("SMARTFR", LATEST, "previous", VERSION)),
    "l626_minimum": (True, Filters("SMARTFR", LATEST, "previous", VERSION), Filters("SMARTFR", LATEST, "previous", VERSION)),
}


@pytest.fixture(scope="module")
def troubled(tmp_path_factory):
    from smartdash import schema
    from smartdash.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('troubled') / 'smartdash.db'}")
    schema.upgrade(engine)
    load_demo(engine)
    import_files(engine, [(name, data.encode()) for name, data in TROUBLES], loaded_by="test")
    yield engine
    engine.dispose()


def found(engine, key: str, filters: Filters) -> list[ov.Attention]:
    with session_scope(engine) as s:
        ctx = rules.AttentionContext(s, filters, ov.overview_tiles(session=s, filters=filters))
        return rules.RULES[key].detect(ctx)


def test_every_registered_rule_has_a_case():
    assert set(CASES) == set(rules.RULES), "give each registered attention rule where it fires and where it does not"


@pytest.mark.parametrize("key", list(rules.RULES))
def test_every_registered_rule_fires_on_its_matter_and_only_there(key, demo_store, troubled):
    with_troubles, fires, quiet = CASES[key]
    raised = found(troubled if with_troubles else demo_store.engine, key, fires)
    assert raised, f"{key} found nothing where its matter is"
    assert all(item.key and item.entity and item.severity in ("red", "amber") for item in raised)
    assert all(item.text.render("fr") != item.text.render("en") for item in raised)
    assert found(demo_store.engine, key, quiet) == []


def test_a_new_attention_rule_sends_an_alert(store, mailbox, tmp_path, monkeypatch):  # noqa: F811
    box, port = mailbox
    load_demo(store.engine)
    account(store.engine, "suivi", "viewer", what="alerts")
    settings = load_settings(write_config(tmp_path / "config.toml", store.url, port))
    monkeypatch.setattr(rules, "RULES", dict(rules.RULES))
    firing = {"on": False}

    @rules.attention_rule("a_new_matter")
    def _new_matter(ctx):
        if not firing["on"] or ctx.filters.entity != "SMARTFR":
            return []
        said = Text("A new matter for {name}", {"name": ctx.names["SMARTFR"]})
        return [ov.Attention("red", said, "overview", "a_new_matter:SMARTFR", "SMARTFR")]

    day = dt.date(2026, 11, 10)
    alerts.run_alerts(store.engine, as_of=day, settings=settings, by="cron", send=True)  # the baseline
    firing["on"] = True
    report = alerts.run_alerts(store.engine, as_of=day, settings=settings, by="cron", send=True)
    assert [(c.key, c.kind, c.entity) for c in report.raised] == [("a_new_matter:SMARTFR", "a_new_matter", "SMARTFR")]
    assert report.sent == [("suivi", 1)]
    [message] = box.to("suivi@test.example")
    assert message["Subject"] == "smartdash — alerte : A new matter for SmartFr"


def test_a_first_run_that_finds_nothing_is_still_the_baseline(store, mailbox, tmp_path, monkeypatch):  # noqa: F811
    """A store where no rule finds anything has had its first run: what a later run finds is raised."""
    _box, port = mailbox
    settings = load_settings(write_config(tmp_path / "config.toml", store.url, port))
    first = alerts.run_alerts(store.engine, as_of=LATEST, settings=settings, by="cron", send=True)
    second = alerts.run_alerts(store.engine, as_of=LATEST, settings=settings, by="cron", send=True)
    assert first.baseline and not second.baseline
