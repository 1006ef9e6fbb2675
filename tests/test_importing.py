"""The loader: one transaction per file, idempotent upserts, history of corrected values."""

import datetime as dt
import gc
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from smartdash import models as m
from smartdash.db import session_scope
from smartdash.formats import FileRefused
from smartdash.importing import collector_paused, import_files
from smartdash.metrics.receivables import ageing_bucket
from smartdash.web.loads import problems_table

ENTITIES = "code;nom;pays;forme_juridique;sous_plan\nSMARTFR;SmartFr;FR;Coopérative;oui\nSMARTCOOP;SmartCoop;BE;Coop;non\n"
OFFICES = "code;nom;region;entite\nGAND;Gand;Flandre;SMARTCOOP\n"
INDICATORS = (
    "code;libelle_fr;libelle_en;unite;sens;frequence;seuil_orange;seuil_rouge;cle\n"
    "EQUITY;Capitaux propres;Equity;EUR;hausse;annuelle;5;10;oui\n"
)
OBSERVATIONS = (
    "indicateur;entite;fin_periode;scenario;valeur;source\n"
    "EQUITY;SMARTFR;31/12/2023;réel;-4 123 456,78 €;Comptes 2023\n"
    "EQUITY;SMARTFR;31/12/2024;réel;-3 900 000;Comptes 2024\n"
)


def load(store, *files, **kw):
    return import_files(store.engine, [(name, text.encode("utf-8")) for name, text in files], loaded_by="test", **kw)


def reference(store):
    load(store, ("entites.csv", ENTITIES), ("bureaux.csv", OFFICES), ("indicateurs.csv", INDICATORS))


def snapshot(engine) -> dict:
    """Everything in the fact tables, for 'the store is unchanged' assertions."""
    with session_scope(engine) as s:
        return {t.name: sorted(tuple(map(str, r)) for r in s.execute(select(t)).all()) for t in m.Base.metadata.sorted_tables}


def test_a_file_is_loaded_and_recorded(store):
    reference(store)
    [result] = load(store, ("observations.csv", OBSERVATIONS))
    assert (result.inserted, result.updated, result.unchanged) == (2, 0, 0)
    with session_scope(store.engine) as s:
        values = s.scalars(select(m.Observation.value).order_by(m.Observation.period_end)).all()
        load_row = s.get(m.DataLoad, result.load_id)
    assert values == [Decimal("-4123456.78"), Decimal("-3900000")]
    assert (load_row.file_name, load_row.loaded_by, load_row.kind) == ("observations.csv", "test", "observations")
    assert len(load_row.checksum) == 64


def test_loading_the_same_file_again_changes_nothing(store):
    reference(store)
    load(store, ("observations.csv", OBSERVATIONS))
    before = snapshot(store.engine)
    [again] = load(store, ("observations.csv", OBSERVATIONS))
    assert again.load_id is None and again.unchanged == 2
    assert snapshot(store.engine) == before


def test_a_corrected_value_replaces_the_old_one_which_stays_in_history(store):
    reference(store)
    [first] = load(store, ("observations.csv", OBSERVATIONS))
    corrected = OBSERVATIONS.replace("-3 900 000", "-3 850 000")
    [second] = load(store, ("observations-v2.csv", corrected))
    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    with session_scope(store.engine) as s:
        current = s.scalar(select(m.Observation).where(m.Observation.period_end == dt.date(2024, 12, 31)))
        change = s.scalar(select(m.LoadChange).where(m.LoadChange.load_id == second.load_id))
    assert current.value == Decimal("-3850000") and current.load_id == second.load_id
    before = json.loads(change.before)
    assert (change.action, change.row_id) == ("update", current.id)
    assert Decimal(before["value"]) == Decimal("-3900000") and before["load_id"] == first.load_id


def test_a_file_with_problems_changes_nothing_and_reports_every_one(store):
    reference(store)
    load(store, ("observations.csv", OBSERVATIONS))
    before = snapshot(store.engine)
    bad = (
        OBSERVATIONS
        + "EQUITY;NOWHERE;31/12/2025;réel;1;x\n"  # unknown entity
        + "UNKNOWN;SMARTFR;31/12/2025;réel;1;x\n"  # unknown indicator
        + "EQUITY;SMARTFR;31/12/2025;plan;1;x\n"
    )  # plan without version
    bad = bad.replace("-3 900 000", "-3 800 000")  # a valid change that must not be written either
    with pytest.raises(FileRefused) as refused:
        load(store, ("bad.csv", bad))
    problems = {(p.row, p.column) for p in refused.value.problems}
    assert problems == {(4, "entite"), (5, "indicateur"), (6, "version_plan")}
    assert snapshot(store.engine) == before
    # each problem is a message, shown in the reader's language
    english = problems_table(refused.value.problems, "en")
    assert list(english["Expected"]) == [
        "the code of a known entity",
        "the code of an indicator of the catalogue",
        "the code of the plan version (required for the plan scenario)",
    ]
    assert list(problems_table(refused.value.problems, "fr")["Attendu"]) == [
        "le code d'une entité connue",
        "le code d'un indicateur du catalogue",
        "le code de la version du plan (obligatoire pour le scénario plan)",
    ]


def test_several_files_load_all_or_nothing(store):
    reference(store)
    before = snapshot(store.engine)
    with pytest.raises(FileRefused):
        load(store, ("observations.csv", OBSERVATIONS), ("bad.csv", "bureau;fin_periode;membres\nGAND;x;1\n"))
    assert snapshot(store.engine) == before


def test_an_office_must_belong_to_the_entity_it_is_reported_for(store):
    reference(store)
    text = "indicateur;entite;bureau;fin_periode;scenario;valeur\nEQUITY;SMARTFR;GAND;31/12/2023;réel;1\n"
    with pytest.raises(FileRefused) as refused:
        load(store, ("o.csv", text))
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "bureau", "GAND")


def test_the_same_figures_saved_the_french_or_the_plain_way_load_identically(store):
    reference(store)
    plain = (
        "indicator,entity,period_end,scenario,value\n"
        "EQUITY,SMARTFR,2023-12-31,actual,-4123456.78\nEQUITY,SMARTFR,2024-12-31,actual,-3900000\n"
    )
    load(store, ("plain.csv", plain))
    french = (
        "\ufeffindicateur;entite;fin_periode;scenario;valeur\n"
        "EQUITY;SMARTFR;31/12/2023;Réel;-4\u202f123\u202f456,78\u00a0€\n"
        "EQUITY;SMARTFR;31/12/2024;réel;-3 900 000,00 €\n"
    )
    [again] = load(store, ("french.csv", french))
    assert (again.load_id, again.unchanged) == (None, 2)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-10, "not_due"),
        (0, "not_due"),
        (1, "d1_30"),
        (30, "d1_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (90, "d61_90"),
        (91, "d90_plus"),
    ],
)
def test_ageing_buckets_at_their_boundaries(days, bucket):
    assert ageing_bucket(days) == bucket


def test_receivables_are_pre_aggregated_by_ageing_bucket_at_load(store):
    reference(store)
    items = (
        "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n"
        "31/03/2024;SMARTCOOP;GAND;A;F1;01/03/2024;31/03/2024;100,00\n"  # due today: not due
        "31/03/2024;SMARTCOOP;GAND;B;F2;01/01/2024;01/03/2024;200,50\n"  # 30 days
        "31/03/2024;SMARTCOOP;GAND;C;F3;01/01/2024;29/02/2024;300,25\n"  # 31 days
        "31/03/2024;SMARTCOOP;;D;F4;01/10/2023;01/12/2023;400,00\n"
    )  # 121 days, no office
    load(store, ("creances.csv", items))
    with session_scope(store.engine) as s:
        rows = s.execute(
            select(
                m.ReceivableAgeing.bucket, m.ReceivableAgeing.office_id, m.ReceivableAgeing.items, m.ReceivableAgeing.amount
            ).order_by(m.ReceivableAgeing.bucket)
        ).all()
        total = s.scalar(select(func.sum(m.ReceivableItem.amount_open)))
    assert [(b, n, a) for b, _o, n, a in rows] == [
        ("d1_30", 1, Decimal("200.50")),
        ("d31_60", 1, Decimal("300.25")),
        ("d90_plus", 1, Decimal("400.00")),
        ("not_due", 1, Decimal("100.00")),
    ]
    assert sum(a for *_x, a in rows) == total == Decimal("1000.75")


def test_the_garbage_collector_is_paused_during_loads_and_restored_as_it_was():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # a second load at the same time (another session)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first load still runs
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a refused file")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # disabled before: left disabled
    finally:
        gc.enable()


def test_bulk_insert_stores_what_sqlalchemy_insert_stores(store):
    """bulk_insert binds columns in bulk (distinct values once, money by C-level passes): the stored values are the
    ones SQLAlchemy's own executemany stores, read back raw from the driver."""
    from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, insert

    from smartdash.importing import bulk_insert
    from smartdash.models import Fixed

    metadata = MetaData()
    tables = [
        Table(
            name,
            metadata,
            Column("id", Integer, primary_key=True),
            Column("day", Date),
            Column("at", DateTime),
            Column("amount", Fixed(2)),
            Column("rate", Fixed(4)),
            Column("flag", Boolean),
            Column("n", BigInteger),
            Column("label", String(20)),
        )
        for name in ("bulk_a", "bulk_b")
    ]
    days = [dt.date(2024, 1, 31), dt.date(2024, 2, 29), None]
    rows = [
        {
            "day": days[i % 3],
            "at": dt.datetime(2024, 3, 1, 12, 30, i % 7),
            "amount": [Decimal("1234.5"), Decimal(i), Decimal("0.005"), None, 7][i % 5],
            "rate": Decimal(i) / 8,
            "flag": bool(i % 2),
            "n": i % 3,
            "label": f"L{i % 4}",
        }
        for i in range(60)
    ]
    with store.engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(insert(tables[0]), [dict(r) for r in rows])
        bulk_insert(conn, tables[1], [dict(r) for r in rows])
        stored = [
            conn.exec_driver_sql("SELECT day, at, amount, rate, flag, n, label FROM bulk_a ORDER BY id").all(),
            conn.exec_driver_sql("SELECT day, at, amount, rate, flag, n, label FROM bulk_b ORDER BY id").all(),
        ]
        metadata.drop_all(conn)
    assert stored[1] == stored[0]
    assert [r[2] for r in stored[1][:5]] == [123450, 100, 0, None, 700]  # cents; 0,005 → 0 (half to even)
