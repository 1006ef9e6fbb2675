"""Loading the week's figures: validation, all-or-nothing, idempotence, preview, history, undo, round trips."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from smartdash import formats
from smartdash import models as m
from smartdash.config import DEMO_DIR
from smartdash.db import session_scope
from smartdash.demo import demo_file_name, demo_files, load_demo
from smartdash.formats import FileRefused
from smartdash.importing import UndoRefused, export_csv, import_files, preview_file, preview_shown, undo_load
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
FACTS = [
    "observation",
    "funding_contribution",
    "headcount",
    "membership",
    "receivable_item",
    "receivable_ageing",
    "entity",
    "office",
    "indicator",
    "plan_version",
    "funding_instrument",
    "meeting",
    "source_figure",
]


def snapshot(engine) -> dict:
    """The content of every data table (not the load log), for exact before/after comparisons."""
    with session_scope(engine) as s:
        out = {t: sorted(tuple(map(str, r)) for r in s.execute(select(m.Base.metadata.tables[t])).all()) for t in FACTS}
    out["receivable_ageing"] = sorted(r[1:] for r in out["receivable_ageing"])  # derived rows: ids are renewed
    return out


def load(engine, name, text, **kw):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return import_files(engine, [(name, data)], loaded_by="test", **kw)


@pytest.fixture
def demo(store):
    load_demo(store.engine)
    return store


@pytest.fixture
def reference(store):
    """A store with the demo's reference data only (entities, offices, catalogue, plan versions): fast to build."""
    files = [
        (demo_file_name(k), (DEMO_DIR / demo_file_name(k)).read_bytes())
        for k in ("entities", "offices", "indicators", "plan_versions", "instruments")
    ]
    import_files(store.engine, files, loaded_by="test")
    return store


OBS = "indicateur;entite;fin_periode;scenario;version_plan;valeur\n"
BAD_INPUTS = [
    ("missing column", "bureau;fin_periode\nGAND;31/12/2024\n", {"kind": "membership"}, [(1, "membres")], "obligatoire"),
    ("bad number", "bureau;fin_periode;membres\nGAND;31/12/2024;beaucoup\n", {}, [(2, "membres")], "nombre entier"),
    ("unknown office", "bureau;fin_periode;membres\nNULLE_PART;31/12/2024;3\n", {}, [(2, "bureau")], "bureau connu"),
    ("unit", OBS + "CONTRIBUTION_RATE;SMARTFR;31/10/2024;réel;;12,4 €\n", {}, [(2, "valeur")], "sans « € »"),
    ("unit %", OBS + "EQUITY;SMARTFR;31/12/2024;réel;;12 %\n", {}, [(2, "valeur")], "sans « % »"),
    ("date range", "bureau;fin_periode;membres\nGAND;31/12/1890;3\n", {}, [(2, "fin_periode")], "entre 01/01/1990"),
    ("actual in future", OBS + "EQUITY;SMARTFR;31/12/2099;réel;;1\n", {}, [(2, "fin_periode")], "date passée"),
    (
        "plan in future is fine but needs a version",
        OBS + "EQUITY;SMARTFR;31/12/2099;plan;;1\n",
        {},
        [(2, "version_plan")],
        "version du plan",
    ),
    ("duplicate", "bureau;fin_periode;membres\nGAND;31/12/2024;3\nGAND;31/12/2024;4\n", {}, [(3, "bureau")], "déjà ligne 2"),
    (
        "negative headcount",
        "entite;fin_periode;population;effectif\nSMARTFR;31/01/2024;permanents;-2\n",
        {},
        [(2, "effectif")],
        "supérieure ou égale à 0",
    ),
    (
        "fte above headcount",
        "entite;fin_periode;population;effectif;etp\nSMARTFR;31/01/2024;permanents;2;3\n",
        {},
        [(2, "etp")],
        "inférieur ou égal",
    ),
    (
        "due before invoice",
        "date_situation;entite;client;facture;date_facture;date_echeance;montant_du\n"
        "31/01/2024;SMARTCOOP;A;X1;15/01/2024;01/01/2024;10\n",
        {},
        [(2, "date_echeance")],
        "postérieure",
    ),
    (
        "invoiced after its snapshot",
        "date_situation;entite;client;facture;date_facture;date_echeance;montant_du\n"
        "31/12/2023;SMARTCOOP;A;X1;15/01/2024;15/02/2024;10\n",
        {},
        [(2, "date_facture")],
        "au plus tard à la date de la situation",
    ),
    (
        "office of another entity",
        "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n"
        "31/01/2024;SMARTFR;GAND;A;X1;01/01/2024;31/01/2024;10\n",
        {},
        [(2, "bureau")],
        "bureau de l'entité indiquée",
    ),
    (
        "too many rows",
        "bureau;fin_periode;membres\nGAND;31/12/2024;3\nGAND;30/06/2024;3\n",
        {"max_rows": 1},
        [(None, None)],
        "1 lignes au plus",
    ),
    ("too big", "bureau;fin_periode;membres\nGAND;31/12/2024;3\n", {"max_file_mb": 0}, [(None, None)], "Mo au plus"),
]


@pytest.mark.parametrize(("case", "text", "kw", "where", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(reference, case, text, kw, where, message):
    before = snapshot(reference.engine)
    with pytest.raises(FileRefused) as refused:
        load(reference.engine, "semaine.csv", text, **kw)
    problems = refused.value.problems
    assert [(p.row, p.column) for p in problems] == where
    assert message in problems[0].line() and problems[0].line().startswith("semaine.csv")
    assert snapshot(reference.engine) == before


def test_every_problem_of_a_file_is_reported_at_once(reference):
    text = (
        "entite;fin_periode;population;effectif;etp\n"
        "SMARTFR;31/01/2024;permanents;-2;\n"
        "NOWHERE;31/01/2024;permanents;2;1\n"
        "SMARTFR;31/01/2024;permanents;2;3\n"
    )
    with pytest.raises(FileRefused) as refused:
        load(reference.engine, "effectifs.csv", text)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "effectif"), (3, "entite"), (4, "etp")]


def test_rules_run_once_per_combination_still_name_every_row(reference):
    """Rules are evaluated once per distinct combination of the cells they read: every row with that combination
    is still reported, and a row whose code is unknown is reported for the code only."""
    head = "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n"
    text = head + (
        "31/01/2024;SMARTCOOP;GAND;A;X1;01/01/2024;31/01/2024;10\n"
        "31/01/2024;SMARTFR;GAND;A;X2;01/01/2024;31/01/2024;10\n"
        "31/01/2024;SMARTCOOP;GAND;A;X3;15/01/2024;01/01/2024;10\n"
        "31/01/2024;SMARTFR;GAND;B;X4;01/01/2024;31/01/2024;12\n"
        "31/01/2024;NOWHERE;GAND;B;X5;01/01/2024;31/01/2024;12\n"
        "31/01/2024;SMARTCOOP;GAND;A;X6;15/01/2024;01/01/2024;10\n"
    )
    with pytest.raises(FileRefused) as refused:
        load(reference.engine, "creances.csv", text)
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (3, "bureau"),
        (4, "date_echeance"),
        (5, "bureau"),
        (6, "entite"),
        (7, "date_echeance"),
    ]
    assert refused.value.problems[1].value == "01/01/2024"  # as the spreadsheet shows it, not 2024-01-01


def french_spreadsheet(text: str) -> bytes:
    """The same file as a French-locale spreadsheet saves it: Windows-1252, thousands with non-breaking spaces."""
    lines = text.splitlines()
    dataset = formats.detect_dataset(lines[0].split(";"))
    numeric = [dataset.column(h).kind in ("int", "decimal", "money") for h in lines[0].split(";")]
    out = [lines[0]]
    for line in lines[1:]:
        cells = []
        for i, cell in enumerate(line.split(";")):
            if i < len(numeric) and numeric[i] and cell.split(",")[0].isdigit() and len(cell.split(",")[0]) > 3:
                whole, _, cents = cell.partition(",")
                cell = f"{int(whole):,}".replace(",", "\u00a0") + ("," + cents if cents else "")
            cells.append(cell)
        out.append(";".join(cells))
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


@pytest.mark.parametrize("stem", ["effectifs", "societariat", "financements"])
def test_a_demo_file_saved_the_french_spreadsheet_way_loads_to_identical_rows(demo_store, stem):
    text = dict(demo_files())[f"{stem}.csv"].decode("utf-8")
    assert "\u00a0" in french_spreadsheet(text).decode("cp1252")
    [result] = load(demo_store.engine, f"{stem}.csv", french_spreadsheet(text))
    assert result.load_id is None and result.inserted == result.updated == 0


def test_a_demo_file_saved_as_xlsx_loads_to_identical_rows(demo_store):
    text = dict(demo_files())["financements.csv"].decode("utf-8")
    wb = Workbook()
    for line in text.splitlines():
        wb.active.append(line.split(";") if '"' not in line else next(iter(__import__("csv").reader([line], delimiter=";"))))
    buf = io.BytesIO()
    wb.save(buf)
    [result] = load(demo_store.engine, "financements.xlsx", buf.getvalue())
    assert result.load_id is None and result.unchanged == text.count("\n") - 1


@pytest.mark.parametrize("kind", formats.LOAD_ORDER)
def test_export_then_reimport_changes_nothing(demo_store, kind):
    before = snapshot(demo_store.engine)
    [result] = load(demo_store.engine, f"{kind}.csv", export_csv(demo_store.engine, kind))
    assert result.load_id is None and result.inserted == result.updated == 0
    assert snapshot(demo_store.engine) == before


def test_preview_shows_new_changed_and_unchanged_rows_without_writing(demo):
    before = snapshot(demo.engine)
    text = (
        "bureau;fin_periode;membres;conseillers;source;synthetique\n"
        "LLN;31/12/2023;1786;3;SmartCoop, rapport annuel 2023 — Membres et conseillers par bureau;non\n"
        "GAND;31/12/2023;741;4;SmartCoop, rapport annuel 2023 — Membres et conseillers par bureau;non\n"
        "GAND;30/06/2026;760;4;;non\n"
    )
    diff, preview = preview_file(demo.engine, "s.csv", text.encode())
    assert (len(diff.inserts), len(diff.updates), diff.unchanged) == (1, 1, 1)
    assert list(preview["action"]) == ["inserted", "updated"]  # codes; the reader's words where it is shown
    assert list(preview_shown(preview, "fr")["action"]) == ["nouveau", "modifié"]
    assert list(preview_shown(preview, "en")["action"]) == ["new", "changed"]
    assert list(preview["key"]) == ["GAND / 30/06/2026", "LLN / 31/12/2023"]
    assert preview["change"].iloc[1] == "conseillers : 2 → 3"
    assert snapshot(demo.engine) == before


def test_undo_restores_exactly_what_a_correction_replaced(demo):
    before = snapshot(demo.engine)
    text = (
        "indicateur;entite;fin_periode;scenario;valeur\n"
        "EQUITY;SMARTCOOP;31/12/2023;réel;39 856 476\n"  # corrected (was 39 856 475)
        "EQUITY;SMARTCOOP;31/12/2024;réel;41 000 000\n"
    )  # new
    [result] = load(demo.engine, "correction.csv", text)
    assert (result.inserted, result.updated) == (1, 1)
    assert snapshot(demo.engine) != before
    assert undo_load(demo.engine, result.load_id, undone_by="test") == 2
    assert snapshot(demo.engine) == before
    with session_scope(demo.engine) as s:
        assert s.get(m.DataLoad, result.load_id).status == "undone"
    with pytest.raises(UndoRefused) as refused:
        undo_load(demo.engine, result.load_id, undone_by="test")
    assert refused.value.render("fr") == f"le chargement n° {result.load_id} est déjà annulé"
    assert refused.value.render("en") == f"load no. {result.load_id} is already undone"
    assert result.line("en").startswith("correction.csv (") and ": loaded (no. " in result.line("en")
    assert "1 new rows, 1 changed" in result.line("en") and "1 nouvelles lignes, 1 modifiées" in result.line("fr")


def test_undo_is_refused_while_a_later_load_changed_the_same_rows(demo):
    first = "bureau;fin_periode;membres\nGAND;30/06/2026;760\n"
    [a] = load(demo.engine, "a.csv", first)
    [b] = load(demo.engine, "b.csv", first.replace("760", "765"))
    with pytest.raises(UndoRefused) as refused:
        undo_load(demo.engine, a.load_id, undone_by="test")
    assert refused.value.render("fr") == (
        f"des chargements plus récents ont modifié les mêmes lignes : annulez d'abord n° {b.load_id}"
    )
    assert refused.value.render("en") == f"later loads changed the same rows: undo no. {b.load_id} first"
    undo_load(demo.engine, b.load_id, undone_by="test")
    undo_load(demo.engine, a.load_id, undone_by="test")
    with session_scope(demo.engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(m.Membership).where(m.Membership.period_end == dt.date(2026, 6, 30))) == 0
        )


def test_undoing_a_receivables_load_restores_the_ageing(demo):
    before = snapshot(demo.engine)
    items = (
        "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n"
        "15/01/2024;SMARTCOOP;GAND;Nouveau client;F-NEW-1;01/10/2023;31/10/2023;1 000,00\n"
    )
    [result] = load(demo.engine, "creances.csv", items)
    with session_scope(demo.engine) as s:
        total = s.scalar(select(func.sum(m.ReceivableAgeing.amount)).where(m.ReceivableAgeing.as_of == dt.date(2024, 1, 15)))
    assert total == Decimal("1000.00")
    undo_load(demo.engine, result.load_id, undone_by="test")
    assert snapshot(demo.engine) == before


def test_templates_read_back_as_their_dataset():
    for kind, ds in formats.DATASETS.items():
        header, rows, _lines = formats.read_table("t.csv", formats.template_csv(ds))
        assert formats.detect_dataset(header) is not None and rows == []
        header, rows, _lines = formats.read_table("t.xlsx", formats.template_xlsx(ds))
        assert header == [c.name for c in ds.columns], kind


def test_the_data_page_refuses_a_bad_file_then_previews_loads_and_undoes_a_good_one(demo, app_env):
    app_env(demo.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload_0").upload(
        "semaine.csv", b"bureau;fin_periode;membres\nGAND;31/12/2024;-1\n", "text/csv"
    ).run()
    assert not at.exception
    assert at.error[0].value == "Refusé : 1 problème, rien n'a été enregistré."
    problems = at.dataframe[0].value
    assert list(problems.iloc[0]) == ["semaine.csv", 2, "membres", "-1", "une valeur supérieure ou égale à 0"]

    rows = "".join(f"B{i:04d};30/06/2026;{i}\n" for i in range(1200))  # offices unknown: a refused file first
    at.file_uploader(key="data_upload_0").upload("gros.csv", b"bureau;fin_periode;membres\n" + rows.encode(), "text/csv").run()
    assert at.error[0].value == "Refusé : 1\u202f200 problèmes, rien n'a été enregistré."
    at.file_uploader(key="data_upload_0").upload(
        "semaine.csv", b"bureau;fin_periode;membres\nGAND;30/06/2026;760\n", "text/csv"
    ).run()
    assert [mt.value for mt in at.metric] == ["1", "0", "0"]
    at.button(key="data_confirm").click().run()
    assert not at.exception
    assert "chargé (n°" in at.success[0].value and "(sociétariat par bureau)" in at.success[0].value
    assert not at.metric and at.file_uploader(key="data_upload_1").value is None  # the preview is gone: loaded
    history = next(df.value for df in at.dataframe if "SHA-256" in df.value.columns)
    assert history.iloc[0]["Fichier"] == "semaine.csv" and history.iloc[0]["Qui"] == "admin"
    assert at.selectbox(key="data_undo_id").value == int(history.iloc[0, 0])  # the load just made, not the demo's
    at.button(key="data_undo").click().run()
    assert not any("annulé" in s.value for s in at.success)  # asked first
    assert at.warning[-1].value.startswith("Annuler le chargement n°")
    at.button(key="data_undo_confirm").click().run()
    assert "annulé" in at.success[-1].value
    with session_scope(demo.engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(m.Membership).where(m.Membership.period_end == dt.date(2026, 6, 30))) == 0
        )


def test_a_receivables_file_is_the_whole_snapshot_and_undo_brings_removed_items_back(demo):
    before = snapshot(demo.engine)
    head = "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du\n"
    first = (
        head + "31/03/2026;SMARTCOOP;GAND;Atelier A;R-1;01/01/2026;31/01/2026;1 000,00\n"
        "31/03/2026;SMARTCOOP;GAND;Atelier B;R-2;01/02/2026;28/02/2026;2 500,00\n"
    )
    # it replaces the demo's snapshot of that date, and then loses one of its two items: confirmed removals
    [a] = load(demo.engine, "creances-mars.csv", first, allow_large_removal=True)
    # the same date again: R-2 has been paid, so it is no longer in the export
    second = head + "31/03/2026;SMARTCOOP;GAND;Atelier A;R-1;01/01/2026;31/01/2026;1 000,00\n"
    diff, preview = preview_file(demo.engine, "creances-mars-bis.csv", second.encode())
    assert [r["invoice_no"] for r in diff.deletes] == ["R-2"]
    assert list(preview_shown(preview, "fr")["action"]) == ["retiré"] and preview["key"].iloc[0] == "31/03/2026 / SMARTCOOP / R-2"
    assert list(preview_shown(preview, "en")[["action", "change"]].iloc[0]) == ["removed", "absent from the file"]
    [b] = load(demo.engine, "creances-mars-bis.csv", second, allow_large_removal=True)
    assert (b.inserted, b.updated, b.unchanged, b.deleted) == (0, 0, 1, 1)
    with session_scope(demo.engine) as s:
        open_items = s.scalars(
            select(m.ReceivableItem.invoice_no)
            .where(m.ReceivableItem.as_of == dt.date(2026, 3, 31))
            .where(m.ReceivableItem.invoice_no.like("R-%"))
        ).all()
        aged = s.scalar(select(func.sum(m.ReceivableAgeing.amount)).where(m.ReceivableAgeing.as_of == dt.date(2026, 3, 31)))
    assert open_items == ["R-1"] and aged == Decimal("1000.00")
    with pytest.raises(UndoRefused, match=f"no. {b.load_id}"):  # the later load touched the first one's rows
        undo_load(demo.engine, a.load_id, undone_by="test")
    undo_load(demo.engine, b.load_id, undone_by="test")
    with session_scope(demo.engine) as s:
        aged = s.scalar(select(func.sum(m.ReceivableAgeing.amount)).where(m.ReceivableAgeing.as_of == dt.date(2026, 3, 31)))
    assert aged == Decimal("3500.00")  # R-2 is back
    undo_load(demo.engine, a.load_id, undone_by="test")
    assert snapshot(demo.engine) == before
