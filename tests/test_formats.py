"""File formats: French-locale cells, encodings, dataset detection, problems with file/row/column."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from smartdash import formats
from smartdash.docs import formats_markdown
from smartdash.formats import CellError, FileRefused
from smartdash.i18n import N_, Text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234 567,89 €", Decimal("1234567.89")),
        ("1\u00a0234\u00a0567,89\u00a0€", Decimal("1234567.89")),
        ("1\u202f234,5", Decimal("1234.5")),
        ("12,4 %", Decimal("12.4")),
        ("-3,5", Decimal("-3.5")),
        ("−3,5", Decimal("-3.5")),
        ("(1 000)", Decimal("-1000")),
        ("1.234,56", Decimal("1234.56")),
        ("1234.5", Decimal("1234.5")),
        ("0", Decimal("0")),
        (1500000.0, Decimal("1500000.0")),
        (0.1, Decimal("0.1")),
    ],
)
def test_parse_decimal_reads_french_spreadsheet_cells(text, expected):
    assert formats.parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12 %%x", "", "--1", True])
def test_parse_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(CellError):
        formats.parse_decimal(text)


def test_money_refuses_fractions_of_a_cent():
    column = formats.Column("montant", kind="money")
    assert column.parse("1 234,56 €") == Decimal("1234.56")
    with pytest.raises(CellError) as err:
        column.parse("1,234")
    assert err.value.message == Text(N_("a number with at most {places} decimals"), {"places": 2})
    assert err.value.message.render("fr") == "un nombre avec au plus 2 décimales"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/2024", dt.date(2024, 3, 12)),
        ("2024-03-12", dt.date(2024, 3, 12)),
        ("12/03/24", dt.date(2024, 3, 12)),
        (dt.datetime(2024, 3, 12, 0, 0), dt.date(2024, 3, 12)),
    ],
)
def test_parse_date_reads_french_and_iso_dates(text, expected):
    assert formats.parse_date(text) == expected


def test_parse_date_refuses_impossible_dates():
    with pytest.raises(CellError) as err:
        formats.parse_date("31/02/2024")
    assert err.value.message.render("fr") == "une date jj/mm/aaaa"
    assert err.value.message.render("en") == "a date dd/mm/yyyy"


def test_choice_accepts_french_words_and_codes_and_lists_them_when_wrong():
    column = formats.OBSERVATIONS.column("scenario")
    assert column.parse("Réel") == "actual"
    assert column.parse("actual") == "actual"
    assert column.parse("prévision") == "forecast"
    with pytest.raises(CellError) as err:
        column.parse("budget")
    assert "reel" in str(err.value) and "plan" in str(err.value)


MEMBERSHIP_CSV = "bureau;fin_periode;membres;societaires;conseillers\nBRUXELLES;31/12/2023;10 221;;45\nGAND;31/12/2023;741;;4\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_of_french_spreadsheets_give_the_same_rows(encoding):
    text = MEMBERSHIP_CSV.replace("BRUXELLES", "LIÈGE")
    parsed = formats.parse_file("m.csv", text.encode(encoding))
    assert parsed.dataset.kind == "membership"
    assert parsed.problems == []
    assert parsed.rows[0]["bureau"] == "LIÈGE"
    assert parsed.rows[0]["membres"] == 10221


def test_english_headers_and_comma_separator_are_accepted():
    text = "office,period_end,members,advisers\nGAND,2023-12-31,741,4\n"
    parsed = formats.parse_file("m.csv", text.encode())
    assert parsed.dataset.kind == "membership"
    assert parsed.rows == [
        {
            "bureau": "GAND",
            "fin_periode": dt.date(2023, 12, 31),
            "membres": 741,
            "societaires": None,
            "conseillers": 4,
            "source": None,
            "synthetique": False,
        }
    ]


def test_every_problem_is_reported_with_file_row_column_value_and_expectation():
    text = (
        "bureau;fin_periode;membres;conseillers\n"
        "GAND;31/12/2023;-5;4\n"  # negative members
        "GAND;32/12/2023;741;quatre\n"  # bad date and bad int
        "NAMUR;31/12/2023;1 352;6\n"
        "NAMUR;31/12/2023;1 352;6\n"  # duplicate key
    )
    parsed = formats.parse_file("societariat.csv", text.encode())
    got = {(p.row, p.column) for p in parsed.problems}
    assert got == {(2, "membres"), (3, "fin_periode"), (3, "conseillers"), (5, "bureau")}
    line = next(p for p in parsed.problems if p.row == 3 and p.column == "conseillers").line()
    assert line == "societariat.csv, ligne 3, colonne « conseillers » : valeur « quatre » — attendu : un nombre entier"
    duplicate = next(p for p in parsed.problems if p.row == 5)
    assert duplicate.expected == Text(N_("a key unique in the file (already row {row})"), {"row": 4})
    assert "déjà ligne 4" in duplicate.line()


def test_problems_are_messages_rendered_in_the_readers_language(monkeypatch):
    monkeypatch.setattr(formats.cells, "today", lambda: dt.date(2026, 11, 23))
    parsed = formats.parse_file("s.csv", b"bureau;fin_periode;membres\nGAND;31/12/2023;quatre\nGAND;31/12/2099;1\n")
    assert [p.line("en") for p in parsed.problems] == [
        "s.csv, row 2, column “membres”: value “quatre” — expected: a whole number",
        "s.csv, row 3, column “fin_periode”: value “31/12/2099” — expected: a past date for an actual value (on or "
        "before 30/11/2026: today plus 7 days; a plan or a forecast may be later)",
    ]
    assert [p.line("fr") for p in parsed.problems] == [
        "s.csv, ligne 2, colonne « membres » : valeur « quatre » — attendu : un nombre entier",
        "s.csv, ligne 3, colonne « fin_periode » : valeur « 31/12/2099 » — attendu : une date passée pour une valeur "
        "réelle (au plus tard le 30/11/2026 : aujourd'hui plus 7 jours ; un plan ou une prévision peut être postérieur)",
    ]


def test_load_order_is_derived_from_the_references_of_the_declarations():
    order = formats.LOAD_ORDER
    assert sorted(order) == sorted(formats.DATASETS)
    for kind in order:
        for ref in formats.DATASETS[kind].references:
            assert order.index(ref.kind) < order.index(kind), (kind, ref.kind)
    assert formats.OBSERVATIONS.references == (formats.INDICATORS, formats.ENTITIES, formats.OFFICES, formats.PLAN_VERSIONS)
    late = formats.Dataset("late", "", "", (formats.Column("x", ref=formats.MEETINGS),), ("x",), "late")
    assert formats.load_order([late, formats.MEETINGS]) == ("meetings", "late")


def test_every_stored_column_names_its_table_attribute_and_code_lists_match_the_store():
    for ds in formats.STORED.values():
        table = ds.model.__table__
        assert {c.attr for c in ds.columns} <= set(table.c.keys()), ds.kind
        assert all(c.ref.model is not None and c.ref.known is not None for c in ds.columns if c.ref), ds.kind
        for column in ds.columns:
            if column.kind == "choice" and column.attr in ("unit", "status", "scenario", "population"):
                stored = {
                    v
                    for c in table.constraints
                    if getattr(c, "sqltext", None) is not None and str(c.sqltext).startswith(f"{column.attr} IN")
                    for v in str(c.sqltext).split("'")[1::2]
                }
                assert set(column.choices.values()) == stored, (ds.kind, column.name)


def test_sense_checks_fte_above_headcount_and_due_before_invoice():
    headcount = "entite;fin_periode;population;effectif;etp\nSMARTFR;31/01/2024;permanents;10;12,5\n"
    parsed = formats.parse_file("e.csv", headcount.encode())
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "etp")]
    receivables = (
        "date_situation;entite;client;facture;date_facture;date_echeance;montant_du\n"
        "31/01/2024;SMARTCOOP;Client;F1;15/01/2024;10/01/2024;100,00\n"
    )
    parsed = formats.parse_file("c.csv", receivables.encode())
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "date_echeance")]


def test_missing_required_columns_refuse_the_file_naming_them():
    with pytest.raises(FileRefused) as refused:
        formats.parse_file("m.csv", b"bureau;fin_periode\nGAND;31/12/2023\n", kind="membership")
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "membres")]


def test_unknown_headers_refuse_the_file():
    with pytest.raises(FileRefused, match="en-têtes"):
        formats.parse_file("x.csv", b"foo;bar\n1;2\n")


def test_xlsx_first_sheet_reads_like_the_csv():
    wb = Workbook()
    ws = wb.active
    ws.append(["bureau", "fin_periode", "membres", "societaires", "conseillers"])
    ws.append(["BRUXELLES", dt.datetime(2023, 12, 31), 10221, None, 45])
    ws.append(["GAND", "31/12/2023", "741", None, 4])
    buf = io.BytesIO()
    wb.save(buf)
    from_xlsx = formats.parse_file("m.xlsx", buf.getvalue())
    from_csv = formats.parse_file("m.csv", MEMBERSHIP_CSV.encode())
    assert from_xlsx.problems == []
    assert from_xlsx.rows == from_csv.rows


def test_written_csv_reads_back_to_the_same_records():
    records = [
        {
            "bureau": "GAND",
            "fin_periode": dt.date(2023, 12, 31),
            "membres": 741,
            "societaires": None,
            "conseillers": 4,
            "source": "Rapport ; page 3",
            "synthetique": True,
        }
    ]
    text = formats.write_csv(formats.MEMBERSHIP, records)
    assert text.splitlines()[1] == 'GAND;31/12/2023;741;;4;"Rapport ; page 3";oui'
    assert formats.parse_file("m.csv", text.encode()).rows == records


def test_docs_formats_md_is_generated_from_the_specs():
    committed = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert committed == formats_markdown(), "run: python -m smartdash formats > docs/formats.md"


TRICKY_CELLS = [
    "1 234 567,89 €",
    "1\u00a0234,5",
    "12,4 %",
    "-3,5",
    "−3,5",
    "+7",
    "(1 000)",
    "1.234,56",
    "1234.5",
    "0",
    "-0",
    "12,345",
    "12,34567",
    "12,30000",
    "1,2,3",
    "abc",
    "",
    "  ",
    " 42 ",
    "1e5",
    "NaN",
    "1_000",
    "٣",
    "-1",
    "01/02/2024",
    "31/02/2024",
    "1/2/24",
    "2024-02-01",
    "01/01/1989",
    "oui",
    "Non",
    "x",
    "réel",
    "plan",
    "autre",
    "ANVERS",
    " GAND ",
    "a" * 61,
    "a" * 60,
    # formula-like text written inert, numbers at and past the bounds, the longest cell
    "'=cmd|' /C calc'!A0",
    "''-x",
    "'abc",
    "1" * 20,
    "-" + "9" * 12,
    "99 999 999 999,99",
    "100 000 000 000",
    "999999999",
    "1000000000",
    "x" * formats.MAX_CELL_CHARS,
    "x" * (formats.MAX_CELL_CHARS + 1),
]


@pytest.mark.parametrize("dataset_kind", sorted(formats.DATASETS))
def test_bulk_column_parsing_gives_what_each_cell_parses_to(dataset_kind):
    """parse_cells takes shortcuts for CSV columns (distinct cells once, C-level passes for text and numbers):
    on every column of every format, for cells of every shape, it gives the value or the message of Column.parse."""

    def one_by_one(column, cells):
        out = []
        for cell in cells:
            try:
                out.append(column.parse(cell))
            except formats.CellError as err:
                out.append(("refused", err.message))
        return out

    def shown(values):
        return [("refused", v.expected) if isinstance(v, formats.Refused) else v for v in values]

    for column in formats.DATASETS[dataset_kind].columns:
        unique = TRICKY_CELLS + [f"{i},5" for i in range(200)] + [f"F{i}" for i in range(200)]  # the bulk passes
        repeated = TRICKY_CELLS * 5  # the distinct-cells pass
        mixed = [*TRICKY_CELLS, None, 3, 2.5]  # workbook cells: one by one
        for cells in (unique, repeated, mixed):
            assert shown(formats.parse_cells(column, cells)) == one_by_one(column, cells), (column.name, cells[:3])


def test_blank_lines_are_no_rows_but_a_row_with_an_empty_first_cell_is_one():
    head = "bureau;fin_periode;membres\n"
    parsed = formats.parse_file("m.csv", (head + "GAND;31/12/2023;741\n\n;;\n \t; ;\nMONS;31/12/2023;12\n").encode())
    assert [r["bureau"] for r in parsed.rows] == ["GAND", "MONS"] and parsed.lines == [2, 6] and not parsed.problems
    parsed = formats.parse_file("m.csv", (head + "GAND;31/12/2023;741\n\n;31/12/2023;12\n").encode())
    assert [(p.row, p.column) for p in parsed.problems] == [(4, "bureau")]  # the spreadsheet's line, blank included
