"""Every output as known at its as-of date, and judged by the plan version in force then.

The invariant sweep builds every registered page (AppTest), every deck section, every section of the A4 dossier and
the digest at 31/12/2021, 31/12/2023, each closed meeting's figures date (its pack, for the dossier) and the latest
date, and reads them back: no date after the as-of date except where the output says it is a planned or due date, no
contribution « reçu » nor instalment « payé » whose receipt or payment the store dates after it, and no plan version
adopted after it unless the reader chose it and the output says « adoptée après cette date ». The rule is read from
the data: the store says which receipts, payments and versions came later; the outputs' own headers and words say
which dates are planned ones.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from argparse import Namespace
from dataclasses import dataclass

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from smartdash import committee, digest, formatting, queries
from smartdash.auth import CurrentUser
from smartdash.db import session_scope
from smartdash.export import pdf
from smartdash.export.slides import build_deck
from smartdash.export.tables import xlsx_bytes
from smartdash.i18n import LANGUAGES, _p, every_language
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.metrics.versions import adopted_after, version_in_force_on
from smartdash.present import funding as funding_text
from smartdash.views import Filters
from smartdash.views import funding as funding_views
from smartdash.views import rules as rules_views
from smartdash.web import registry
from tests.conftest import _new_store, ensure_users, login, shown_tables
from tests.test_sweep import ROOT

END_2021, END_2023 = dt.date(2021, 12, 31), dt.date(2023, 12, 31)
MEETING_2023_12 = dt.date(2023, 11, 30)
ROLE = "editor"  # the fullest outputs (a viewer's leave the client names out): every dated row is swept
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)  # the figures date of the meeting of 15/12/2023 (before the June 2024 revision)

# --------------------------------------------------------------------------- reading dates in what a reader sees

_MONTHS = {
    lang: [formatting.date_long(dt.date(2001, m, 1), lang=lang).split(" ", 1)[1].rsplit(" ", 1)[0] for m in range(1, 13)]
    for lang in LANGUAGES
}
MONTH = {name.lower(): i for names in _MONTHS.values() for i, name in enumerate(names, start=1)}
DATE = re.compile(
    r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"
    r"|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"
    r"|(?<!\d)(\d{1,2})(?:er)?[\s\u00a0\u202f]+(" + "|".join(map(re.escape, MONTH)) + r")[\s\u00a0\u202f]+(\d{4})(?!\d)",
    re.IGNORECASE,
)


def dates_in(text: str) -> list[dt.date]:
    """Every date written in `text`: 31/07/2022, 2022-07-31, « 31 juillet 2022 », « 31 July 2022 »."""
    found = []
    for m in DATE.finditer(text):
        if m.group(1):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif m.group(4):
            day, month, year = int(m.group(6)), int(m.group(5)), int(m.group(4))
        else:
            day, month, year = int(m.group(7)), MONTH[m.group(8).lower()], int(m.group(9))
        found.append(dt.date(year, month, day))
    return found


def test_dates_are_read_in_every_way_the_outputs_write_them():
    day = dt.date(2022, 7, 31)
    written = [formatting.date_short(day), day.isoformat()] + [formatting.date_long(day, lang=lang) for lang in LANGUAGES]
    assert dates_in(" · ".join(written)) == [day] * len(written)
    assert dates_in("1er juillet 2022, 2 100 000 €, 12,4 %, 2031") == [dt.date(2022, 7, 1)]


def words(*messages: str, context: str | None = None) -> set[str]:
    """Messages as they read in every language (with `context`: pgettext messages)."""
    if context:
        return {_p(lang, context, m) for m in messages for lang in LANGUAGES}
    return {t for m in messages for t in every_language(m)}


# a column whose dates are planned or due ones, said so by its header; the load history's clock time is when a file
# was typed in, not a fact of the plan's timeline
FUTURE_HEADERS = words("Planned for", "Due", "Period", "Before", "After")
RECORD_HEADERS = words("On (UTC)")
MEETING_WORDS = ("réunion", "meeting", "comité", "committee")
LATER = words("adopted after this date", "draft, not adopted")
RECEIVED = words("received", context="contribution")
PAID = words("paid", "paid late", context="instalment")


@dataclass(frozen=True)
class Item:
    """One thing a reader reads: where, the column header (None for running text), the text, and its table row."""

    where: str
    header: str | None
    text: str
    row: dict | None = None


@dataclass(frozen=True)
class Facts:
    """What the store dates: versions (code, status, adopted_on), meetings, and every receipt and payment."""

    versions: pd.DataFrame
    meetings: pd.DataFrame
    receipts: pd.DataFrame  # contributor, planned_date, planned_amount, received_date (every version)
    payments: pd.DataFrame  # creditor, due_date, amount_due, paid_on


def facts_of(engine) -> Facts:
    with session_scope(engine) as s:
        versions = queries.plan_versions(session=s)
        receipts = pd.concat(
            [queries.contributions(session=s, plan_version=code) for code in versions["code"]], ignore_index=True
        )
        return Facts(versions, queries.meetings(session=s), receipts, queries.instalments(session=s))


def later_receipts(facts: Facts, as_of: dt.date) -> set[tuple[str, str, str]]:
    """(contributor, planned date, planned amount) as tables write them, of lines received only after `as_of`."""
    r = facts.receipts
    r = r[[d is not None and not pd.isna(d) and d > as_of for d in r["received_date"]]]
    return {
        (c, formatting.date_short(d), formatting.money(a, lang=lang))
        for c, d, a in zip(r["contributor"], r["planned_date"], r["planned_amount"], strict=True)
        for lang in LANGUAGES
    }


def later_payments(facts: Facts, as_of: dt.date) -> set[tuple[str, str, str]]:
    p = facts.payments
    p = p[[d is not None and not pd.isna(d) and d > as_of for d in p["paid_on"]]]
    return {
        (c, formatting.date_short(d), formatting.money(a, lang=lang))
        for c, d, a in zip(p["creditor"], p["due_date"], p["amount_due"], strict=True)
        for lang in LANGUAGES
    }


def cell(row: dict, *messages: str) -> str | None:
    names = words(*messages)
    return next((str(v) for k, v in row.items() if k in names), None)


def problems_of(items: list[Item], facts: Facts, as_of: dt.date, *, chosen: str | None = None, names_version=True):
    """What breaks the invariant in one output at `as_of`."""
    found = []
    meeting_days = {d for d in facts.meetings["held_on"] if d > as_of}  # a meeting to come is dated after its figures
    for item in items:
        if item.header in RECORD_HEADERS or item.header in FUTURE_HEADERS:
            continue
        for day in dates_in(item.text):
            if day <= as_of:
                continue
            if day in meeting_days and any(w in item.text.lower() for w in MEETING_WORDS):
                continue
            found.append(f"{item.where}: {day:%d/%m/%Y} after {as_of:%d/%m/%Y} in {item.header or 'text'}: {item.text[:160]!r}")
    receipts, payments = later_receipts(facts, as_of), later_payments(facts, as_of)
    for item in items:
        row = item.row
        if row is None or item.header not in words("Status", "State"):
            continue
        contribution = (cell(row, "Contributor"), cell(row, "Planned for"), cell(row, "Planned amount"))
        if item.text in RECEIVED and contribution in receipts:
            found.append(f"{item.where}: {contribution} « {item.text} » though received after {as_of:%d/%m/%Y}")
        instalment = (cell(row, "Creditor"), cell(row, "Due"), cell(row, "Due amount"))
        if item.text in PAID and instalment in payments:
            found.append(f"{item.where}: {instalment} « {item.text} » though paid after {as_of:%d/%m/%Y}")
    in_force = version_in_force_on(facts.versions, as_of)
    codes = [c for c in facts.versions["code"]]
    named = set()
    for item in items:
        for code in codes:
            if code not in item.text:
                continue
            named.add(code)
            if adopted_after(facts.versions, code, as_of) and not (code == chosen and any(w in item.text for w in LATER)):
                found.append(f"{item.where}: names {code}, adopted after {as_of:%d/%m/%Y}: {item.text[:160]!r}")
    if names_version and (chosen or in_force) not in named:
        found.append(f"names {sorted(named)}, not the version in force at {as_of:%d/%m/%Y} ({in_force})")
    return found


# --------------------------------------------------------------------------- the outputs, read as items


def table_items(where: str, header: list[str], rows: list[list]) -> list[Item]:
    header = [str(h) for h in header]
    items = []
    for values in rows:
        row = dict(zip(header, (str(v) for v in values), strict=False))
        items += [Item(where, h, v, row) for h, v in row.items()]
    return items


def pack_items(pack: pdf.Pack) -> list[Item]:
    """Every text of the A4 dossier's content, section by section, tables cell by cell."""
    items = [Item("cover", None, text) for text in pack.meta["cover"]] + [Item("footer", None, pack.meta["footer"])]

    def walk(blocks, where):
        for b in blocks:
            kind = b["kind"]
            if kind == "keep":
                yield from walk(b["blocks"], where)
            elif kind == "table":
                yield from table_items(where, b["header"], b["rows"])
            elif kind == "figures":
                yield from (Item(where, None, f"{i['label']} : {i['value']} {i['note'] or ''}") for i in b["items"])
            elif kind == "bullets":
                yield from (Item(where, None, i["text"]) for i in b["items"])
            elif "text" in b:
                yield Item(where, None, b["text"])

    for section in pack.sections:
        items += list(walk(section.blocks, section.key))
    return items


def deck_items(data: bytes) -> list[Item]:
    """Every slide's texts and table cells (charts' titles and series names too; their data are the pages')."""
    items = []
    for number, slide in enumerate(Presentation(io.BytesIO(data)).slides, start=1):
        where = f"slide {number} ({slide.shapes.title.text})"
        for shape in slide.shapes:
            if shape.has_table:
                rows = [[c.text for c in row.cells] for row in shape.table.rows]
                items += table_items(where, rows[0], rows[1:])
            elif shape.has_text_frame:
                items += [Item(where, None, line) for line in shape.text_frame.text.splitlines() if line.strip()]
            elif shape.has_chart:
                chart = shape.chart
                titles = [chart.chart_title.text_frame.text] if chart.has_title else []
                items += [Item(where, None, t) for t in titles + [s.name for s in chart.plots[0].series]]
    return items


def digest_items(engine, as_of: dt.date, lang: str = "fr") -> list[Item]:
    with session_scope(engine) as s:
        mail = digest.DigestBuilder(s, as_of=as_of, app_url="http://127.0.0.1").build(digest.preview_subscriber(lang))
    return [Item("digest", None, line) for line in (mail.subject + "\n" + mail.text).splitlines() if line.strip()]


def page_items(at: AppTest, page: str) -> list[Item]:
    items = [Item(page, None, f"exception: {e.value}") for e in at.exception]
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        items += [Item(page, None, e.value) for e in getattr(at, kind)]
    for m in at.metric:
        items.append(Item(page, None, f"{m.label} : {m.value} · {m.proto.delta} · {m.proto.help}"))
    for choice in at.selectbox:
        if choice.key and choice.key.startswith("filter_"):
            continue  # the sidebar lists every version and date to choose from, each labelled
        items.append(Item(page, None, str(choice.value)))
    for frame in shown_tables(at):
        items += table_items(page, list(frame.columns), frame.values.tolist())
    return items


def closed_meetings(facts: Facts) -> dict[dt.date, int]:
    """Each closed meeting's figures date → its number."""
    m = facts.meetings[facts.meetings["status"] == "closed"]
    return {d: int(i) for d, i in zip(m["as_of"], m["id"], strict=True)}


def sweep_dates(facts: Facts, latest: dt.date) -> list[dt.date]:
    return sorted({END_2021, END_2023, latest, *closed_meetings(facts)})


# --------------------------------------------------------------------------- the invariant sweep


@pytest.fixture(scope="module")
def swept(request, tmp_path_factory):
    """A demo store, its latest date and its facts; charts are drawn blank (the sweep reads texts and tables).

    On SQLite alone: the sweep reads what the outputs write, and the reads behind them are held to the date on each
    backend by this module's other tests (each on SQLite and PostgreSQL); sweeping 22 dates twice doubled its time."""
    from smartdash.demo import load_demo

    for store in _new_store("sqlite", request, tmp_path_factory):
        load_demo(store.engine)
        ensure_users(store.url)
        with session_scope(store.engine) as s:
            latest = queries.latest_data_date(session=s)
        yield from _swept(store, latest)


def _swept(store, latest):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SMARTDASH_DATABASE_URL", store.url)
        from smartdash.db import engine_for
        from smartdash.store import ensure_schema

        ensure_schema(engine_for(store.url))
        patch.setattr(pdf, "chart_svg", lambda spec, lang: "<svg xmlns='http://www.w3.org/2000/svg'/>")
        patch.setattr("smartdash.export.slides.chart_png", lambda spec, **kwargs: BLANK_PNG)
        yield store, latest, facts_of(store.engine)


OUTPUTS = {  # each output of a date, built as its reader gets it (one test each: the suite's workers share them)
    # at a closed meeting's date, its own pack (`export pdf --meeting N`) is the dossier of that date
    "dossier": lambda store, filters, meeting: pack_items(
        pdf.compose(store.engine, role=ROLE, filters=filters, meeting_id=meeting)
    ),
    "deck": lambda store, filters, _meeting: deck_items(build_deck(store.engine, role=ROLE, filters=filters)[0]),
    "digest": lambda store, filters, _meeting: digest_items(store.engine, filters.as_of),
}


@pytest.mark.parametrize("output", OUTPUTS)
def test_every_deck_section_dossier_section_and_digest_is_as_known_at_its_date(swept, output):
    """At each date: the deck and the dossier with no version chosen (the version in force), a closed meeting's own
    pack (`export pdf --meeting N`), and the digest."""
    store, latest, facts = swept
    problems = {}
    meetings = closed_meetings(facts)
    for day in sweep_dates(facts, latest):
        items = OUTPUTS[output](store, Filters(None, day, "meeting", None, "fr"), meetings.get(day))
        found = problems_of(items, facts, day)
        if found:
            problems[f"{output} at {day}"] = found[:6]
    assert not problems, "\n".join(f"{k}: {p}" for k, v in problems.items() for p in v)


def test_every_registered_page_is_as_known_at_its_date(swept):
    """Every page of the registry that shows what was known at the as-of date (the registers of meetings, catalogue,
    loads and accounts are the store as it stands), at each date, the sidebar's version following the date."""
    store, latest, facts = swept
    problems = {}
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180))
    for day in sweep_dates(facts, latest):
        at.session_state["filter_as_of"] = day
        at.run()
        for page in registry.PAGES:
            if not page.at_as_of:
                continue
            at.switch_page(page.path).run()
            items = page_items(at, page.name)
            found = problems_of(items, facts, day, names_version=False)
            found += [i.text for i in items if i.text.startswith("exception:")]
            if found:
                problems[f"{page.name} at {day}"] = found[:6]
    assert not problems, "\n".join(f"{k}: {p}" for k, v in problems.items() for p in v)


# --------------------------------------------------------------------------- item by item, each failing without its fix


def test_a_receipt_after_the_as_of_date_is_planned_or_late_never_received(demo_store):
    """At 31/12/2021 SmartBe's 1 000 000 € (received 31/07/2022) is « prévu », the 2021 rounds received in 2022 are
    due that day (« prévu »), and coverage counts nothing received later; at 31/03/2022 the 2021 rounds are « reçu »
    and the 2022 capital not yet due is « prévu »; a line due before the as-of date and received after it is late."""
    with session_scope(demo_store.engine) as s:
        at_2021 = funding_views.funding_view(
            session=s, filters=Filters(None, END_2021, "previous", "PLAN-2021-11"), definition=OnePlusOneDefinition()
        )
        at_2022 = funding_views.funding_view(
            session=s, filters=Filters(None, dt.date(2022, 3, 31), "previous", "PLAN-2021-11"), definition=OnePlusOneDefinition()
        )
    table = funding_text.contributions_table(at_2021, "fr")
    assert {s.split(" :")[0] for s in table["Statut"]} <= {"prévu", "engagé", "conditionnel"}  # nothing « reçu »
    assert set(table["Reçu"]) == {""}
    capital = table[(table["Apporteur"] == "SmartBe") & (table["Prévu le"] == "en 2022")].iloc[0]
    assert (capital["Statut"], capital["Reçu"]) == ("prévu", "")
    lines = at_2022.lines.set_index("code")
    assert lines.loc["SFR-2021-SMARTBE-ABANDON", "display_status"] == "received"
    assert lines.loc["SFR-2022-SMARTBE-CAPITAL", "display_status"] == "planned"
    assert lines.loc["SFR-2022-SMARTBE-CAPITAL", "received_amount"] is None
    with session_scope(demo_store.engine) as s:  # due 31/12/2021, received 25/01/2022: at 15/01/2022 it is late
        mid = funding_views.funding_view(
            session=s, filters=Filters(None, dt.date(2022, 1, 15), "previous", "PLAN-2021-11"), definition=OnePlusOneDefinition()
        )
    assert mid.lines.set_index("code").loc["SFR-2021-SOCIETAIRES", "display_status"] == "late"


def test_the_contributions_download_at_end_2023_holds_the_2024_rounds_as_planned(demo_store):
    """The XLSX download of the table: the rounds received in 2024–2026 are « prévu » at 31/12/2023."""
    with session_scope(demo_store.engine) as s:
        view = funding_views.funding_view(
            session=s, filters=Filters(None, END_2023, "previous", "PLAN-2021-11"), definition=OnePlusOneDefinition()
        )
    workbook = load_workbook(io.BytesIO(xlsx_bytes({"Apports": funding_text.contributions_table(view, "fr")})))
    rows = list(workbook["Apports"].iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert "Statut" in header
    due_2023 = [r for r in body if r["Prévu le"] in ("31/12/2023", "en 2023") and str(r["Apporteur"]).startswith("Sociétaires")]
    assert len(due_2023) == 2 and {r["Statut"] for r in due_2023} == {"prévu"}
    later = [r for r in body if r["Prévu le"][-4:] > "2023"]
    assert later and {r["Statut"] for r in later} == {"prévu"} and {r["Reçu"] or "" for r in later} == {""}


def test_the_attention_list_calls_a_round_late_when_it_was_received_only_after_the_date(demo_store):
    """At 15/01/2022 the 2021 members' rounds (due 31/12/2021, received late January 2022) are late: the overview,
    the deck and the digest say so."""
    day = dt.date(2022, 1, 15)
    with session_scope(demo_store.engine) as s:
        filters = Filters(None, day, "previous", "PLAN-2021-11")
        items = rules_views.attention_items(session=s, filters=filters, tiles=[])
    late = [a for a in items if a.page == "funding" and a.severity == "red"]
    assert len(late) >= 2


def test_instalments_paid_after_the_as_of_date_are_not_paid_at_it(demo_store):
    from smartdash.views import execution as execution_views

    with session_scope(demo_store.engine) as s:
        raw = queries.instalments(session=s, entities=["SMARTFR"])
        first_paid = min(d for d in raw["paid_on"] if d is not None)
        view = execution_views.execution_view(
            session=s,
            filters=Filters("SMARTFR", first_paid - dt.timedelta(days=1), "previous", "PLAN-2021-11"),
            entity="SMARTFR",
            entity_name="SmartFr",
            plan_adopted_on=None,
        )
    assert set(view.schedule["paid_on"].map(lambda d: d is None)) == {True}
    assert sum(view.schedule["amount_paid"]) == 0


def test_open_actions_are_those_open_at_the_date(store):
    """An action decided at a later meeting is not listed at an earlier date; one closed since is listed as open."""
    from smartdash.demo import load_demo

    load_demo(store.engine)
    editor = CurrentUser("editor", "editor")
    # meetings of their own (the demo's past meetings are closed: their decisions are frozen)
    early = committee.add_meeting(editor, store.engine, held_on=dt.date(2022, 4, 20), as_of=dt.date(2022, 3, 31), title="Comité")
    late = committee.add_meeting(editor, store.engine, held_on=dt.date(2024, 4, 20), as_of=dt.date(2024, 3, 31), title="Comité")
    committee.add_decision(editor, store.engine, early, "Relancer les sociétaires", owner="DAF", due_date=dt.date(2022, 6, 30))
    committee.add_decision(editor, store.engine, late, "Revoir le plan", owner="CA", due_date=dt.date(2024, 6, 30))
    with session_scope(store.engine) as s:
        first = int(committee.decisions(session=s).iloc[0]["id"])
    committee.close_decision(editor, store.engine, first)
    with session_scope(store.engine) as s:
        at_2023 = committee.decisions(session=s, open_at=END_2023)
    assert list(at_2023["text"]) == ["Relancer les sociétaires"] and list(at_2023["status"]) == ["open"]
    pack = pdf.compose(store.engine, role=ROLE, filters=Filters(None, END_2023, "meeting", None, "fr"))
    texts = [i.text for i in pack_items(pack)]
    assert "Relancer les sociétaires" in texts and "Revoir le plan" not in texts


def test_the_decks_appendix_at_end_2023_does_not_cite_the_june_2024_revision(demo_store):
    data, _info = build_deck(demo_store.engine, role=ROLE, filters=Filters(None, END_2023, "meeting", None, "fr"))
    texts = " ".join(i.text for i in deck_items(data))
    assert "PLAN-2021-11" in texts and "PLAN-2024-06" not in texts
    chosen, _info = build_deck(demo_store.engine, role=ROLE, filters=Filters(None, END_2023, "meeting", "PLAN-2024-06", "fr"))
    appendix = [i.text for i in deck_items(chosen) if "Versions du plan" in i.text]
    assert appendix == ["● Versions du plan : PLAN-2021-11, PLAN-2024-06 (adoptée après cette date)"]


# --------------------------------------------------------------------------- item 3: a meeting's pack, its day's plan


def meeting_id(engine, as_of: dt.date) -> int:
    with session_scope(engine) as s:
        frame = queries.meetings(session=s)
    return int(frame[frame["as_of"] == as_of].iloc[0]["id"])


def test_a_meetings_dossier_compares_with_the_plan_in_force_at_its_figures_date(demo_store):
    """The meeting of 15/12/2023 (figures at 30/11/2023): break-even 2024 and the partners' 1,25 M€ due 31/12/2023 of
    the November 2021 plan, whatever version is in force today; PLAN-2024-06 only when chosen, and then labelled."""
    number = meeting_id(demo_store.engine, MEETING_2023_12)
    pack = pdf.compose(
        demo_store.engine, role=ROLE, filters=Filters(None, dt.date(2026, 11, 30), "meeting", None, "fr"), meeting_id=number
    )
    items = pack_items(pack)
    assert "Version du plan : PLAN-2021-11" in pack.meta["cover"]
    assert not [i.text for i in items if "PLAN-2024-06" in i.text]
    equity = [i.text for i in items if i.where == "equity" and i.text.startswith("Équilibre visé (plan)")]
    assert equity and all(t.split(" : ")[1].startswith("2024") for t in equity[:2])
    partners = [i.row for i in items if i.where == "funding" and i.row and i.row.get("Apporteur") == "Partenaires financiers"]
    assert {(r["Prévu le"], r["Montant prévu"]) for r in partners} >= {("en 2023", "1\u202f250\u202f000\u00a0€")}
    assert not [r for r in partners if r["Prévu le"] in ("31/12/2025", "en 2025")]
    chosen = pdf.compose(
        demo_store.engine,
        role=ROLE,
        filters=Filters(None, dt.date(2026, 11, 30), "meeting", "PLAN-2024-06", "fr"),
        meeting_id=number,
    )
    assert "Version du plan : PLAN-2024-06 (adoptée après cette date)" in chosen.meta["cover"]
    assert "PLAN-2024-06 (adoptée après cette date)" in chosen.meta["footer"]


def test_export_pdf_meeting_leaves_the_version_to_the_meetings_date(demo_store, monkeypatch, capsys):
    """`export pdf --meeting N` without --plan-version: the dossier is composed with the version in force at the
    meeting's figures date, not at the latest date, and the command says the figures are of that date."""
    seen = {}

    def build(engine, *, filters, role, meeting_id=None, progress=None):
        pack = pdf.compose(engine, filters=filters, role=role, meeting_id=meeting_id)
        seen["cover"] = pack.meta["cover"]
        return b"%PDF-", pdf.PdfInfo([s.title for s in pack.sections], pack.synthetic, pack.sources, pack.frozen_meeting)

    monkeypatch.setattr(pdf, "build_pdf", build)
    number = meeting_id(demo_store.engine, MEETING_2023_12)
    args = Namespace(as_of=None, plan_version=None, meeting=number, entity=None, lang="fr", out="/dev/null", role="viewer")
    assert pdf.export_pdf_command(demo_store.engine, args, "fr") == 0
    assert "Version du plan : PLAN-2021-11" in seen["cover"]
    assert "chiffres au 30/11/2023" in capsys.readouterr().out


def test_the_board_pack_page_builds_a_meetings_pack_with_the_plan_of_its_day(demo_store, app_env, monkeypatch):
    """The Dossier page at the latest date (PLAN-2024-06 in force), for the meeting of 15/12/2023: the deck and the
    PDF are asked for with its figures date and PLAN-2021-11; a version chosen in the sidebar is kept."""
    from smartdash.web import exports

    asked = []

    def deck(filters, lang, progress):
        asked.append(("deck", filters.as_of, filters.plan_version))
        return b"", Namespace(titles=[], synthetic=False)

    def printed(filters, lang, meeting, progress):
        asked.append(("pdf", filters.as_of, filters.plan_version))
        return b"%PDF-", pdf.PdfInfo([], False, set(), None)

    monkeypatch.setattr(exports, "build_deck", deck)
    monkeypatch.setattr(exports, "build_pdf", printed)
    app_env(demo_store.url)
    number = meeting_id(demo_store.engine, MEETING_2023_12)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)).run()
    at.switch_page("pages/export.py").run()
    at.selectbox(key="export_meeting").set_value(number).run()
    at.button(key="export_build").click().run()
    at.button(key="export_pdf_build").click().run()
    assert not at.exception
    assert asked == [("deck", MEETING_2023_12, "PLAN-2021-11"), ("pdf", MEETING_2023_12, "PLAN-2021-11")]
    asked.clear()
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.session_state["filter_plan_version"] = "PLAN-2024-06"  # chosen in the sidebar (set before the first run)
    at.run()
    at.switch_page("pages/export.py").run()
    at.selectbox(key="export_meeting").set_value(number).run()
    at.button(key="export_pdf_build").click().run()
    assert asked == [("pdf", MEETING_2023_12, "PLAN-2024-06")]


def test_the_versions_page_at_a_past_date_lists_the_versions_known_then(demo_store, app_env):
    app_env(demo_store.url)
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.session_state["filter_as_of"] = END_2023
    at.run()
    at.switch_page("pages/versions.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "PLAN-2021-11" in text and "PLAN-2024-06" not in text
    assert "en vigueur" in text  # the November 2021 plan was in force at 31/12/2023, superseded only since
    assert "Les versions adoptées après le 31 décembre 2023" in at.info[0].value


def test_the_dossier_lists_only_the_source_documents_its_figures_cite(demo_store):
    """At 31/12/2021 no figure comes from SmartCoop's 2023 annual report (published in 2024): its figures are not
    printed among the source documents; at 31/12/2023 they are."""
    reports = {}
    for day in (END_2021, END_2023):
        pack = pdf.compose(demo_store.engine, role=ROLE, filters=Filters(None, day, "previous", None, "fr"))
        rows = [i.row for i in pack_items(pack) if i.where == "sources" and i.row]
        reports[day] = [r for r in rows if "rapport annuel 2023" in " ".join(map(str, r.values()))]
    assert reports[END_2021] == [] and reports[END_2023]
