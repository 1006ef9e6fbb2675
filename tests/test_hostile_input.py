"""Hostile input, round three: numbers a workbook or a ledger cannot hold, figures dated after today, French text
in Windows-1252, logins that would inject mail headers, a store never initialised, large honest workbooks. Each
file is generated here; a refusal names file, row and column, and changes nothing in the store (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from smartdash import formats
from smartdash.formats import FileRefused
from smartdash.i18n import render
from smartdash.importing import import_files
from tests import hostile
from tests.conftest import BACKENDS
from tests.fec_factory import BOOK, Line, fec_bytes
from tests.hostile import RECEIVABLES_HEADER
from tests.test_fec import NAME, load_book
from tests.test_hostile_files import reference, refused  # noqa: F401 - the fixture

RANGE = "un montant inférieur à 100\u202f000\u202f000\u202f000 € en valeur absolue"


def number_cell_workbook(value: str) -> bytes:
    """A receivables workbook of one item whose amount is the number cell `<v>{value}</v>`, as an attacker (or a
    program writing floats) would write it."""
    row = (
        '<row><c t="inlineStr"><is><t>31/03/2026</t></is></c><c t="inlineStr"><is><t>SMARTCOOP</t></is></c>'
        '<c/><c t="inlineStr"><is><t>A</t></is></c><c t="inlineStr"><is><t>R1</t></is></c>'
        '<c t="inlineStr"><is><t>01/01/2026</t></is></c><c t="inlineStr"><is><t>31/01/2026</t></is></c>'
        f"<c><v>{value}</v></c></row>"
    )
    return hostile.raw_workbook([hostile._inline_row(RECEIVABLES_HEADER.split(";")).encode(), row.encode()])


# --------------------------------------------------------------------------- numbers the store cannot hold


@pytest.mark.parametrize(
    "value, shown, expected",
    [
        ("1e300", "1e+300", RANGE),
        ("-1E+19", "-1e+19", RANGE),
        ("NaN", "nan", RANGE + " (ni NaN ni l'infini)"),
        ("INF", "inf", RANGE + " (ni NaN ni l'infini)"),
        ("-inf", "-inf", RANGE + " (ni NaN ni l'infini)"),
    ],
)
def test_a_workbook_number_the_store_cannot_hold_is_refused_with_row_column_and_range(reference, value, shown, expected):  # noqa: F811
    [problem] = refused(reference, "creances.xlsx", number_cell_workbook(value))
    assert problem.line() == f"creances.xlsx, ligne 2, colonne « montant_du » : valeur « {shown} » — attendu : {expected}"


def _fec_with(lines: list[Line]) -> bytes:
    return fec_bytes([*BOOK, ("OD", "OD999", "20231231", lines)])


def test_a_ledger_amount_of_ten_to_the_nineteen_is_refused_on_its_line(reference):  # noqa: F811
    huge = 10**19 * 100  # 10^19 €, in cents
    data = _fec_with([Line("471000", "Attente", debit=huge), Line("512000", "Banque", credit=huge)])
    with pytest.raises(FileRefused) as refusal:
        load_book(reference.engine, data, entity="SMARTFR")
    lines = [p.line() for p in refusal.value.problems]
    last = len(fec_bytes(BOOK).splitlines()) + 1
    assert lines[:2] == [
        f"{NAME}, ligne {last}, colonne « Debit » : valeur « 10000000000000000000,00 » — attendu : un montant inférieur à "
        "100\u202f000\u202f000\u202f000 € en valeur absolue, à virgule décimale",
        f"{NAME}, ligne {last + 1}, colonne « Credit » : valeur « 10000000000000000000,00 » — attendu : un montant "
        "inférieur à 100\u202f000\u202f000\u202f000 € en valeur absolue, à virgule décimale",
    ]


def test_ledger_lines_adding_up_beyond_the_store_are_refused_by_account(reference):  # noqa: F811
    big = 90_000_000_000_00  # 90 billion €: each line allowed, two on one account are not
    data = _fec_with(
        [
            Line("471000", "Attente", debit=big),
            Line("471000", "Attente", debit=big),
            Line("101300", "Capital", credit=big),
            Line("101300", "Capital", credit=big),
        ]
    )
    with pytest.raises(FileRefused) as refusal:
        load_book(reference.engine, data, entity="SMARTFR")
    lines = [p.line() for p in refusal.value.problems]
    assert (
        f"{NAME}, colonne « CompteNum » : valeur « 471000 » — attendu : des lignes totalisant moins de "
        "100\u202f000\u202f000\u202f000 € en valeur absolue (colonne « debit » de la base)"
    ) in lines
    assert all("lignes totalisant" in line for line in lines)  # no line alone is refused


# --------------------------------------------------------------------------- logins and addresses that would add headers

EVIL = "evil\r\nBcc: x@evil.example"


@pytest.mark.parametrize("login", [EVIL, "evil\nx", "a\tb", "nul\x00", "line\u2028sep", "bidi\u202eevil"])
def test_a_login_with_a_control_character_is_refused_and_nothing_is_written(store, login):
    from smartdash import auth
    from tests.test_loading import snapshot

    before = snapshot(store.engine)
    with pytest.raises(auth.AccountError) as refusal:
        auth.add_user(store.engine, login, "viewer", "un mot de passe de test", by="test")
    assert refusal.value.render("fr").startswith("un identifiant sans caractère de contrôle")
    assert snapshot(store.engine) == before


def test_users_add_refuses_a_login_that_would_add_a_mail_header(store):
    from smartdash import auth
    from tests.test_cli import run

    result = run("users", "add", EVIL, "--role", "viewer", "--password-stdin", url=store.url, stdin="un mot de passe de test\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "un identifiant sans caractère de contrôle (saut de ligne, tabulation…) : caractère U+000D trouvé" in result.stderr
    assert not auth.has_users(store.engine)


@pytest.mark.parametrize("address", ["x@evil.example\r\nBcc: y@evil.example", "x@evil.example\x00", "a\u2028@b.example"])
def test_an_email_address_with_a_control_character_is_refused(store, address):
    from smartdash import auth, subscriptions

    auth.add_user(store.engine, "ana", "viewer", "un mot de passe de test", by="test")
    with pytest.raises(subscriptions.SubscriptionError) as refusal:
        subscriptions.subscribe(store.engine, "ana", email=address, by="test", what="digest")
    assert refusal.value.render("fr").startswith("une adresse e-mail sans caractère de contrôle")


def test_one_account_whose_name_breaks_its_mail_does_not_stop_the_digest_for_the_others(store, tmp_path):
    """An account stored before such logins were refused: its delivery fails (kept as failed, in the audit log),
    the three others are sent; the next run sends nothing twice."""
    from sqlalchemy import select, update

    from smartdash import auth, digest, models
    from smartdash.config import load_settings
    from smartdash.db import session_scope
    from smartdash.demo import load_demo
    from tests.test_mail import MONDAY, _server, account, write_config

    box, controller = _server(with_auth=False)
    try:
        load_demo(store.engine)
        for login in ("a", "b", "c", "d"):
            account(store.engine, login, "viewer", what="digest")
        with session_scope(store.engine) as s:
            s.execute(update(models.User).where(models.User.login == "b").values(login=EVIL))
        settings = load_settings(write_config(tmp_path / "config.toml", store.url, controller.port))
        report = digest.send_digests(store.engine, as_of=MONDAY, settings=settings, by="cron")
        assert report.sent == ["a", "c", "d"]
        [(login, error)] = report.failed
        assert login == EVIL and error.startswith("ValueError: ")
        assert sorted(rcpt for rcpts, _m, _raw in box.messages for rcpt in rcpts) == [
            "a@test.example",
            "c@test.example",
            "d@test.example",
        ]
        again = digest.send_digests(store.engine, as_of=MONDAY, settings=settings, by="cron")
        assert again.sent == [] and [login for login, _e in again.failed] == [EVIL] and len(box.messages) == 3
        with session_scope(store.engine) as s:
            actions = list(s.scalars(select(models.AuditEvent.action).where(models.AuditEvent.action.like("mail_%"))))
        assert sorted(actions) == ["mail_failed", "mail_failed", "mail_sent", "mail_sent", "mail_sent"]
        assert auth.has_users(store.engine)
    finally:
        controller.stop()


# --------------------------------------------------------------------------- a store never initialised


@pytest.fixture(params=BACKENDS)
def blank_store(request, tmp_path):
    """The URL of a store nobody initialised: a SQLite file not yet made, or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jamais' / 'smartdash.db'}"
        return
    import uuid

    from sqlalchemy import make_url, text

    from smartdash.db import make_engine

    database = request.getfixturevalue("pg_database")
    name = f"t_{uuid.uuid4().hex[:10]}"
    base = make_engine(database)
    with base.begin() as conn:
        conn.execute(text("CREATE SCHEMA " + conn.dialect.identifier_preparer.quote(name)))
    yield make_url(database).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False)
    with base.begin() as conn:
        conn.execute(text("DROP SCHEMA " + conn.dialect.identifier_preparer.quote(name) + " CASCADE"))
    base.dispose()


NO_STORE = (
    "Erreur : Pas encore de base de données : lancez python -m smartdash init-db (ou démarrez l'application), puis "
    "recommencez. Rien n'a été écrit."
)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "observations", "--out", "{tmp}/obs.csv"],
        ["loads"],
        ["export", "slides", "--out", "{tmp}/d.pptx"],
        ["undo", "1"],
        ["backup", "--out", "{tmp}/b.db"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_command_on_a_store_never_initialised_says_so_and_creates_nothing(blank_store, tmp_path, command):
    from sqlalchemy import inspect

    from smartdash.db import make_engine, sqlite_path
    from tests.test_cli import run

    result = run(*(part.format(tmp=tmp_path) for part in command), url=blank_store)
    assert (result.returncode, result.stderr.strip()) == (3, NO_STORE)
    path = sqlite_path(blank_store)
    if path is not None:
        assert not path.exists() and not path.parent.exists()
    else:
        engine = make_engine(blank_store)
        assert inspect(engine).get_table_names() == []
        engine.dispose()


# --------------------------------------------------------------------------- French text in Windows-1252

MEMBERSHIP = "bureau;fin_periode;membres;source\n"
FRENCH = [
    "Rapport des salarié·es (½ × ± ‰ £ ® ÷)",
    "Part des salarié·es associé·es : ± 12 ‰, ¼ du capital",
    "Comptes 2023 © Smart — 1 250 £ × 3 ÷ 2, marque®, « L’Haÿ-les-Roses », créée, agréées",
]


def test_a_french_excel_csv_with_inclusive_writing_and_signs_loads_as_written(reference):  # noqa: F811
    from sqlalchemy import select

    from smartdash import models
    from smartdash.db import session_scope

    rows = "".join(
        f"{office};31/12/2023;{741 + i};{text}\n"
        for i, (office, text) in enumerate(zip(("GAND", "LLN", "NAMUR"), FRENCH, strict=True))
    )
    data = (MEMBERSHIP + rows).encode("cp1252")  # what French Excel writes as "CSV (séparateur : point-virgule)"
    [result] = import_files(reference.engine, [("societariat.csv", data)], loaded_by="test")
    assert result.inserted == 3
    with session_scope(reference.engine) as s:
        stored = set(s.scalars(select(models.Membership.source)))
    assert stored == set(FRENCH)


@pytest.mark.parametrize(
    "text, encoding, shown",
    [
        ("Привет мир", "cp1251", "« Ïðèâåò » (octets 0xCF 0xF0 0xE8 0xE2 0xE5 0xF2)"),
        ("Иван", "cp1251", "« Èâàí » (octets 0xC8 0xE2 0xE0 0xED)"),
        ("ООО Ромашка", "cp1251", "« ÎÎÎ » (octets 0xCE 0xCE 0xCE)"),
        ("Καλημέρα", "cp1253", "« ÊáëçìÝñá » (octets 0xCA 0xE1 0xEB 0xE7 0xEC 0xDD 0xF1 0xE1)"),
        ("ﾊﾝｶｸ", "shift_jis", "« ÊÝ » (octets 0xCA 0xDD)"),
    ],
)
def test_another_encoding_read_as_windows_1252_is_refused_with_row_and_column(reference, text, encoding, shown):  # noqa: F811
    data = (MEMBERSHIP + "GAND;31/12/2023;741;Rapport\n" + f"LLN;31/12/2023;1786;{text}\n").encode(encoding)
    [problem] = refused(reference, "societariat.csv", data)
    assert problem.line() == (
        f"societariat.csv, ligne 3, colonne « source » : valeur « {shown} » — attendu : un texte en UTF-8 ou en "
        "Windows-1252 (enregistrez le fichier en « CSV UTF-8 »)"
    )


# --------------------------------------------------------------------------- figures dated after today

TODAY = dt.date(2026, 3, 31)  # the clock the tests set: actual figures up to 07/04/2026 (today plus 7 days)
LATER = (
    "une date passée pour une valeur réelle (au plus tard le 07/04/2026 : aujourd'hui plus 7 jours ; un plan ou une "
    "prévision peut être postérieur)"
)


@pytest.fixture
def clock(monkeypatch):
    from smartdash import formats

    monkeypatch.setattr(formats.cells, "today", lambda: TODAY)


OBSERVATIONS = "indicateur;entite;fin_periode;scenario;version_plan;valeur\n"
FUTURE_ACTUALS = [
    ("observations.csv", OBSERVATIONS + "EQUITY;SMARTFR;08/04/2026;réel;;1\n", "fin_periode"),
    ("observations.csv", OBSERVATIONS + "EQUITY;SMARTFR;31/12/2029;réel;;1\n", "fin_periode"),
    ("societariat.csv", MEMBERSHIP + "GAND;30/04/2026;741;x\n", "fin_periode"),
    ("creances.csv", hostile.receivables_csv(1, as_of="08/04/2026"), "date_situation"),
    ("effectifs.csv", "entite;fin_periode;population;scenario;effectif\nSMARTFR;30/06/2026;permanents;réel;10\n", "fin_periode"),
]


@pytest.mark.parametrize("name, data, column", FUTURE_ACTUALS, ids=lambda v: v if isinstance(v, str) and "\n" not in v else None)
@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_an_actual_figure_dated_after_today_is_refused_in_every_format(reference, clock, name, data, column, form):  # noqa: F811
    if form == "xlsx":
        name = name.replace(".csv", ".xlsx")
        data = hostile.workbook([(name.removesuffix(".xlsx"), hostile.csv_rows(data), "visible")])
    problems = refused(reference, name, data)
    assert [(p.row, p.column, render("fr", p.expected)) for p in problems] == [(2, column, LATER)]


def test_actual_figures_up_to_the_tolerance_and_plans_of_any_date_are_loaded(reference, clock):  # noqa: F811
    data = OBSERVATIONS + "EQUITY;SMARTFR;07/04/2026;réel;;1\nEQUITY;SMARTFR;31/12/2031;plan;PLAN-2021-11;2\n"
    [result] = import_files(reference.engine, [("observations.csv", data.encode())], loaded_by="test")
    assert result.inserted == 2


def _valid_row(dataset) -> dict[str, str]:
    """A cell each column of the format reads without a problem (its codes are checked against the store later)."""
    cell = {"text": "X", "int": "1", "money": "1,00", "decimal": "1", "date": "31/12/2023", "bool": "non"}
    return {c.name: c.choice_words()[0] if c.kind == "choice" else cell[c.kind] for c in dataset.columns}


@pytest.mark.parametrize("dataset, column", [(formats.FUNDING, "date_reception"), (formats.INSTALMENTS, "paye_le")])
def test_a_funding_received_or_an_instalment_paid_after_today_is_refused(clock, dataset, column):
    row = _valid_row(dataset)
    for day, refusals in (("07/04/2026", []), ("08/04/2026", [(2, column, LATER)])):
        row[column] = day
        data = ";".join(row) + "\n" + ";".join(row.values()) + "\n"
        problems = formats.parse_file(f"{dataset.file_stem}.csv", data.encode(), dataset.kind).problems
        assert [(p.row, p.column, render("fr", p.expected)) for p in problems] == refusals


def test_a_ledger_whose_name_or_entries_lie_about_their_date_is_refused(reference, clock):  # noqa: F811
    """An FEC named …FEC20291231.txt with its entries of 2029 moved the deck to "chiffres au 31/12/2029"."""
    from tests.test_loading import snapshot

    future = [(j, n, "2029" + d[4:], lines) for j, n, d, lines in BOOK]
    before = snapshot(reference.engine)
    with pytest.raises(FileRefused) as refusal:
        load_book(reference.engine, fec_bytes(future), name="123456782FEC20291231.txt", entity="SMARTFR")
    assert [p.line() for p in refusal.value.problems] == [
        "123456782FEC20291231.txt : valeur « 31/12/2029 » — attendu : un nom {SIREN}FEC{AAAAMMJJ}.txt dont la date de "
        "clôture est au plus tard le 07/04/2026 (aujourd'hui plus 7 jours) : les chiffres d'une comptabilité sont des "
        "chiffres réels"
    ]
    with pytest.raises(FileRefused) as refusal:  # no date in the name: the last entry date would close the period
        load_book(reference.engine, fec_bytes(future), name="grand-livre.txt", entity="SMARTFR")
    first = refusal.value.problems[0]
    assert (first.row, first.column, render("fr", first.value)) == (2, "EcritureDate", "20290101")
    assert render("fr", first.expected) == (
        "une date d'écriture au plus tard le 07/04/2026 (aujourd'hui plus 7 jours) : une écriture datée plus tard "
        "n'est pas encore dans les livres"
    )
    assert snapshot(reference.engine) == before


# --------------------------------------------------------------------------- large honest workbooks


def test_a_workbook_is_read_by_calamine_with_the_lines_a_spreadsheet_shows():
    """Blank rows before and between the data keep their line numbers; numbers, dates and texts read as typed."""
    data = hostile.workbook(
        [
            ("Lisez-moi", [["notes"]], "visible"),
            (
                "societariat",
                [
                    [],
                    ["bureau", "fin_periode", "membres", "source"],
                    [],
                    ["GAND", dt.date(2023, 12, 31), 741, 12],
                    ["LLN", "31/12/2023", 1786.0, "x"],
                ],
                "visible",
            ),
        ]
    )
    table, sheet = formats.read_sheet("s.xlsx", data, max_rows=10)
    assert sheet == "societariat" and table.header == ["bureau", "fin_periode", "membres", "source"]
    assert table.lines == [4, 5] and table.rows[0][:3] == ["GAND", dt.date(2023, 12, 31), 741]
    parsed = formats.parse_file("s.xlsx", data)
    assert parsed.problems == [] and parsed.columns["source"] == ["12", "x"] and parsed.columns["membres"] == [741, 1786]
    shifted = hostile.raw_workbook(  # a table starting in C3: the header is row 3, columns A and B are empty
        [
            b'<row r="3"><c r="C3" t="inlineStr"><is><t>bureau</t></is></c><c r="D3" t="inlineStr"><is><t>fin_periode</t>'
            b'</is></c><c r="E3" t="inlineStr"><is><t>membres</t></is></c></row>',
            b'<row r="5"><c r="C5" t="inlineStr"><is><t>GAND</t></is></c><c r="D5" t="inlineStr"><is><t>31/12/2023</t>'
            b'</is></c><c r="E5"><v>741</v></c></row>',
        ]
    )
    table, _sheet = formats.read_sheet("s.xlsx", shifted, max_rows=10)
    assert table.header == ["", "", "bureau", "fin_periode", "membres"] and table.lines == [5]
    assert table.rows == [["", "", "GAND", "31/12/2023", 741]]


ROW_LIMIT = "attendu : une feuille de 10\u202f021 lignes au plus"
FAR_CELLS = [
    (
        "a cell at ALL1000000",
        b'<row r="2"><c r="A2"><v>1</v></c></row><row r="1000000"><c r="ALL1000000"><v>2</v></c></row>',
        f"c.xlsx : valeur « une ligne numérotée 1\u202f000\u202f000 » — {ROW_LIMIT}",
    ),
    (
        "a cell numbered far in a near row",
        b'<row r="2"><c r="A2"><v>1</v></c><c r="B900000"><v>2</v></c></row>',
        f"c.xlsx : valeur « une ligne numérotée 900\u202f000 » — {ROW_LIMIT}",
    ),
    (
        "references in single quotes",
        b"<row r='2'><c r='A2'><v>1</v></c></row><row r='1000000'><c r='Z1000000'><v>2</v></c></row>",
        f"c.xlsx : valeur « une ligne numérotée 1\u202f000\u202f000 » — {ROW_LIMIT}",
    ),
    (
        "cells without references",
        b"<row>" + b"<c><v>1</v></c>" * 2000 + b"</row>",
        "c.xlsx, ligne 2 : valeur « une cellule en colonne 2\u202f000 » — attendu : des lignes de 1\u202f000 colonnes au plus",
    ),
    (
        "a sheet of 10 000 rows by 500 columns",
        b'<row r="2"><c r="A2"><v>1</v></c></row><row r="10000"><c r="SF10000"><v>1</v></c></row>',
        "c.xlsx : valeur « une feuille allant jusqu'à la ligne 10\u202f000 et la colonne 500 » — attendu : une feuille de "
        "260\u202f546 cellules au plus de A1 à sa dernière ligne et colonne (26 par ligne permise)",
    ),
]


@pytest.mark.parametrize("case, rows, line", FAR_CELLS, ids=[c for c, *_r in FAR_CELLS])
def test_a_sheet_reaching_far_from_a1_is_refused_before_calamine_allocates_it(case, rows, line):
    """calamine holds a sheet as the rectangle from A1 to its last cell (32 bytes a cell): one cell at ALL1000000 made
    it ask for 32 GB and abort the process. The scan refuses such a sheet first; run in a process of its own, so that
    a regression aborts that process, not the test run."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    header = hostile._inline_row(RECEIVABLES_HEADER.split(";")).encode()
    data = hostile.raw_workbook([header, rows])
    script = (
        "import sys\nfrom smartdash import workbooks\nfrom smartdash.formats import FileRefused\n"
        "try:\n    workbooks.read_workbook('c.xlsx', sys.stdin.buffer.read(), max_rows=20)\n"
        "except FileRefused as refused:\n    print(refused.problems[0].line())\nelse:\n    print('read')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=data, capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-300:]
    assert done.stdout.decode().strip() == line


def test_the_preview_and_the_load_tell_their_steps(reference):  # noqa: F811
    from smartdash.importing import preview_file

    data = hostile.workbook([("creances", hostile.csv_rows(hostile.receivables_csv(3)), "visible")])
    steps = []
    preview_file(reference.engine, "creances.xlsx", data, progress=lambda share, step: steps.append((share, render("fr", step))))
    import_files(
        reference.engine,
        [("creances.xlsx", data)],
        loaded_by="test",
        progress=lambda share, step: steps.append((share, render("fr", step))),
    )
    assert steps == [
        (0.0, "Lecture et vérification du fichier…"),
        (0.6, "Comparaison avec la base…"),
        (1.0, "Terminé."),
        (0.0, "Lecture et vérification du fichier…"),
        (0.5, "Comparaison avec la base…"),
        (0.7, "Écriture dans la base…"),
        (1.0, "Terminé."),
    ]
