"""Since the last meeting and the decisions and actions register: the view, its rendering, and its place on the
pages, in the deck, in the dossier and in the digest."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pptx import Presentation
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from smartdash import committee
from smartdash import models as m
from smartdash.auth import CurrentUser
from smartdash.db import session_scope, write_scope
from smartdash.demo import load_demo
from smartdash.digest import DigestBuilder, preview_subscriber
from smartdash.export import pdf
from smartdash.export.sections import SECTIONS
from smartdash.export.slides import build_deck
from smartdash.i18n import Bilingual, text
from smartdash.importing import import_files
from smartdash.present import meetings as meetings_text
from smartdash.views import Filters
from smartdash.views import meetings as mv
from smartdash.views.overview import Attention
from tests.conftest import key_figures_under_plan, login

ROOT = Path(__file__).resolve().parent.parent
EDITOR = CurrentUser("editor", "editor")
END = dt.date(2026, 11, 22)
SEPTEMBER = dt.date(2026, 9, 15)  # the demo's last meeting held before END (figures as of 31/08/2026)
FILTERS = Filters(None, END, "previous", "PLAN-2024-06", "fr")


@pytest.fixture
def demo(store):
    load_demo(store.engine)
    return store


def meeting_on(engine, day: dt.date) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(m.Meeting.id).where(m.Meeting.held_on == day))


def add_action(engine, meeting_id: int, text_: str, *, due: dt.date | None, closed_at: dt.datetime | None = None) -> int:
    """An action as the register keeps it (a closed meeting takes no new decision through the guarded API)."""
    with write_scope(engine) as s:
        row = m.Decision(
            meeting_id=meeting_id,
            text=text_,
            owner="Présidente",
            due_date=due,
            status="done" if closed_at else "open",
            created_by="editor",
            created_at=dt.datetime(2026, 9, 15, 18, tzinfo=dt.UTC),
            closed_by="editor" if closed_at else None,
            closed_at=closed_at,
        )
        s.add(row)
        s.flush()
        return row.id


def test_the_last_held_meeting_is_compared_with_and_then_is_recomputed_without_a_snapshot(demo):
    with session_scope(demo.engine) as s:
        view = mv.since_meeting(session=s, filters=FILTERS)
    assert view.meeting.held_on == SEPTEMBER and view.meeting.as_of == dt.date(2026, 8, 31)
    assert view.then_from == mv.RECOMPUTED
    row = next(c for c in view.changes if c.indicator == "CASH_NET" and c.entity == "SMARTFR")
    assert row.then_period <= dt.date(2026, 8, 31) < row.now_period <= END  # nothing after either date
    assert row.change == row.now_value - row.then_value
    assert "recalculés" in meetings_text.origin_text(view, "fr")


def test_then_comes_from_the_meetings_snapshot_when_it_kept_one(demo):
    assert committee.freeze_latest_closed_meeting(demo.engine, by="test") > 0
    september = meeting_on(demo.engine, SEPTEMBER)
    with write_scope(demo.engine) as s:  # mark one frozen figure: the view must read it, not recompute it
        s.execute(
            update(m.MeetingSnapshot)
            .where(m.MeetingSnapshot.meeting_id == september)
            .where(m.MeetingSnapshot.indicator_code == "CASH_NET", m.MeetingSnapshot.entity_code == "SMARTFR")
            .values(value=Decimal(1_000_000), status="red")
        )
    with session_scope(demo.engine) as s:
        view = mv.since_meeting(session=s, filters=FILTERS)
    assert view.then_from == mv.SNAPSHOT
    row = next(c for c in view.changes if c.indicator == "CASH_NET" and c.entity == "SMARTFR")
    assert row.then_value == Decimal(1_000_000) and row.then_status == "red"
    assert row.change == row.now_value - Decimal(1_000_000)
    assert "figés à sa clôture" in meetings_text.origin_text(view, "fr")


def test_a_chosen_meeting_is_compared_with_and_a_meeting_after_the_as_of_date_is_not_known(demo):
    june = meeting_on(demo.engine, dt.date(2026, 6, 15))
    december = meeting_on(demo.engine, dt.date(2026, 12, 15))
    with session_scope(demo.engine) as s:
        assert mv.since_meeting(session=s, filters=FILTERS, meeting_id=june).meeting.held_on == dt.date(2026, 6, 15)
        assert mv.since_meeting(session=s, filters=FILTERS, meeting_id=december).meeting is None
        held = mv.held_meetings(session=s, as_of=END)
    assert held[0].held_on == SEPTEMBER and all(h.held_on <= END and h.status != "planned" for h in held)


def test_changes_are_in_euros_and_rates_in_points_with_a_true_minus_and_status_in_words():
    def change(unit, then, now, then_status="green", now_status="green", same_period=False):
        day = dt.date(2026, 8, 31)
        return mv.IndicatorChange(
            "X", Bilingual("X", "X"), unit, "E", "SmartFr", then, day, then_status, now, day if same_period else END, now_status
        )

    money = change("EUR", Decimal(3_166_839), Decimal(2_979_916))
    assert meetings_text.change_text(money, "fr") == "\u2212187\u00a0k€"
    rate = change("percent", Decimal("11.2"), Decimal("11.4"))
    assert meetings_text.change_text(rate, "fr") == "+0,2\u00a0pt"
    assert meetings_text.change_text(rate, "en") == "+0.2\u00a0pp"
    same = change("EUR", Decimal(5), Decimal(5), same_period=True)
    assert meetings_text.change_text(same, "fr") == "pas de nouveau chiffre"
    turned = change("EUR", Decimal(5), Decimal(4), "amber", "red")
    assert turned.turned == "red" and not turned.improved
    assert meetings_text.status_change_text(turned, "fr") == "▲ orange → ✗ rouge (aggravé)"
    better = change("EUR", Decimal(4), Decimal(5), "red", "green")
    assert better.turned is None and better.improved


def test_the_watch_list_says_what_is_new_or_worse_whatever_its_figures():
    def late(name, days, severity="red"):
        return Attention(severity, text("{name} late by {days} days: {amount}", name=name, days=days, amount="x"), "execution")

    then = [late("SmartFr", 3, "amber"), late("Alterna", 10)]
    now = [late("SmartFr", 9), late("Alterna", 40), late("GrandsEnsemble", 1)]
    changes = mv._watch_changes(then, now)
    assert [(c.kind, c.item.text.params["name"]) for c in changes] == [("worse", "SmartFr"), ("new", "GrandsEnsemble")]
    assert meetings_text.watch_text(changes[1], "fr").startswith("Nouveau : ")


def test_the_register_is_as_known_at_the_date_and_carries_open_actions_from_meeting_to_meeting(demo):
    march, june = (meeting_on(demo.engine, dt.date(2026, month, 15)) for month in (3, 6))
    kept_open = add_action(demo.engine, march, "Relancer SmartBe", due=dt.date(2026, 4, 30))
    closed_in_july = add_action(
        demo.engine, march, "Chiffrer le plan B", due=dt.date(2026, 5, 31), closed_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC)
    )
    closed_later = add_action(demo.engine, june, "Signer l'avenant", due=None, closed_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    with session_scope(demo.engine) as s:
        register = {a.id: a for a in mv.action_register(session=s, as_of=END)}
        early = {a.id: a for a in mv.action_register(session=s, as_of=dt.date(2026, 5, 1))}
        carried = mv.carried_into(session=s, meeting=mv.held_meetings(session=s, as_of=END)[0])
        opened = mv.open_actions(session=s, as_of=END)
        view = mv.since_meeting(session=s, filters=FILTERS, meeting_id=june)
    assert register[kept_open].status == "open" and register[kept_open].overdue
    assert register[kept_open].carried == 2  # June and September; not December, planned after END
    assert register[closed_in_july].status == "done" and register[closed_in_july].closed_on == dt.date(2026, 7, 2)
    assert register[closed_in_july].carried == 1  # June only: closed before September
    assert register[closed_later].status == "open" and not register[closed_later].overdue  # closed after END
    assert set(early) == {kept_open, closed_in_july}  # June's decision was not taken yet on 1 May
    assert early[closed_in_july].status == "open"
    assert {a.id for a in carried} == {kept_open, closed_later}  # what September carried over
    assert [a.id for a in opened] == [kept_open, closed_later]  # overdue first
    assert [a.id for a in view.decisions] == [closed_later]
    table = meetings_text.actions_table(list(register.values()), "fr")
    assert list(table.columns) == ["Décidée le", "Décision ou action", "Responsable", "Échéance", "État", "Reportée"]
    states = dict(zip(table["Décision ou action"], table["État"], strict=True))
    assert states == {
        "Relancer SmartBe": "✗ en retard depuis le 30/04/2026",
        "Chiffrer le plan B": "✓ faite le 02/07/2026",
        "Signer l'avenant": "○ ouverte",
    }


def test_a_closed_meeting_takes_no_new_decision(demo):
    september = meeting_on(demo.engine, SEPTEMBER)
    with pytest.raises(committee.CommitteeError) as refused:
        committee.add_decision(EDITOR, demo.engine, september, "Trop tard", owner="Présidente", due_date=None)
    assert refused.value.render("fr") == "une réunion non close (ses décisions sont figées)"


def test_loads_since_the_meeting_stop_at_the_as_of_date(demo):
    data = b"indicateur;entite;fin_periode;scenario;valeur\nCASH_NET;SMARTFR;22/11/2026;r\xc3\xa9el;2 900 000\n"
    import_files(demo.engine, [("tresorerie.csv", data)], loaded_by="editor")
    today = dt.date.today()
    with session_scope(demo.engine) as s:
        now = mv.since_meeting(session=s, filters=Filters(None, today, "previous", "PLAN-2024-06"))
        before = mv.since_meeting(session=s, filters=Filters(None, today - dt.timedelta(days=1), "previous", "PLAN-2024-06"))
    assert "tresorerie.csv" in [load.file_name for load in now.loads]
    assert "tresorerie.csv" not in [load.file_name for load in before.loads]
    table = meetings_text.loads_table(now, "fr")
    assert table.iloc[0]["Fichier"] == "tresorerie.csv" and table.iloc[0]["Par"] == "editor"


def test_the_deck_has_a_since_the_meeting_section_in_its_agenda_with_the_table_read_back(demo):
    add_action(demo.engine, meeting_on(demo.engine, SEPTEMBER), "Relancer SmartBe", due=dt.date(2026, 10, 31))
    assert "since_meeting" in [s.key for s in SECTIONS if s.deck]
    data, info = build_deck(demo.engine, filters=FILTERS, role="viewer")
    prs = Presentation(io.BytesIO(data))
    agenda = " ".join(sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame)
    assert "Depuis la dernière réunion" in agenda
    with session_scope(demo.engine) as s:
        view = mv.since_meeting(session=s, filters=FILTERS)
    expected = meetings_text.changes_table(view, "fr", changes=meetings_text.moved(view))
    titles = [t for t in info.titles if t.startswith("Depuis la réunion du 15 septembre 2026")]
    cells = []
    for title in titles:
        [table] = [sh.table for sh in prs.slides[info.titles.index(title)].shapes if sh.has_table]
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[0] == list(expected.columns)
        cells += rows[1:]
    assert cells == expected.values.tolist()  # every row that moved, none that did not
    assert 0 < len(cells) < len(view.changes)
    follow = [s for s in prs.slides if s.shapes.title.text.startswith("Depuis la réunion : points d'attention, chargements")]
    said = " ".join(sh.text_frame.text for slide in follow for sh in slide.shapes if sh.has_text_frame)  # « (1/2) »…
    assert "Décision : Relancer SmartBe — Présidente, échéance 31/10/2026 : ✗ en retard depuis le 31/10/2026" in said
    assert "Nouveau : Échéance du plan en retard" in said
    notes = [s for s in prs.slides if s.shapes.title.text.startswith("Notes et décisions du comité")]
    assert "Action : Relancer SmartBe" in " ".join(sh.text_frame.text for s in notes for sh in s.shapes if sh.has_text_frame)


def test_the_dossier_section_draws_the_same_tables(demo):
    september = meeting_on(demo.engine, SEPTEMBER)
    add_action(demo.engine, september, "Relancer SmartBe", due=dt.date(2026, 12, 31))
    pack = pdf.compose(demo.engine, filters=FILTERS, role="viewer")
    [section] = [s for s in pack.sections if s.key == "since_meeting"]
    assert section.title == "Depuis la dernière réunion"
    tables = [b for b in section.blocks if b["kind"] == "table"]
    with session_scope(demo.engine) as s:
        view = mv.since_meeting(session=s, filters=FILTERS)
    changes, decisions = meetings_text.changes_table(view, "fr"), meetings_text.actions_table(view.decisions, "fr")
    assert tables[0]["header"] == list(changes.columns) and tables[0]["rows"] == changes.values.tolist()
    assert tables[-1]["header"] == list(decisions.columns) and tables[-1]["rows"] == decisions.values.tolist()
    assert [s.key for s in pack.sections].index("since_meeting") == [s.key for s in pack.sections].index("attention") + 1


def test_the_digest_says_what_changed_since_the_meeting_and_lists_open_and_overdue_actions(demo):
    september = meeting_on(demo.engine, SEPTEMBER)
    add_action(demo.engine, september, "Relancer SmartBe", due=dt.date(2026, 10, 31))
    add_action(demo.engine, september, "Rédiger la note", due=None)
    with session_scope(demo.engine) as s:
        digest = DigestBuilder(s, as_of=END, app_url="http://localhost").build(preview_subscriber("fr"))
    assert "DEPUIS LA RÉUNION DU 15 SEPTEMBRE 2026" in digest.text
    assert "Relancer SmartBe — Présidente, échéance 31/10/2026 : ✗ en retard depuis le 31/10/2026" in digest.text
    assert "Rédiger la note — Présidente" in digest.text  # open without a due date: listed too
    assert "Nouveau : Échéance du plan en retard" in digest.html


def test_the_meetings_page_opens_on_the_last_held_meeting_read_only_with_no_note_said(demo, app_env):
    app_env(demo.url)
    september = meeting_on(demo.engine, SEPTEMBER)
    viewer = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    viewer.switch_page("pages/committee.py").run()
    assert not viewer.exception
    assert viewer.selectbox(key="committee_meeting").value == september
    assert any(md.value == "Aucune note." for md in viewer.markdown)
    assert any("Depuis la réunion du 15 septembre 2026" in h.value for h in viewer.header)
    editor = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "editor")
    editor.switch_page("pages/committee.py").run()
    assert not editor.exception
    assert not [b for b in editor.button if b.label == "Ajouter la décision"]  # closed: read-only
    assert any("lecture seule" in i.value for i in editor.info)
    planned = meeting_on(demo.engine, dt.date(2026, 12, 15))
    editor.selectbox(key="committee_meeting").set_value(planned).run()
    assert [b for b in editor.button if b.label == "Ajouter la décision"]


def test_the_overview_offers_the_since_meeting_section_and_the_open_actions(demo, app_env, monkeypatch):
    from smartdash.web import downloads

    app_env(demo.url)
    add_action(demo.engine, meeting_on(demo.engine, SEPTEMBER), "Relancer SmartBe", due=dt.date(2026, 10, 31))
    kept, keep = [], downloads.keep_table
    monkeypatch.setattr(downloads, "keep_table", lambda table, name: (kept.append((name, table)), keep(table, name)))
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer").run()
    assert not at.exception
    [expander] = [e for e in at.expander if e.label.startswith("Depuis la réunion du 15 septembre 2026")]
    assert "Passés à l'orange ou au rouge" in expander.label
    assert any("Relancer SmartBe" in md.value and "en retard depuis le 31/10/2026" in md.value for md in at.markdown)
    # closed, as the page opens: the section is drawn once the reader opens it (a rerun), not at every login
    assert not list(expander.children.values())
    assert not [t for t in at.table if "Statut alors → maintenant" in t.value.columns]
    # the page's workbook holds them still, made if it is downloaded
    workbook = {name: table() if callable(table) else table for name, table in kept}
    assert "Statut alors → maintenant" in workbook["Depuis le comité"].columns
    assert "Relancer SmartBe" in workbook["Décisions de la réunion"].to_string()
    at.session_state["overview_since_open"] = True  # the reader opens it
    at.run()
    assert not at.exception
    [expander] = [e for e in at.expander if e.label.startswith("Depuis la réunion du 15 septembre 2026")]
    frames = [t.value for t in expander.table if "Statut alors → maintenant" in t.value.columns]
    assert frames and len(frames[0]) == key_figures_under_plan(demo.engine) > 0  # entities under plan × key indicators
    [meeting] = expander.selectbox
    assert meeting.label == "Comparer avec la réunion" and len(meeting.options) > 1
    june = meeting_on(demo.engine, dt.date(2026, 6, 15))
    meeting.set_value(june).run()  # an earlier meeting: the label changes, the section stays open on it
    assert not at.exception
    [expander] = [e for e in at.expander if e.label.startswith("Depuis la réunion du")]
    assert expander.label.startswith("Depuis la réunion du 15 juin 2026")
    [meeting] = expander.selectbox
    assert meeting.value == at.session_state["overview_since_meeting"] == june
    assert [t for t in expander.table if "Statut alors → maintenant" in t.value.columns]


def test_editors_change_an_open_actions_owner_or_due_date_and_viewers_only_read(demo):
    from smartdash.auth import PermissionDenied

    planned = meeting_on(demo.engine, dt.date(2026, 12, 15))
    committee.add_decision(EDITOR, demo.engine, planned, "Relancer SmartBe", owner="Présidente", due_date=None)
    with session_scope(demo.engine) as s:
        [action] = mv.action_register(session=s, as_of=dt.date(2026, 12, 31))
    with pytest.raises(PermissionDenied):
        committee.update_action(CurrentUser("viewer", "viewer"), demo.engine, action.id, owner="DAF", due_date=None)
    committee.update_action(EDITOR, demo.engine, action.id, owner="DAF", due_date=None)
    committee.update_action(EDITOR, demo.engine, action.id, owner=" ", due_date=dt.date(2027, 1, 15))  # owner kept
    committee.close_decision(EDITOR, demo.engine, action.id, "cancelled")
    with pytest.raises(committee.CommitteeError):
        committee.update_action(EDITOR, demo.engine, action.id, owner="Présidente", due_date=None)
    with session_scope(demo.engine) as s:
        [action] = mv.action_register(session=s, as_of=max(dt.date.today(), dt.date(2026, 12, 15)))
    assert (action.owner, action.due_date, action.status) == ("DAF", dt.date(2027, 1, 15), "cancelled")
    assert meetings_text.action_state(action, "fr") == f"✓ abandonnée le {dt.date.today():%d/%m/%Y}"


def test_a_table_kept_as_the_function_that_makes_it_is_in_the_downloaded_workbook(monkeypatch):
    """A section not drawn (the overview's « since the meeting », closed) gives its tables as functions: the page's
    workbook makes them when it is downloaded, beside the tables drawn."""
    import openpyxl
    import pandas as pd

    from smartdash.web import downloads

    offered = {}

    class Buttons:
        def download_button(self, label, data, **options):
            offered["data"] = data

    monkeypatch.setattr(downloads, "st", Buttons())
    monkeypatch.setattr(downloads, "language", lambda: "fr")
    made = []
    downloads.start_page()
    downloads.keep_table(pd.DataFrame({"Indicateur": ["Capitaux propres"]}), "Dessiné")
    downloads.keep_table(lambda: made.append(True) or pd.DataFrame({"Décision": ["Relancer SmartBe"]}), "Pas dessiné")
    downloads.page_workbook("vue_ensemble")
    assert not made  # nothing made while the page is drawn
    book = openpyxl.load_workbook(io.BytesIO(offered["data"]()))
    assert made and book.sheetnames == ["Dessiné", "Pas dessiné"]
    assert [c.value for c in book["Pas dessiné"][2]] == ["Relancer SmartBe"]
