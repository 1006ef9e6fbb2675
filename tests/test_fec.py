"""The ledger export (FEC): checks with line and column, figures derived from the books against hand-computed
values, one load with its history and undo, the reconciliation with other files, the account mapping."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from smartdash import cli, fec, fec_mapping
from smartdash import models as m
from smartdash.config import DEMO_DIR
from smartdash.db import session_scope
from smartdash.demo import demo_file_name
from smartdash.fec_mapping import PCG_DEFAULT, Mapping, MappingError, Rule
from smartdash.formats import FileRefused
from smartdash.i18n import render
from smartdash.importing import import_files, preview_file, undo_load
from tests.conftest import login
from tests.fec_factory import BOOK, EXPECTED, EXPECTED_GROSS_MARGIN, EXPECTED_OPEN, EXPECTED_TURNOVER, K, Line, fec_bytes
from tests.test_loading import ROOT, snapshot

NAME = "123456782FEC20231231.txt"  # a made-up SIREN with a valid checksum
END_2023 = dt.date(2023, 12, 31)
TABLES = ["ledger_balance", "observation", "receivable_item", "receivable_ageing", "data_load", "load_change"]


@pytest.fixture
def reference(store):
    """A store with the demo's reference data (entities, offices, catalogue, plan versions, instruments)."""
    files = [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
    ]
    import_files(store.engine, files, loaded_by="test")
    return store


def load_book(engine, data=None, name=NAME, **kw):
    return import_files(engine, [(name, fec_bytes(BOOK) if data is None else data)], loaded_by="compta", **kw)


def figures_of(data: bytes, as_of=END_2023) -> dict:
    mapping = Mapping(PCG_DEFAULT)
    ledger = fec.read_ledger(
        "x.txt", data, as_of=as_of, receivable=lambda a: mapping.rule_for("TRADE_RECEIVABLES", a.decode()) is not None
    )
    return {(f.indicator, f.period_end.isoformat()): Decimal(f.cents).scaleb(-2) for f in fec.derive(ledger, mapping, as_of)}


def refusal(data: bytes, as_of=END_2023) -> list[tuple]:
    with pytest.raises(FileRefused) as refused:
        fec.read_ledger("x.txt", data, as_of=as_of, receivable=lambda a: False)
    return [(p.row, p.column, render("fr", p.value), render("fr", p.expected)) for p in refused.value.problems]


def counts(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return {t: s.scalar(select(func.count()).select_from(m.Base.metadata.tables[t])) for t in TABLES}


def observed(engine, indicator: str, day=END_2023, entity="SMARTFR"):
    o = m.Observation
    with session_scope(engine) as s:
        return s.execute(
            select(o.value, o.source, o.load_id)
            .join(m.Indicator)
            .join(m.Entity)
            .where(m.Indicator.code == indicator, m.Entity.code == entity, o.period_end == day, o.scenario == "actual")
        ).one_or_none()


# --------------------------------------------------------------------------- reading and checking


@pytest.mark.parametrize("signed", [False, True], ids=["debit-credit", "montant-sens"])
@pytest.mark.parametrize("separator", ["|", "\t"], ids=["pipe", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1"])
def test_every_form_of_the_file_gives_the_hand_computed_figures(signed, separator, encoding):
    data = fec_bytes(
        BOOK, separator=separator, encoding=encoding, signed=signed, newline="\r\n" if encoding == "iso-8859-1" else "\n"
    )
    if encoding == "iso-8859-1":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really another encoding, not UTF-8 in disguise
    figures = figures_of(data)
    for indicator, euros in EXPECTED.items():
        assert figures[(indicator, "2023-12-31")] == euros, indicator
    assert {day: value for (code, day), value in figures.items() if code == "TURNOVER"} == EXPECTED_TURNOVER
    assert {day: value for (code, day), value in figures.items() if code == "GROSS_MARGIN"} == EXPECTED_GROSS_MARGIN
    assert ("PROVISIONS", "2023-12-31") not in figures  # no account 15 in these books: unknown, not zero


def test_labels_are_read_in_the_files_encoding():
    for encoding in ("utf-8", "iso-8859-1"):
        ledger = fec.read_ledger(
            "x.txt", fec_bytes(BOOK, encoding=encoding), as_of=END_2023, receivable=lambda a: a.startswith(b"411")
        )
        assert ledger.encoding == encoding
        assert {ledger.text(v[2]) for v in ledger.open_items.values()} == {"Client Alpha", "Client Bêta", "Client Gamma"}


def test_a_byte_order_mark_and_a_separator_ending_every_line_are_accepted():
    text = fec_bytes(BOOK).decode()
    data = b"\xef\xbb\xbf" + "\n".join(line + "|" for line in text.splitlines()).encode() + b"\n"
    assert fec.recognised(data)
    assert figures_of(data)[("EQUITY", "2023-12-31")] == EXPECTED["EQUITY"]


def test_an_unbalanced_entry_is_refused_on_its_first_line():
    book = [e if e[1] != "9" else (e[0], e[1], e[2], [*e[3][:2], Line("445710", "TVA collectée", credit=K(990))]) for e in BOOK]
    problems = refusal(fec_bytes(book))
    first_line = 2 + sum(len(e[3]) for e in BOOK[:8])  # header on line 1; entry 9 is the ninth
    assert problems == [
        (first_line, "EcritureNum", "VE / 9", "une écriture équilibrée (débits = crédits) ; écart débit − crédit : 10,00\u00a0€")
    ]
    with pytest.raises(FileRefused) as refused:  # the English interface reads it in English
        fec.read_ledger("x.txt", fec_bytes(book), as_of=END_2023, receivable=lambda a: False)
    assert refused.value.problems[0].line("en").endswith("a balanced entry (debits = credits); debit − credit gap: 10,00\u00a0€")


def test_an_entry_split_in_two_places_is_balanced_over_all_its_lines():
    moved = [
        BOOK[0],
        (BOOK[2][0], BOOK[2][1], BOOK[2][2], BOOK[2][3][:1]),
        BOOK[1],
        (BOOK[2][0], BOOK[2][1], BOOK[2][2], BOOK[2][3][1:]),
        *BOOK[3:],
    ]
    assert figures_of(fec_bytes(moved))[("EQUITY", "2023-12-31")] == EXPECTED["EQUITY"]


def _replace(field: int, value: str, line: int = 3) -> bytes:
    """The book with one field of one line (1 = the header) replaced."""
    lines = fec_bytes(BOOK).decode().split("\n")
    cells = lines[line - 1].split("|")
    cells[field] = value
    lines[line - 1] = "|".join(cells)
    return "\n".join(lines).encode()


MALFORMED = [
    (
        "columns out of order",
        _replace(11, "Credit", 1).replace(b"|Credit|Credit|", b"|Credit|Debit|"),
        (1, "Debit", "Credit", "la colonne n° 12 « Debit »"),
    ),
    (
        "missing column",
        b"\n".join([b"|".join(fec_bytes(BOOK).split(b"\n")[0].split(b"|")[:17])] + fec_bytes(BOOK).split(b"\n")[1:]),
        (1, None, "17 colonnes", "les 18 colonnes"),
    ),
    ("field count", _replace(17, "EUR|de trop"), (3, None, "19 champs", "18 champs séparés par des « | »")),
    ("decimal point", _replace(12, "100000.00"), (3, "Credit", "100000.00", "un montant à virgule décimale")),
    ("thousands separator", _replace(12, "100 000,00"), (3, "Credit", "100 000,00", "virgule décimale")),
    ("three decimals", _replace(12, "100000,001"), (3, "Credit", "100000,001", "virgule décimale")),
    ("impossible date", _replace(3, "20230230"), (3, "EcritureDate", "20230230", "une date AAAAMMJJ")),
    ("french date", _replace(9, "01/01/2023"), (3, "PieceDate", "01/01/2023", "une date AAAAMMJJ")),
    ("after the closing date", _replace(3, "20240102"), (3, "EcritureDate", "20240102", "exercice clos le 31/12/2023")),
    ("too early", _replace(3, "20211231"), (3, "EcritureDate", "20211231", "au plus tôt")),
    ("missing account", _replace(4, ""), (3, "CompteNum", "", "champ obligatoire")),
    ("missing validation date", _replace(15, ""), (3, "ValidDate", "", "champ obligatoire")),
]


@pytest.mark.parametrize("data, expected", [(d, e) for _n, d, e in MALFORMED], ids=[n for n, *_ in MALFORMED])
def test_a_malformed_file_is_refused_with_line_and_column(data, expected):
    problems = refusal(data)
    row, column, value, fragment = expected
    assert any(p[0] == row and p[1] == column and p[2] == value and fragment in p[3] for p in problems), problems


def test_a_bad_sense_in_the_montant_sens_form_is_refused():
    lines = fec_bytes(BOOK, signed=True).decode().split("\n")
    lines[4] = lines[4].replace("|C|", "|X|")
    problems = refusal("\n".join(lines).encode())
    assert (5, "Sens", "X", "D (débit) ou C (crédit)") in problems


def test_the_last_entry_date_closes_the_period_when_the_name_has_none():
    late = _replace(3, "20210101", line=2)  # the first line, two years before the last entry (31/12/2023)
    problems = refusal(late, as_of=None)
    assert problems[0][:3] == (2, "EcritureDate", "20210101")
    assert "clos le 31/12/2023 (dernière date d'écriture)" in problems[0][3]


def test_only_the_first_problems_are_listed_and_the_rest_counted():
    lines = fec_bytes(BOOK).decode().split("\n")
    bad = [lines[0]] + [lines[1].replace("20230101|101000", "2023|101000")] * (fec.MAX_PROBLEMS + 7)
    problems = refusal("\n".join(bad).encode())
    assert len(problems) == fec.MAX_PROBLEMS + 1
    assert problems[-1][2] == "8 autres problèmes"  # 7 more dates, and the entry these lines make is unbalanced


def test_the_period_start_is_24_months_back():
    assert fec._period_start(dt.date(2023, 12, 31)) == dt.date(2022, 1, 1)
    assert fec._period_start(dt.date(2024, 2, 29)) == dt.date(2022, 3, 1)


def test_a_ledger_export_is_recognised_by_its_header_only():
    assert fec.recognised(fec_bytes(BOOK)) and fec.recognised(fec_bytes(BOOK, separator="\t"))
    assert not fec.recognised(b"indicateur;entite;fin_periode\n")
    assert not fec.recognised(b"JournalCode;JournalLib\n")


# --------------------------------------------------------------------------- loading


def test_the_books_figures_are_loaded_as_one_load_with_the_file_as_source(reference):
    engine = reference.engine
    data = fec_bytes(BOOK)
    [result] = load_book(engine, entity="SMARTFR")
    with session_scope(engine) as s:
        load = s.get(m.DataLoad, result.load_id)
        assert (load.kind, load.file_name, load.loaded_by, load.status) == ("fec", NAME, "compta", "applied")
        assert load.checksum == hashlib.sha256(data).hexdigest()
        monthly = len(EXPECTED_TURNOVER) + len(EXPECTED_GROSS_MARGIN)
        assert load.rows_inserted == result.inserted == 17 + 3 + len(EXPECTED) + monthly
    for indicator, euros in EXPECTED.items():
        value, source, load_id = observed(engine, indicator)
        assert (value, load_id) == (euros, result.load_id), indicator
        assert source.startswith(f"{NAME} (FEC) — comptes "), source
    assert observed(engine, "EQUITY")[1] == f"{NAME} (FEC) — comptes 10, 11, 12, 13, 14, 6, 7"
    assert observed(engine, "TURNOVER", dt.date(2023, 3, 31))[0] == 10_000
    assert observed(engine, "GROSS_MARGIN", dt.date(2023, 6, 30))[0] == -3_000


def test_the_open_items_are_the_unlettered_customer_lines_aged_with_the_payment_term(reference):
    load_book(reference.engine, entity="SMARTFR")
    r, a = m.ReceivableItem, m.ReceivableAgeing
    with session_scope(reference.engine) as s:
        items = {
            i.invoice_no: (i.client, i.invoice_date.isoformat(), i.due_date.isoformat(), i.amount_open)
            for i in s.scalars(select(r).where(r.as_of == END_2023))
        }
        ageing = dict(s.execute(select(a.bucket, a.amount).where(a.as_of == END_2023)).all())
    assert items == EXPECTED_OPEN
    assert sum(v[3] for v in items.values()) == EXPECTED["TRADE_RECEIVABLES"]  # the unlettered lines make 411
    assert ageing == {"not_due": 7_400, "d90_plus": 1_200}  # F004 was due 30/09/2023: 92 days late


def test_the_entitys_payment_term_comes_from_the_settings(reference, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{reference.url}"\n[receivables]\npayment_term_days = 30\n'
        "[receivables.payment_terms]\nSMARTFR = 45\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SMARTDASH_CONFIG", str(config))
    load_book(reference.engine, entity="SMARTFR")
    with session_scope(reference.engine) as s:
        due = s.scalar(select(m.ReceivableItem.due_date).where(m.ReceivableItem.invoice_no == "F004"))
    assert due == dt.date(2023, 8, 1) + dt.timedelta(days=45)


def test_the_trial_balance_is_stored_per_account(reference):
    load_book(reference.engine, entity="SMARTFR")
    with session_scope(reference.engine) as s:
        balance = fec.trial_balance(session=s, entity="SMARTFR", as_of=END_2023)
        dates = fec.ledger_dates(session=s)
    rows = balance.set_index("account")
    assert len(rows) == 17 and sum(rows["debit"]) == sum(rows["credit"]) == 250_000
    assert (rows.loc["512000", "debit"], rows.loc["512000", "credit"], rows.loc["512000", "balance"]) == (178_000, 8_300, 169_700)
    assert rows.loc["706000", "label"] == "Prestations de services"
    assert list(dates["entity"]) == ["SMARTFR"] and list(dates["accounts"]) == [17]


def test_loading_the_same_file_again_changes_nothing(reference):
    load_book(reference.engine, entity="SMARTFR")
    before = counts(reference.engine)
    [again] = load_book(reference.engine, entity="SMARTFR")
    assert again.load_id is None and again.unchanged == again.summary.accounts + len(again.summary.figures) + 3
    assert counts(reference.engine) == before


def test_a_refused_file_leaves_the_store_unchanged(reference):
    load_book(reference.engine, entity="SMARTFR")
    before, content = counts(reference.engine), snapshot(reference.engine)
    unbalanced = fec_bytes(BOOK).replace(b"|0,00|2000,00|", b"|0,00|2000,01|", 1)
    with pytest.raises(FileRefused) as refused:
        import_files(
            reference.engine,
            [("other.csv", b"bureau;fin_periode;membres\nGAND;31/12/2024;3\n"), (NAME, unbalanced)],
            loaded_by="compta",
            entity="SMARTFR",
        )
    [problem] = refused.value.problems
    assert (problem.file, problem.row, problem.column) == (NAME, 10, "EcritureNum")  # the sale of 15/03/2023
    assert counts(reference.engine) == before and snapshot(reference.engine) == content  # the CSV was not kept


def test_undo_of_an_fec_load_restores_exactly_and_the_reconciliation_shows_both_values(reference):
    engine = reference.engine
    [provisional, _] = import_files(
        engine,
        [
            (
                "observations.csv",
                "indicateur;entite;fin_periode;scenario;valeur;source\n"
                "EQUITY;SMARTFR;31/12/2023;réel;90 000;Bilan 2023 provisoire\n".encode(),
            ),
            (
                "creances.csv",
                b"date_situation;entite;client;facture;date_facture;date_echeance;montant_du\n"
                b"31/12/2023;SMARTFR;Client Ancien;X1;01/10/2023;30/11/2023;700\n",
            ),
        ],
        loaded_by="direction",
    )
    before = snapshot(engine)
    with session_scope(engine) as s:
        ledger_rows = s.scalar(select(func.count()).select_from(m.LedgerBalance))
    # X1, the whole of the stored snapshot, is no longer open in the books: a removal confirmed
    [result] = load_book(engine, entity="SMARTFR", allow_large_removal=True)
    assert (result.updated, result.deleted) == (1, 1)  # EQUITY replaced, X1 no longer open in the books
    with session_scope(engine) as s:
        frame = fec.reconciliation(session=s)
    [row] = frame.to_dict("records")
    assert (row["indicator"], row["entity"], row["period_end"]) == ("EQUITY", "SMARTFR", END_2023)
    assert (row["fec_value"], row["other_value"], row["difference"]) == (96_500, 90_000, 6_500)
    assert row["fec_source"].startswith(f"n° {result.load_id} — {NAME}")
    assert row["other_source"].startswith(f"n° {provisional.load_id} — observations.csv")
    assert undo_load(engine, result.load_id, undone_by="compta") == result.inserted + 2
    assert snapshot(engine) == before
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.LedgerBalance)) == ledger_rows == 0
        assert fec.reconciliation(session=s).empty


def test_a_file_loaded_after_the_fec_is_reconciled_with_it(reference):
    engine = reference.engine
    [ledger] = load_book(engine, entity="SMARTFR")
    [other] = import_files(
        engine,
        [("capitaux.csv", "indicateur;entite;fin_periode;scenario;valeur\nEQUITY;SMARTFR;31/12/2023;réel;96 000\n".encode())],
        loaded_by="direction",
    )
    with session_scope(engine) as s:
        [row] = fec.reconciliation(session=s).to_dict("records")
    assert (row["fec_value"], row["other_value"], row["difference"]) == (96_500, 96_000, 500)
    assert row["other_source"].startswith(f"n° {other.load_id} — capitaux.csv")
    assert row["fec_source"].startswith(f"n° {ledger.load_id} — {NAME}")


def test_the_entity_is_found_by_the_siren_in_the_file_name(reference):
    engine = reference.engine
    entities = (
        (DEMO_DIR / "entites.csv")
        .read_text(encoding="utf-8")
        .replace("SMARTFR;SmartFr;fr;Société coopérative;oui;1;", "SMARTFR;SmartFr;fr;Société coopérative;oui;1;123456782")
    )
    import_files(engine, [("entites.csv", entities.encode())], loaded_by="test")
    [result] = load_book(engine)
    assert result.summary.entity == "SMARTFR" and observed(engine, "EQUITY")[0] == EXPECTED["EQUITY"]
    for name, entity, expected in [
        ("987654324FEC20231231.txt", None, "le SIREN d'une entité"),
        ("grand-livre.txt", None, "un nom {SIREN}FEC{AAAAMMJJ}.txt"),
        ("987654324FEC20231231.txt", "SMARTFR", "le SIREN de SMARTFR (123456782)"),
        (NAME, "NULLE_PART", "le code d'une entité connue"),
    ]:
        with pytest.raises(FileRefused) as refused:
            preview_file(engine, name, fec_bytes(BOOK), entity=entity)
        assert expected in render("fr", refused.value.problems[0].expected), name


def test_an_entity_siren_needs_a_right_checksum(reference):
    entities = "code;nom;pays;forme_juridique;siren\nCOOP;Coopérative;FR;Scop;123456789\n"
    with pytest.raises(FileRefused) as refused:
        import_files(reference.engine, [("entites.csv", entities.encode())], loaded_by="test")
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "siren", "123456789")


def test_the_preview_writes_nothing_and_says_what_the_books_give(reference):
    before = counts(reference.engine)
    diff, preview = preview_file(reference.engine, NAME, fec_bytes(BOOK), entity="SMARTFR")
    assert counts(reference.engine) == before
    assert diff.dataset.kind == "fec" and len(diff.inserts) == len(preview)
    assert "SMARTFR au 31/12/2023 : 33 lignes, 12 écritures équilibrées" in diff.summary.line()
    assert "3 créances clients ouvertes (8\u202f600,00\u00a0€" in diff.summary.line()


# --------------------------------------------------------------------------- the account mapping


def test_the_migration_seeds_the_pcg_default(store):
    with session_scope(store.engine) as s:
        assert fec_mapping.rules(session=s) == sorted(PCG_DEFAULT)


def test_a_mapping_counting_quasi_equity_in_equity_is_refused(reference):
    rules = [*PCG_DEFAULT, Rule("EQUITY", "16")]
    with pytest.raises(MappingError) as refused:
        fec_mapping.replace_rules(reference.engine, rules, by="admin")
    assert "1671 sont des quasi-fonds propres" in refused.value.render("fr")
    assert "accounts 1671 are quasi-equity" in refused.value.render("en") and "quasi-equity" in str(refused.value)
    excluded = [*rules, Rule("EQUITY", "1671", rule="exclude"), Rule("EQUITY", "1675", rule="exclude")]
    assert fec_mapping.replace_rules(reference.engine, excluded, by="admin") == len(excluded)


@pytest.mark.parametrize(
    "rules, message",
    [
        ([Rule("NOPE", "411")], "le code d'un indicateur du catalogue"),
        ([Rule("CONTRIBUTION_RATE", "70")], "un indicateur en euros"),
        ([Rule("CASH", "5x")], "fait de chiffres"),
        ([Rule("TURNOVER", "70", rule="side", measure="monthly")], "solde net ou exclus"),
        ([Rule("CASH", "51"), Rule("CASH", "53", measure="monthly")], "une seule mesure"),
    ],
)
def test_a_wrong_mapping_is_refused_and_nothing_changes(reference, rules, message):
    with pytest.raises(MappingError) as refused:
        fec_mapping.replace_rules(reference.engine, rules, by="admin")
    assert message in refused.value.render("fr")
    with session_scope(reference.engine) as s:
        assert fec_mapping.rules(session=s) == sorted(PCG_DEFAULT)


def test_an_edited_mapping_changes_what_the_books_give(reference, monkeypatch, capsys):
    monkeypatch.setenv("SMARTDASH_DATABASE_URL", reference.url)
    # receivables also take 445710 (an odd choice, but easy to compute: 8 600 + VAT collected 3 600 as a debit)
    assert cli.main(["fec-mapping", "set", "TRADE_RECEIVABLES", "44571", "--side", "debit"]) == 0
    assert cli.main(["fec-mapping", "remove", "CASH", "53"]) == 0
    assert cli.main(["fec-mapping", "list"]) == 0
    listed = capsys.readouterr().out
    assert "TRADE_RECEIVABLES\t44571\tdebit\tnet\tbalance" in listed and "CASH\t53\t" not in listed
    load_book(reference.engine, entity="SMARTFR")
    assert observed(reference.engine, "TRADE_RECEIVABLES")[0] == 8_600 - 3_600
    assert observed(reference.engine, "CASH")[0] == 169_700
    assert cli.main(["fec-mapping", "reset"]) == 0
    with session_scope(reference.engine) as s:
        assert fec_mapping.rules(session=s) == sorted(PCG_DEFAULT)


def test_the_command_line_imports_an_fec_with_its_entity(reference, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SMARTDASH_DATABASE_URL", reference.url)
    path = tmp_path / NAME
    path.write_bytes(fec_bytes(BOOK, separator="\t", encoding="iso-8859-1", signed=True))
    assert cli.main(["import", str(path), "--entity", "SMARTFR", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "SMARTFR au 31/12/2023 : 33 lignes" in out and "rien n'a été écrit" in out
    assert observed(reference.engine, "EQUITY") is None
    assert cli.main(["import", str(path), "--entity", "SMARTFR", "--user", "compta"]) == 0
    assert "chargé (n° " in capsys.readouterr().out
    value, _source, load_id = observed(reference.engine, "EQUITY")
    assert value == EXPECTED["EQUITY"]
    with session_scope(reference.engine) as s:  # read from its file as a stream, hashed as a whole
        assert s.get(m.DataLoad, load_id).checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(fec_bytes(BOOK).replace(b"20231210|411000", b"20231210|411000|", 1))  # a 19th field
    assert cli.main(["import", str(path), "--entity", "SMARTFR"]) == 1
    assert "ligne" in capsys.readouterr().err


# --------------------------------------------------------------------------- pages


def test_the_data_page_shows_the_reconciliation_and_the_trial_balance(reference, app_env):
    engine = reference.engine
    import_files(
        engine,
        [("capitaux.csv", "indicateur;entite;fin_periode;scenario;valeur\nEQUITY;SMARTFR;31/12/2023;réel;90 000\n".encode())],
        loaded_by="test",
    )
    load_book(engine, entity="SMARTFR")
    app_env(reference.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {tuple(df.value.columns)[:3]: df.value for df in at.dataframe}
    reconciliation = shown[("Indicateur", "Entité", "Au")]
    assert reconciliation.iloc[0].tolist()[:6] == [
        "Capitaux propres",
        "SMARTFR",
        "31/12/2023",
        "96\u202f500\u00a0€",
        "90\u202f000\u00a0€",
        "6\u202f500\u00a0€",
    ]
    balance = shown[("Compte", "Libellé", "Débit")]
    assert balance.iloc[-1].tolist() == ["Total", "", "250\u202f000,00\u00a0€", "250\u202f000,00\u00a0€", "0,00\u00a0€"]


def test_the_catalogue_page_edits_the_account_mapping(reference, app_env):
    app_env(reference.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.run()
    at.switch_page("pages/catalogue.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="catalogue_fec_mapping_save").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"Correspondance enregistrée : {len(PCG_DEFAULT)} règles."]


def test_the_migration_builds_the_ledger_tables_as_the_models_declare_them(store):
    import warnings

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    mine = {"ledger_balance", "account_mapping", "entity"}
    with warnings.catch_warnings(), store.engine.connect() as connection:
        warnings.simplefilter("ignore")  # expression indexes of other tables cannot be reflected
        drift = compare_metadata(MigrationContext.configure(connection), m.Base.metadata)

    def table_of(diff) -> str | None:
        for part in diff if isinstance(diff, tuple) else diff[0]:
            name = getattr(part, "name", None) if not isinstance(part, str) else None
            table = getattr(part, "table", None)
            if table is not None:
                return table.name
            if name in mine:
                return name
        return None

    assert [d for d in drift if table_of(d) in mine] == []


@pytest.mark.parametrize(
    "text, cents",
    [
        (b"1234,56", 123456),
        (b"0,00", 0),
        (b"12,5", 1250),
        (b"-12,50", -1250),
        (b"+7", 700),
        (b" 3,10 ", 310),
        (b"12,", None),
        (b",5", None),
        (b"1_000,00", None),
        (b"1.000,00", None),
        (b"12,345", None),
        (b"", None),
    ],
)
def test_an_amount_is_read_with_its_decimal_comma_to_the_cent(text, cents):
    assert fec._cents(text) == cents
