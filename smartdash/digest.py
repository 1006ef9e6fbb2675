"""The weekly digest: one e-mail per subscriber with the week's key indicators (status, change since last week and
since the last meeting), what turned amber or red, what needs attention (late instalments and rounds, the 1+1
coverage, the cessation-des-paiements test), what changed since the last meeting and what it decided, the open and
overdue actions, the latest loads and a small chart per entity.

Every figure comes from the views the pages use (smartdash.views.overview, .receivables); a viewer's digest holds
what a viewer may see — no client names. Built without streamlit: `python -m smartdash digest` runs it from cron.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import altair as alt
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from smartdash import auth, charts, formats, formatting, models, queries
from smartdash.config import Settings
from smartdash.db import session_scope
from smartdash.export.images import chart_png
from smartdash.export.sections import digest_sections
from smartdash.i18n import N_, Text, _, _n, bilingual, template_messages, text
from smartdash.importing import load_history
from smartdash.mail import InlineImage, MailNotConfigured, message_or_refusal, new_cid, send_all
from smartdash.metrics.status import AMBER, GREEN, RED
from smartdash.present import meetings as meetings_text
from smartdash.present import overview as overview_text
from smartdash.present import receivables as receivables_text
from smartdash.provenance import is_marked
from smartdash.subscriptions import Subscriber, covered_entities, subscribers
from smartdash.views import Filters
from smartdash.views import meetings as meetings_views
from smartdash.views import overview as overview_views
from smartdash.views import receivables as receivables_views
from smartdash.views import rules as rules_views

TEMPLATES = Path(__file__).resolve().parent / "templates"
RANK = {None: 0, GREEN: 0, AMBER: 1, RED: 2}
STATUS_WORDS = {GREEN: N_("green"), AMBER: N_("amber"), RED: N_("red"), None: N_("no plan")}
CHART_WEEKS = 13
CLIENTS_SHOWN = 5
PAGE_PATHS = {
    "overview": "",
    "equity": "equity",
    "funding": "funding",
    "execution": "execution",
    "receivables": "receivables",
    "subscriptions": "subscriptions",
    "committee": "committee",
}
ATTENTION_GROUPS = {  # the overview's attention list, grouped by the page it points to
    "funding": N_("Funding and the 1+1 rule"),
    "execution": N_("Plan execution: instalments, liquidity, legal lines"),
    "equity": N_("Equity"),
}


def week_of(day: dt.date) -> str:
    """The ISO week a digest belongs to, e.g. `2026-W48`: one digest per subscriber and week."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Line:
    """One key indicator of one entity, formatted for the reader."""

    label: str
    status: str | None
    status_word: str
    colour: str
    previous_status: str | None
    value: str
    period: str
    week_change: str
    meeting_change: str
    plan: str
    gap: str  # to the plan for the same period, in € first (overview_text.plan_gap)
    trend: str
    synthetic: bool
    source: str

    @property
    def turned(self) -> int:
        """+1 when the status got worse since last week, -1 when better, 0 otherwise."""
        now, before = RANK[self.status], RANK[self.previous_status]
        return (now > before) - (now < before)


@dataclass(frozen=True)
class EntityPart:
    code: str
    name: str
    lines: list[Line]
    attention: list[tuple[str, list[tuple[str, str]]]]  # (group heading, [(severity colour, message)])
    chart: InlineImage | None
    receivables: list[tuple[str, str]]  # (label, value) — aggregates only
    receivables_as_of: str
    clients: list[tuple[str, str, str]]  # (client, past due, oldest due date) — only for roles that see clients
    receivables_note: str = ""  # what the open amount nets (unmatched payments and credit notes), if any


@dataclass
class Digest:
    """One subscriber's digest: its subject, the HTML (for the e-mail and for a file) and the plain text."""

    subscriber: Subscriber
    subject: str
    html: str
    html_file: str
    text: str
    images: list[InlineImage] = field(default_factory=list)


def _signed(value: Decimal | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "="
    return formatting.change(value, unit, lang=lang)  # a rate's change in points, as on the pages


# --------------------------------------------------------------------------- assembling the figures


def _lines(now: list[overview_views.Tile], week: list[overview_views.Tile], lang: str) -> list[Line]:
    before = {t.indicator: t for t in week}
    lines = []
    for tile in now:
        old = before.get(tile.indicator)
        new_value = old is None or old.period_end != tile.period_end
        week_change = (
            _signed(tile.value - old.value, tile.unit, lang)
            if new_value and old is not None and old.value is not None and tile.value is not None
            else "—"
        )
        lines.append(
            Line(
                label=overview_text.tile_label(tile, lang),
                status=tile.status,
                status_word=_(lang, STATUS_WORDS[tile.status]),
                colour=charts.STATUS_COLOURS[tile.status],
                previous_status=old.status if old else None,
                value=formatting.value(tile.value, tile.unit, lang=lang, compact=True),
                period=overview_text.period_text(tile, lang, short=True),
                week_change=week_change,
                meeting_change=_signed(tile.change, tile.unit, lang),
                plan=formatting.value(tile.plan_value, tile.unit, lang=lang, compact=True)
                if tile.plan_value is not None
                else "—",
                gap=overview_text.plan_gap(tile, lang),
                trend=tile.trend,
                synthetic=tile.is_synthetic,
                source=tile.source or "",
            )
        )
    return lines


def _chart(session: Session, code: str, name: str, as_of: dt.date, lang: str) -> InlineImage | None:
    """The entity's weekly key indicator (net cash in the catalogue) over the last weeks, as a small PNG."""
    catalogue = queries.indicators(session=session, key_only=True)
    weekly = catalogue[catalogue["frequency"] == "weekly"]
    for ind in weekly.itertuples():
        series = queries.observations(session=session, indicators=[ind.code], entities=[code], until=as_of)
        series = series[series["period_end"] > as_of - dt.timedelta(weeks=CHART_WEEKS)]
        if len(series) < 3:
            continue
        label = ind.label_en if lang == "en" else ind.label_fr
        frame = pd.DataFrame({"period_end": series["period_end"], "value": series["value"], "series": label, "dashed": False})
        charts.use_language(lang)
        chart = (
            charts.trajectory_chart(
                frame,
                unit=ind.unit,
                lang=lang,
                title=_(lang, "{label} — last {chart_weeks} weeks", label=label, chart_weeks=CHART_WEEKS),
            )
            .encode(  # weeks, not years, on the axis; a scale around the values, not from zero: a week's move shows
                x=alt.X("period_end:T", title=None, axis=alt.Axis(format="%d/%m", labelAngle=0)),
                y=alt.Y("value:Q", axis=charts.value_axis(ind.unit), scale=alt.Scale(zero=False)),
                color=alt.Color("series:N", legend=None),
            )
            .properties(width=520, height=150)
        )
        first, last = series.iloc[0], series.iloc[-1]
        # Translators: English lowercases the label inside the sentence ({label_lower}); French keeps {label}.
        alt_text = _(
            lang,
            "{name}'s {label_lower}: {first_value} on {first_date}, {last_value} on {last_date}",
            name=name,
            label=label,
            label_lower=label.lower(),
            first_value=formatting.value(first["value"], ind.unit, lang=lang, compact=True),
            first_date=formatting.date_short(first["period_end"]),
            last_value=formatting.value(last["value"], ind.unit, lang=lang, compact=True),
            last_date=formatting.date_short(last["period_end"]),
        )
        return InlineImage(new_cid(f"chart-{code.lower()}-{lang}"), chart_png(chart, lang=lang, scale=2), alt_text)
    return None


def _receivables(session: Session, code: str, as_of: dt.date, lang: str) -> tuple[list[tuple[str, str]], str, str]:
    view = receivables_views.receivables_view(session=session, entity=code, as_of=as_of)
    if view.as_of is None:
        return [], "", ""

    def pct(share: Decimal | None) -> str:
        return formatting.percent(share * 100, lang=lang) if share is not None else "—"

    # each figure labelled for what it is: figures of generated open items carry the mark, as on the page
    items, dso_origin = view.origin, view.dso_origin
    return (
        [
            (items.label(_(lang, "Open receivables"), lang), formatting.money_compact(view.total, lang=lang)),
            (items.label(_(lang, "of which past due"), lang), formatting.money_compact(view.overdue, lang=lang)),
            (items.label(_(lang, "Past-due share"), lang), pct(view.overdue_ratio)),
            (items.label(_(lang, "Share over 90 days"), lang), pct(view.share_over_90)),
            (
                dso_origin.label("DSO", lang),
                formatting.value(view.dso_days, "days", lang=lang) if view.dso_days is not None else "—",
            ),
        ],
        formatting.date_long(view.as_of, lang=lang),
        receivables_text.credits_note(view, lang) or "",
    )


def _clients(session: Session, code: str, as_of: dt.date, lang: str) -> list[tuple[str, str, str]]:
    """The largest past-due clients — read only for a subscriber whose role may see client names."""
    view = receivables_views.receivables_view(session=session, entity=code, as_of=as_of)
    if view.as_of is None:
        return []
    frame = queries.largest_overdue_clients(session=session, entity=code, as_of=view.as_of, limit=CLIENTS_SHOWN)
    return [
        (c, formatting.money(v, lang=lang), formatting.date_short(d))
        for c, v, d in zip(frame["client"], frame["overdue"], frame["oldest_due_date"], strict=True)
    ]


def _entity_part(session: Session, code: str, name: str, as_of: dt.date, version: str | None, lang: str) -> EntityPart:
    filters = Filters(code, as_of, "meeting", version, lang)
    now = overview_views.overview_tiles(session=session, filters=filters)
    week = overview_views.overview_tiles(
        session=session, filters=Filters(code, as_of - dt.timedelta(days=7), "previous", version, lang)
    )
    grouped: dict[str, list[tuple[str, str]]] = {}
    for item in rules_views.attention_items(session=session, filters=filters, tiles=now):
        if item.page in ATTENTION_GROUPS:  # red indicators are in the table already
            grouped.setdefault(item.page, []).append(
                (charts.STATUS_COLOURS[item.severity], overview_text.attention_text(item, lang))
            )
    attention = [(_(lang, ATTENTION_GROUPS[page]), items) for page, items in grouped.items()]
    receivables, receivables_as_of, receivables_note = _receivables(session, code, as_of, lang)
    return EntityPart(
        code,
        name,
        _lines(now, week, lang),
        attention,
        _chart(session, code, name, as_of, lang),
        receivables,
        receivables_as_of,
        [],
        receivables_note,
    )


def _actions(session: Session, as_of: dt.date, lang: str) -> list[tuple[str, str, str, bool]]:
    """The actions open at `as_of`, overdue ones first: (text, owner, due date, overdue)."""
    return [
        (a.text, a.owner, formatting.date_long(a.due_date, lang=lang), a.overdue)
        for a in meetings_views.open_actions(session=session, as_of=as_of)
    ]


@dataclass(frozen=True)
class SincePart:
    """Since the last meeting held, for the subscriber's entities: heading, where "then" comes from, one summary
    line, what turned amber or red, the watch list's new and worse items, the meeting's decisions."""

    heading: str
    origin: str
    summary: str
    turned: list[tuple[str, str]]  # (status colour, text with the status in words)
    watch: list[tuple[str, str]]  # (severity colour, text)
    decisions: list[tuple[str, str]]  # (state colour: red overdue, amber open, green closed; text with its state)


def _action_colour(action: meetings_views.Action) -> str:
    return RED if action.overdue else AMBER if action.status == "open" else GREEN


def _since(session: Session, as_of: dt.date, version: str | None, entity: str | None, lang: str) -> SincePart:
    view = meetings_views.since_meeting(session=session, filters=Filters(entity, as_of, "previous", version))
    return SincePart(
        meetings_text.heading(view, lang),
        meetings_text.origin_text(view, lang),
        meetings_text.summary_text(view, lang) if view.meeting else "",
        [
            (
                charts.STATUS_COLOURS[c.now_status],
                f"{c.labels.render(lang)} — {c.entity_name} : {meetings_text.status_change_text(c, lang)}",
            )
            for c in view.turned
        ],
        [(charts.STATUS_COLOURS[w.item.severity], meetings_text.watch_text(w, lang)) for w in view.watch],
        [(charts.STATUS_COLOURS[_action_colour(a)], meetings_text.action_line(a, lang)) for a in view.decisions],
    )


def _loads(session: Session, as_of: dt.date, lang: str) -> tuple[list[tuple[str, str, str, str]], bool]:
    """The loads of the week ending at `as_of` (when, who, what, rows), every one of them — or the latest one before,
    and False."""
    history = load_history(session=session, limit=200)
    history = history[history["status"] == "applied"]
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    when = [t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t for t in history["loaded_at"]]  # SQLite: naive UTC
    in_week = [i for i, t in enumerate(when) if end - dt.timedelta(days=7) <= t < end]
    before = [i for i, t in enumerate(when) if t < end][:1]
    rows = []
    for i in in_week or before:
        row = history.iloc[i]
        kind = formats.DATASETS.get(row["kind"])
        what = bilingual(lang, kind.title_fr, kind.title_en) if kind else row["kind"]
        new, changed = (formatting.number(row[c], lang=lang) for c in ("rows_inserted", "rows_updated"))
        count = _(lang, "{new} new rows, {changed} changed", new=new, changed=changed)
        rows.append(
            (
                formatting.date_short(when[i].date()) + when[i].strftime(" %H:%M"),
                row["loaded_by"],
                f"{what} ({row['file_name']})",
                count,
            )
        )
    return rows, bool(in_week)


# --------------------------------------------------------------------------- rendering


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _data_uri(image: InlineImage) -> str:
    return "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")


class DigestBuilder:
    """Builds digests at one as-of date, computing each entity's part once per language."""

    def __init__(self, session: Session, *, as_of: dt.date, app_url: str):
        self.session, self.as_of, self.app_url = session, as_of, app_url
        self.version = queries.version_in_force(session=session, on=as_of)  # the plan in force at the figures' date
        self.meeting = overview_views.last_meeting_as_of(session=session, as_of=as_of)
        self._parts: dict[tuple[str, str], EntityPart] = {}
        self._clients: dict[tuple[str, str], list] = {}
        self._common: dict[str, tuple] = {}
        self._since: dict[tuple[str | None, str], SincePart] = {}
        self.env = _environment()

    def part(self, code: str, name: str, lang: str, *, see_clients: bool) -> EntityPart:
        key = (code, lang)
        if key not in self._parts:
            self._parts[key] = _entity_part(self.session, code, name, self.as_of, self.version, lang)
        part = self._parts[key]
        if not see_clients or not part.receivables:
            return part
        if key not in self._clients:
            self._clients[key] = _clients(self.session, code, self.as_of, lang)
        return EntityPart(**{**part.__dict__, "clients": self._clients[key]})

    def common(self, lang: str) -> tuple:
        if lang not in self._common:
            self._common[lang] = (_actions(self.session, self.as_of, lang), *_loads(self.session, self.as_of, lang))
        return self._common[lang]

    def since(self, codes: list[str], lang: str) -> SincePart:
        """Since the last meeting for the subscriber's entities: one entity's own, else every entity under the plan."""
        entity = codes[0] if len(codes) == 1 else None
        key = (entity, lang)
        if key not in self._since:
            self._since[key] = _since(self.session, self.as_of, self.version, entity, lang)
        return self._since[key]

    def build(self, subscriber: Subscriber) -> Digest:
        lang = subscriber.lang
        sections = digest_sections()  # the board pack's sections the digest carries (export.sections.SECTIONS)
        see_clients = subscriber.can("see_clients")
        parts = [
            self.part(code, name, lang, see_clients=see_clients)
            for code, name in covered_entities(session=self.session, subscriber=subscriber)
        ]
        actions, loads, loads_this_week = self.common(lang)
        counts = {s: sum(1 for p in parts for line in p.lines if line.status == s) for s in (RED, AMBER, GREEN)}
        worse = [(p.name, line) for p in parts for line in p.lines if line.turned > 0]
        better = [(p.name, line) for p in parts for line in p.lines if line.turned < 0]
        as_of_text = formatting.date_long(self.as_of, lang=lang)
        subject = _(lang, "smartdash — the plan's week as of {as_of_text}", as_of_text=as_of_text)
        if worse:
            subject = _n(
                lang,
                "smartdash — the plan's week as of {as_of_text} · {n_worse} indicator worse",
                "smartdash — the plan's week as of {as_of_text} · {n_worse} indicators worse",
                len(worse),
                as_of_text=as_of_text,
                n_worse=len(worse),
            )
        context = {
            **template_messages(lang),
            "lang": lang,
            "subject": subject,
            "as_of": as_of_text,
            "parts": parts,
            "entities": ", ".join(p.name for p in parts),
            "plan_version": self.version or "—",
            "meeting": formatting.date_long(self.meeting, lang=lang) if self.meeting else None,
            "counts": counts,
            "worse": worse,
            "better": better,
            "actions": actions,
            "sections": sections,
            "since": self.since([p.code for p in parts], lang) if "since_meeting" in sections else None,
            "loads": loads,
            "loads_this_week": loads_this_week,
            "synthetic": any(line.synthetic for p in parts for line in p.lines)
            or any(is_marked(label) for p in parts for label, _value in p.receivables),
            "app_url": self.app_url,
            "page_url": lambda page: f"{self.app_url}/{PAGE_PATHS.get(page, page)}",
            "subscription_url": f"{self.app_url}/subscriptions",
            "colours": charts.STATUS_COLOURS,
            "see_clients": see_clients,
            "login": subscriber.login,
            "word": lambda s: _(lang, STATUS_WORDS[s]),
        }
        images = [p.chart for p in parts if p.chart is not None]
        html = self.env.get_template("digest.html").render(**context, src=lambda image: f"cid:{image.cid}")
        html_file = self.env.get_template("digest.html").render(**context, src=_data_uri)
        text = self.env.get_template("digest.txt").render(**context)
        return Digest(subscriber, subject, html, html_file, text, images)


# --------------------------------------------------------------------------- running it: files and e-mail


def preview_subscriber(lang: str) -> Subscriber:
    """Who a preview is written for when nobody subscribes yet: a viewer (no client names), every entity under
    the plan."""
    return Subscriber("aperçu", 0, "viewer", True, None, True, False, (), lang)


def digest_subscribers(*, session: Session, login: str | None = None) -> list[Subscriber]:
    return [s for s in subscribers(session=session) if s.digest and (login is None or s.login == login)]


def write_digests(engine: Engine, *, as_of: dt.date, settings: Settings, out: Path, login: str | None = None) -> list[Path]:
    """Write each subscriber's digest (or a viewer's preview when nobody subscribes) to `out`: HTML with the
    images inside, or the plain text when `out` ends in .txt. Several subscribers: one file each, `out` + login."""
    with session_scope(engine) as session:
        people = digest_subscribers(session=session, login=login)
        if not people and login is None:
            people = [preview_subscriber(settings.language)]
        builder = DigestBuilder(session, as_of=as_of, app_url=settings.app_url)
        digests = [builder.build(s) for s in people]
    written = []
    for digest in digests:
        path = out if len(digests) == 1 else out.with_name(f"{out.stem}-{_safe(digest.subscriber.login)}{out.suffix}")
        path.write_text(digest.text if out.suffix.lower() == ".txt" else digest.html_file, encoding="utf-8")
        written.append((path, digest.subscriber.login))
    return written


def _safe(login: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in login)


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, Text]] = field(default_factory=list)  # (login, why), rendered where it is shown


def _delivered(session: Session, user_id: int, period: str) -> bool:
    d = models.MailDelivery
    return session.scalar(select(d.status).where(d.user_id == user_id, d.period == period)) == "sent"


def send_digests(engine: Engine, *, as_of: dt.date, settings: Settings, by: str, login: str | None = None) -> SendReport:
    """E-mail each subscriber their digest for the week of `as_of`, once: a subscriber already served this week is
    skipped, one whose delivery failed is tried again. Each sending and each failure goes to the audit log (who,
    what, when — not the content)."""
    if settings.mail is None:
        raise MailNotConfigured()
    period, report, todo = week_of(as_of), SendReport(), []
    with session_scope(engine) as session:
        builder = DigestBuilder(session, as_of=as_of, app_url=settings.app_url)
        for sub in digest_subscribers(session=session, login=login):
            if not sub.reachable:
                report.skipped.append((sub.login, text(N_("account disabled or without an e-mail address"))))
            elif _delivered(session, sub.user_id, period):
                report.skipped.append((sub.login, text(N_("already sent for week {week}"), week=period)))
            else:
                digest = builder.build(sub)
                todo.append(
                    (
                        sub,
                        message_or_refusal(
                            sender=settings.mail.sender,
                            to=sub.email,
                            to_name=sub.login,
                            subject=digest.subject,
                            text=digest.text,
                            html=digest.html,
                            images=digest.images,
                        ),
                    )
                )
    errors = send_all(settings.mail, [message for _sub, message in todo])
    now = dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        for (sub, _message), error in zip(todo, errors, strict=True):
            d = models.MailDelivery
            row = session.scalar(select(d).where(d.user_id == sub.user_id, d.period == period))
            if row is None:
                row = d(kind="digest", user_id=sub.user_id, period=period, attempts=0, created_at=now)
                session.add(row)
            row.attempts += 1
            row.status, row.last_error, row.sent_at = ("sent", None, now) if error is None else ("failed", error, None)
            auth.audit(
                session,
                by,
                "mail_sent" if error is None else "mail_failed",
                {
                    "to": sub.login,
                    "what": "digest",
                    "week": period,
                    "as_of": as_of.isoformat(),
                    **({"error": error} if error else {}),
                },
            )
            if error is None:
                report.sent.append(sub.login)
            else:
                report.failed.append((sub.login, error))
    return report
