"""The committee's own indicators, meetings, notes, decisions, and the freeze of what a closed meeting was shown."""

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
from smartdash.auth import CurrentUser, PermissionDenied
from smartdash.db import session_scope, write_scope
from smartdash.demo import load_demo
from smartdash.export.slides import build_deck
from smartdash.importing import import_files
from smartdash.inert import escape
from smartdash.views import Filters
from tests.conftest import key_figures_under_plan, login

ROOT = Path(__file__).resolve().parent.parent
ADMIN, EDITOR, VIEWER = CurrentUser("admin", "admin"), CurrentUser("editor", "editor"), CurrentUser("viewer", "viewer")
END = dt.date(2026, 11, 22)
END_2023 = dt.date(2023, 12, 31)


@pytest.fixture
def demo(store):
    load_demo(store.engine)
    return store


def test_a_new_indicator_added_through_the_catalogue_shows_on_the_overview_with_its_status(demo, app_env):
    record = {
        "code": "MEMBERS_PAID",
        "libelle_fr": "Sociétaires à jour de souscription",
        "libelle_en": "Members up to date",
        "unite": "percent",
        "sens": "up",
        "frequence": "monthly",
        "responsable": "Vie coopérative",
        "mode_seuils": "absolute",
        "seuil_orange": Decimal(80),
        "seuil_rouge": Decimal(60),
        "cle": True,
        "actif": True,
        "ordre": 0,
        "description": None,
    }
    with pytest.raises(PermissionDenied):
        committee.save_indicator(EDITOR, demo.engine, record)
    committee.save_indicator(ADMIN, demo.engine, record)
    data = ("indicateur;entite;fin_periode;scenario;valeur\nMEMBERS_PAID;SMARTFR;31/10/2026;réel;72,5 %\n").encode()
    import_files(demo.engine, [("obs.csv", data)], loaded_by="editor")
    app_env(demo.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    at.session_state["filter_entity"] = "SMARTFR"
    at.run()
    assert not at.exception
    tile = next(mt for mt in at.metric if mt.label.startswith("Sociétaires à jour de souscription"))
    assert tile.value == "72,5\u00a0%"
    badges = [md.value for md in at.markdown if "-badge[" in md.value]
    assert ":orange-badge[:material/warning: orange]" in badges  # 72,5 % is between the 60 and 80 levels
    # retiring it hides it but keeps its history
    committee.save_indicator(ADMIN, demo.engine, record | {"actif": False})
    at.run()  # no cache to empty: the change moved the store's data version on
    assert not any(mt.label.startswith("Sociétaires à jour") for mt in at.metric)
    with session_scope(demo.engine) as s:
        assert s.scalar(select(m.Observation.value).join(m.Indicator).where(m.Indicator.code == "MEMBERS_PAID")) == Decimal(
            "72.5"
        )


def test_plan_values_typed_in_go_to_their_version_only(demo):
    committee.save_plan_values(
        ADMIN,
        demo.engine,
        indicator="TURNOVER",
        version="PLAN-2026-DRAFT",
        values=[("SMARTFR", dt.date(2027, 1, 31), Decimal("9000000"))],
    )
    with session_scope(demo.engine) as s:
        version = s.scalar(select(m.PlanVersion).where(m.PlanVersion.code == "PLAN-2026-DRAFT"))
        assert version.status == "draft"
    with pytest.raises(PermissionDenied):
        committee.save_plan_values(VIEWER, demo.engine, indicator="TURNOVER", version="PLAN-2024-06", values=[])


def test_a_correction_after_a_closed_meeting_leaves_its_snapshot_and_shows_the_difference(demo):
    meeting_id = committee.add_meeting(
        EDITOR, demo.engine, held_on=dt.date(2026, 11, 20), as_of=dt.date(2026, 10, 31), title="Comité de novembre"
    )
    frozen = committee.close_meeting(EDITOR, demo.engine, meeting_id)
    assert frozen == key_figures_under_plan(demo.engine) > 0  # each key indicator for each entity under the plan
    with session_scope(demo.engine) as s:
        before = s.scalars(
            select(m.MeetingSnapshot.value).where(m.MeetingSnapshot.meeting_id == meeting_id).order_by(m.MeetingSnapshot.id)
        ).all()
        presented = committee.presented_and_corrected(session=s, meeting_id=meeting_id)
    row = presented[(presented["label"] == "Chiffre d'affaires HT") & (presented["entity"] == "SmartFr")].iloc[0]
    assert row["difference"] == 0
    correction = f"indicateur;entite;fin_periode;scenario;valeur\nTURNOVER;SMARTFR;31/10/2026;réel;{row['presented'] + 1000}\n"
    import_files(demo.engine, [("correction.csv", correction.replace(".", ",").encode())], loaded_by="editor")
    with session_scope(demo.engine) as s:
        after = s.scalars(
            select(m.MeetingSnapshot.value).where(m.MeetingSnapshot.meeting_id == meeting_id).order_by(m.MeetingSnapshot.id)
        ).all()
        presented = committee.presented_and_corrected(session=s, meeting_id=meeting_id)
    assert after == before  # the snapshot is as presented
    row = presented[(presented["label"] == "Chiffre d'affaires HT") & (presented["entity"] == "SmartFr")].iloc[0]
    assert row["corrected"] - row["presented"] == row["difference"] == Decimal(1000)
    with pytest.raises(committee.CommitteeError) as refused:
        committee.close_meeting(EDITOR, demo.engine, meeting_id)
    assert refused.value.render("fr") == "une réunion non close (elle l'est déjà)"
    assert str(refused.value) == "a meeting not yet closed (it already is)"  # logs read English
    with pytest.raises(committee.CommitteeError) as refused:
        committee.add_note(EDITOR, demo.engine, meeting_id, "Trop tard")
    assert "figées" in refused.value.render("fr")


def test_notes_and_open_actions_flow_into_the_deck_and_the_overview(demo, app_env):
    # held before the figures' date: a decision taken after it is not yet known at that date
    meeting_id = committee.add_meeting(
        EDITOR, demo.engine, held_on=dt.date(2026, 11, 20), as_of=dt.date(2026, 10, 31), title="Comité de novembre"
    )
    committee.add_note(
        EDITOR, demo.engine, meeting_id, "Le retard URSSAF est régularisé fin novembre.", indicator="CASH_NET", entity="SMARTFR"
    )
    committee.add_decision(
        EDITOR,
        demo.engine,
        meeting_id,
        "Relancer SmartBe sur la tranche conditionnelle",
        owner="Présidente",
        due_date=dt.date(2026, 11, 30),
    )
    with pytest.raises(PermissionDenied):
        committee.add_note(VIEWER, demo.engine, meeting_id, "Une note")
    data, info = build_deck(demo.engine, filters=Filters(None, END, "previous", "PLAN-2024-06"), role="viewer")
    notes = [s for s in Presentation(io.BytesIO(data)).slides if s.shapes.title.text.startswith("Notes et décisions du comité")]
    assert notes  # one slide, or more: « (1/2) », « (2/2) »
    text = " ".join(sh.text_frame.text for slide in notes for sh in slide.shapes if sh.has_text_frame)
    assert "Le retard URSSAF est régularisé fin novembre." in text
    assert "Action : Relancer SmartBe sur la tranche conditionnelle — Présidente, échéance 30/11/2026 : ○ ouverte" in text
    app_env(demo.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer").run()
    assert any("Relancer SmartBe" in md.value for md in at.markdown)
    with session_scope(demo.engine) as s:
        decision_id = int(committee.decisions(session=s, open_only=True).iloc[0]["id"])
    with write_scope(demo.engine) as s:  # closed on the figures' date: off the overview as of that date
        closed_at = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
        s.execute(update(m.Decision).where(m.Decision.id == decision_id).values(status="done", closed_at=closed_at))
    committee.add_note(EDITOR, demo.engine, meeting_id, "Action close.")  # a change the pages' caches see
    at.run()
    assert not any("Relancer SmartBe" in md.value for md in at.markdown)


def test_the_meetings_page_lets_an_editor_close_a_meeting_and_a_viewer_only_read(demo, app_env):
    app_env(demo.url)
    meeting_id = committee.add_meeting(EDITOR, demo.engine, held_on=dt.date(2026, 12, 10), as_of=END, title="Comité de décembre")
    viewer = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    viewer.session_state["committee_meeting"] = meeting_id
    viewer.switch_page("pages/committee.py").run()
    assert not viewer.exception and not viewer.get("form")
    editor = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "editor")
    editor.session_state["committee_meeting"] = meeting_id
    editor.switch_page("pages/committee.py").run()
    editor.button(key="committee_close_meeting").click().run()
    assert not editor.exception
    assert editor.success[0].value == "Réunion close : 15 chiffres figés."


def test_a_hostile_indicator_label_is_shown_as_inert_text(demo, app_env):
    label = "**gras** <b>gras</b> [lien](http://evil.example)"
    record = {
        "code": "HOSTILE",
        "libelle_fr": label,
        "libelle_en": label,
        "unite": "count",
        "sens": "up",
        "frequence": "monthly",
        "responsable": None,
        "mode_seuils": "plan",
        "seuil_orange": Decimal(5),
        "seuil_rouge": Decimal(10),
        "cle": True,
        "actif": True,
        "ordre": 0,
        "description": None,
    }
    committee.save_indicator(ADMIN, demo.engine, record)
    import_files(
        demo.engine,
        [("o.csv", b"indicateur;entite;fin_periode;scenario;valeur\nHOSTILE;SMARTFR;31/10/2026;reel;3\n")],
        loaded_by="editor",
    )
    app_env(demo.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    at.session_state["filter_entity"] = "SMARTFR"
    at.run()
    assert not at.exception
    assert escape(label) in [mt.label for mt in at.metric]
    with session_scope(demo.engine) as s:
        assert s.scalar(select(m.Indicator.label_fr).where(m.Indicator.code == "HOSTILE")) == label


def test_the_meetings_page_at_an_earlier_date_offers_only_the_meetings_held_by_then(demo_store, app_env):
    """At 31/12/2023 the page opens on the meeting of 15/12/2023, offers none held later and says so (it opened on
    September 2026's, its figures as of 31/08/2026, and its « since the meeting » found no meeting by 2023); at the
    newest figures it is the working register, the next meeting planned among its meetings."""
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer")
    at.session_state["filter_as_of"] = END_2023
    at.run()
    at.switch_page("pages/committee.py").run()
    assert not at.exception
    with session_scope(demo_store.engine) as s:
        held = {int(r.id): r.held_on for r in committee.meetings(session=s).itertuples()}
    picker = at.selectbox(key="committee_meeting")
    assert held[picker.value] == dt.date(2023, 12, 15)
    assert picker.options and not any(year in label for label in picker.options for year in ("2024", "2025", "2026"))
    assert any("Connu au 31 décembre 2023" in c.value for c in at.caption)
    assert not any("Aucune réunion tenue" in c.value for c in at.caption)  # the since-meeting section found it
    latest = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "viewer").run()
    latest.switch_page("pages/committee.py").run()
    assert any("(prévue)" in label for label in latest.selectbox(key="committee_meeting").options)
    assert not any("Connu au" in c.value for c in latest.caption)
