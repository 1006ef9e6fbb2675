"""The weekly digest and the alerts, delivered to a real SMTP server (aiosmtpd) started on a local port."""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import socket
import subprocess
import sys
from email import policy
from html import unescape
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from smartdash import alerts, auth, digest, models, subscriptions
from smartdash.config import load_settings
from smartdash.db import session_scope
from smartdash.demo import load_demo
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
MONDAY = dt.date(2026, 11, 23)
SMTP_PASSWORD = "mot-de-passe-smtp-Tr3s-secret"


class Mailbox:
    """An SMTP server's handler: keeps every message accepted, refuses the addresses in `refuse`."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage, bytes]] = []
        self.refuse: set[str] = set()
        self.logins: list[tuple[bytes, bool]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=policy.default), envelope.content)
        )
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"smartdash" and auth_data.password == SMTP_PASSWORD.encode()
        self.logins.append((auth_data.login, ok))
        return AuthResult(success=ok, handled=False)  # the server answers 235 or 535 itself

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for rcpt, message, _raw in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(with_auth: bool):
    box = Mailbox()
    extra = {"authenticator": box.authenticate, "auth_require_tls": False} if with_auth else {}
    controller = Controller(box, hostname="127.0.0.1", port=_free_port(), **extra)
    controller.start()
    return box, controller


@pytest.fixture
def mailbox():
    box, controller = _server(with_auth=False)
    yield box, controller.port
    controller.stop()


@pytest.fixture
def auth_mailbox():
    box, controller = _server(with_auth=True)
    yield box, controller.port
    controller.stop()


def write_config(path: Path, url: str, port: int | None, *, username: str = "") -> Path:
    mail = (
        (
            f'[mail]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nsender = "smartdash <smartdash@test.example>"\n'
            f'username = "{username}"\napp_url = "https://smartdash.test.example"\n'
        )
        if port
        else ""
    )
    path.write_text(f'[database]\nurl = "{url}"\n\n[app]\nload_demo_when_empty = false\n\n{mail}', encoding="utf-8")
    return path


def account(engine, login: str, role: str, **subscription) -> None:
    auth.add_user(engine, login, role, PASSWORD, by="test")
    subscriptions.subscribe(engine, login, email=f"{login}@test.example", by="test", **subscription)


def parts(message) -> dict[str, list]:
    """The message's leaf parts by content type."""
    found: dict[str, list] = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


def all_clients(engine) -> set[str]:
    with session_scope(engine) as s:
        return set(s.scalars(select(models.ReceivableItem.client).distinct()))


# --------------------------------------------------------------------------- the digest


def test_the_digest_reaches_each_subscriber_with_their_entities_language_and_role(store, mailbox, tmp_path):
    box, port = mailbox
    load_demo(store.engine)
    account(store.engine, "directrice", "editor", entities=["SMARTFR", "SMARTCOOP"], lang="fr")
    account(store.engine, "membre", "viewer", entities=["GRANDSENSEMBLE", "SMARTCOOP"], lang="en")
    account(store.engine, "alertes-seules", "viewer", what="alerts")
    settings = load_settings(write_config(tmp_path / "config.toml", store.url, port))

    report = digest.send_digests(store.engine, as_of=MONDAY, settings=settings, by="cron")

    assert sorted(report.sent) == ["directrice", "membre"] and not report.failed
    assert len(box.messages) == 2 and not box.to("alertes-seules@test.example")
    [fr] = box.to("directrice@test.example")
    [en] = box.to("membre@test.example")
    for message in (fr, en):
        assert message.get_content_type() == "multipart/alternative"
        leaves = parts(message)
        assert set(leaves) == {"text/plain", "text/html", "image/png"}
        html = leaves["text/html"][0].get_content()
        # every image the HTML shows travels inside the message, referred to by its Content-ID
        cids = {p["Content-ID"].strip().strip("<>") for p in leaves["image/png"]}
        assert set(re.findall(r'src="cid:([^"]+)"', html)) == cids and cids
        assert all(p.get_content()[:8] == b"\x89PNG\r\n\x1a\n" for p in leaves["image/png"])
        assert 'src="data:' not in html

    fr_html, fr_text = (parts(fr)[t][0].get_content() for t in ("text/html", "text/plain"))
    en_html, en_text = (parts(en)[t][0].get_content() for t in ("text/html", "text/plain"))
    assert fr["Subject"] == "smartdash — la semaine du plan au 23 novembre 2026"
    assert en["Subject"] == "smartdash — the plan's week as of 23 November 2026"
    # the French director follows SmartFr and SmartCoop; the English viewer GrandsEnsemble and SmartCoop
    assert "SmartFr, SmartCoop · plan PLAN-2024-06" in fr_text and "GRANDSENSEMBLE" not in fr_text
    assert "GrandsEnsemble, SmartCoop · plan PLAN-2024-06" in en_text and "SMARTFR" not in en_text
    assert "Capitaux propres" in fr_html and "Equity" not in fr_text
    assert "Equity" in en_html and "Capitaux propres" not in en_text
    assert "Échéance du plan en retard : SmartFr → URSSAF Île-de-France, 30\u202f000\u00a0€" in fr_text
    assert "GrandsEnsemble's cessation-of-payments test below 1 (0.76)" in en_text
    assert "https://smartdash.test.example" in fr_html
    # each synthetic figure carries its mark on its own line, as on the pages, in both parts
    synthetic_lines = [line for line in fr_text.splitlines() if line.startswith("- [") and "démo / synthétique" in line]
    assert synthetic_lines and fr_html.count("démo / synthétique") >= len(synthetic_lines)
    assert any("demo / synthetic" in line for line in en_text.splitlines() if line.startswith("- ["))

    # client names: the director reads the largest past-due clients, the viewer none at all
    clients = all_clients(store.engine)
    shown = [c for c in clients if c in unescape(fr_html)]  # "de l'Ourthe" is escaped in the HTML
    assert len(shown) == digest.CLIENTS_SHOWN and all(c in fr_text for c in shown)
    assert not [c for c in clients if c in en_html or c in en_text]
    assert "Open receivables" in en_text  # the viewer still sees SmartCoop's receivables, aggregated

    # sent once a week: a second run finds everyone served
    again = digest.send_digests(store.engine, as_of=MONDAY + dt.timedelta(days=2), settings=settings, by="cron")
    assert again.sent == [] and len(box.messages) == 2
    assert sorted(login for login, _why in again.skipped) == ["directrice", "membre"]
    with session_scope(store.engine) as s:
        log = auth.audit_log(session=s)
    sent = log[log["action"] == "mail_sent"]
    assert sorted(sent["detail"].map(lambda d: re.search(r'"to": "([^"]+)"', d).group(1))) == ["directrice", "membre"]
    assert set(sent["login"]) == {"cron"} and all('"week": "2026-W48"' in d for d in sent["detail"])
    assert not any(c in d for d in log["detail"].dropna() for c in clients)  # who, what, when: never the content


def test_a_refused_recipient_does_not_stop_the_others_and_is_retried_next_run(store, mailbox, tmp_path):
    box, port = mailbox
    load_demo(store.engine)
    for login in ("a", "b", "c"):
        account(store.engine, login, "viewer", what="digest")
    settings = load_settings(write_config(tmp_path / "config.toml", store.url, port))
    box.refuse = {"b@test.example"}

    first = digest.send_digests(store.engine, as_of=MONDAY, settings=settings, by="cron")

    assert first.sent == ["a", "c"] and [login for login, _e in first.failed] == ["b"]
    assert first.failed[0][1].startswith("550 5.1.1 mailbox unavailable")
    box.refuse = set()
    second = digest.send_digests(store.engine, as_of=MONDAY, settings=settings, by="cron")
    assert second.sent == ["b"] and not second.failed
    assert [len(box.to(f"{x}@test.example")) for x in "abc"] == [1, 1, 1]
    with session_scope(store.engine) as s:
        rows = s.execute(
            select(models.MailDelivery.status, models.MailDelivery.attempts).order_by(models.MailDelivery.user_id)
        ).all()
        failures = auth.audit_log(session=s)
    assert [tuple(r) for r in rows] == [("sent", 1), ("sent", 2), ("sent", 1)]
    assert (failures["action"] == "mail_failed").sum() == 1


# --------------------------------------------------------------------------- alerts


def test_alerts_are_sent_once_across_runs_and_a_failed_one_is_retried(store, mailbox, tmp_path):
    box, port = mailbox
    load_demo(store.engine)
    account(store.engine, "suivi", "viewer", what="alerts")  # every entity under the plan
    account(store.engine, "refuse", "editor", what="both", entities=["SMARTFR"], lang="en")
    account(store.engine, "belge", "viewer", what="alerts", entities=["SMARTCOOP"])  # does not follow SmartFr
    settings = load_settings(write_config(tmp_path / "config.toml", store.url, port))
    box.refuse = {"refuse@test.example"}

    def run(day):
        return alerts.run_alerts(store.engine, as_of=day, settings=settings, by="cron", send=True)

    baseline = run(dt.date(2026, 11, 10))  # the first run records what it finds and sends nothing
    assert baseline.baseline and baseline.raised == [] and box.messages == []
    late = run(dt.date(2026, 11, 22))  # URSSAF's 5th instalment fell due on 15/11/2026 and is unpaid
    assert [c.key for c in late.raised] == ["instalment:SMARTFR:SFR-URSSAF:5"]
    assert late.sent == [("suivi", 1)] and [login for login, _e in late.failed] == ["refuse"]
    [message] = box.to("suivi@test.example")
    assert message["Subject"] == (
        "smartdash — alerte : Échéance du plan en retard : SmartFr → URSSAF Île-de-France, "
        "30\u202f000\u00a0€ impayés depuis le 15 novembre 2026"
    )
    assert set(parts(message)) == {"text/plain", "text/html"}
    assert "https://smartdash.test.example/execution" in parts(message)["text/plain"][0].get_content()

    box.refuse = set()
    retry = run(dt.date(2026, 11, 22))  # nothing new; the failed delivery goes out, in its reader's language
    assert retry.raised == [] and retry.sent == [("refuse", 1)]
    [english] = box.to("refuse@test.example")
    assert "Late plan instalment: SmartFr → URSSAF Île-de-France" in english["Subject"]
    quiet = run(dt.date(2026, 11, 23))
    assert quiet.raised == [] and quiet.sent == [] and len(box.messages) == 2
    assert not box.to("belge@test.example")


def test_an_indicator_crossing_its_threshold_raises_one_alert(store, mailbox, tmp_path):
    from smartdash.importing import import_files

    box, port = mailbox
    load_demo(store.engine)
    account(store.engine, "suivi", "viewer", what="alerts", entities=["ALTERNA"])
    settings = load_settings(write_config(tmp_path / "config.toml", store.url, port))
    alerts.run_alerts(store.engine, as_of=MONDAY, settings=settings, by="cron", send=True)
    # October's turnover of Alterna restated at 80 % of its plan value: past the 10 % red threshold
    with session_scope(store.engine) as s:
        from smartdash import queries

        plan = queries.observations(
            session=s, indicators=["TURNOVER"], entities=["ALTERNA"], scenario="plan", plan_version="PLAN-2024-06"
        )
    target = plan[plan["period_end"] == dt.date(2026, 10, 31)].iloc[0]["value"]
    low = f"{(target * 8 / 10):.2f}".replace(".", ",")
    data = f"indicateur;entite;fin_periode;scenario;version_plan;valeur\nTURNOVER;ALTERNA;31/10/2026;réel;;{low}\n"
    import_files(store.engine, [("ca.csv", data.encode())], loaded_by="test")

    first = alerts.run_alerts(store.engine, as_of=MONDAY, settings=settings, by="cron", send=True)
    second = alerts.run_alerts(store.engine, as_of=MONDAY, settings=settings, by="cron", send=True)

    assert [(c.key, c.state) for c in first.raised] == [("indicator:ALTERNA:TURNOVER", "red")]
    assert second.raised == [] and len(box.messages) == 1
    assert box.messages[0][1]["Subject"].startswith("smartdash — alerte : Chiffre d'affaires HT — Alterna :")


# --------------------------------------------------------------------------- the command line


def cli(*args, config: Path, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SMARTDASH_DATABASE_URL", "SMARTDASH_SMTP_PASSWORD")}
    env["SMARTDASH_CONFIG"] = str(config)
    if password:
        env["SMARTDASH_SMTP_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "smartdash", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_without_mail_settings_send_refuses_and_out_still_writes(store, tmp_path):
    config = write_config(tmp_path / "config.toml", store.url, None)
    for command in ("digest", "alerts"):
        refused = cli(command, "--send", config=config)
        assert refused.returncode == 2 and "aucun serveur SMTP n'est configuré" in refused.stderr
        assert "section [mail] de config.toml" in refused.stderr
    out = tmp_path / "digest.html"
    written = cli("digest", "--out", str(out), "--as-of", "2026-11-23", config=config)
    assert written.returncode == 0, written.stderr
    assert "(personne n'est abonné : vue d'un membre du comité, entités sous plan)" in written.stdout
    assert "La semaine du plan — situation au 23 novembre 2026" in out.read_text(encoding="utf-8")


def test_the_command_line_manages_subscriptions_and_never_shows_the_password(store, auth_mailbox, tmp_path):
    box, port = auth_mailbox
    load_demo(store.engine)
    auth.add_user(store.engine, "tresorier", "editor", PASSWORD, by="test")
    config = write_config(tmp_path / "config.toml", store.url, port, username="smartdash")
    outputs = []

    def run(*args, password=SMTP_PASSWORD):
        result = cli(*args, config=config, password=password)
        outputs.append(result.stdout + result.stderr)
        return result

    assert run("subscriptions", "add", "tresorier", "--email", "pas une adresse").returncode == 1
    assert "une adresse électronique valide" in outputs[-1]
    added = run(
        "subscriptions",
        "add",
        "tresorier",
        "--email",
        "tresorier@test.example",
        "--what",
        "digest",
        "--entity",
        "ALTERNA",
        "--lang",
        "en",
    )
    assert added.returncode == 0, added.stderr
    assert run("subscriptions", "list").stdout == "tresorier\ttresorier@test.example\teditor\tdigest\ten\tALTERNA\n"

    wrong = run("digest", "--send", "--as-of", "2026-11-23", password="not the password")
    assert wrong.returncode == 1 and "tresorier : échec de l'envoi — 535" in wrong.stderr
    sent = run("digest", "--send", "--as-of", "2026-11-23")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout == "tresorier : récapitulatif envoyé (semaine 2026-W48)\n"
    # the wrong password was refused (smtplib tries each mechanism the server offers), the right one accepted
    assert [ok for _login, ok in box.logins][-2:] == [False, True] and sum(ok for _l, ok in box.logins) == 1
    assert run("subscriptions", "remove", "tresorier").stdout == "Abonnement de « tresorier » retiré.\n"

    with session_scope(store.engine) as s:
        stored = [str(v) for row in s.execute(select(models.AuditEvent.detail)).all() for v in row]
        stored += [str(v) for row in s.execute(select(models.MailDelivery.last_error)).all() for v in row]
    for text in outputs + stored + [raw.decode("utf-8", "replace") for _r, _m, raw in box.messages]:
        assert SMTP_PASSWORD not in text and "not the password" not in text


def test_the_digest_says_what_turned_red_this_week_and_the_change_in_a_week(store, tmp_path):
    from smartdash.importing import import_files

    load_demo(store.engine)
    # the committee gives Alterna's net cash a plan: met on 15/11/2026 (green), 450 000 € on 22/11 (22 % short: red)
    data = (
        "indicateur;entite;fin_periode;scenario;version_plan;valeur\n"
        "CASH_NET;ALTERNA;15/11/2026;plan;PLAN-2024-06;348081,83\nCASH_NET;ALTERNA;22/11/2026;plan;PLAN-2024-06;450000\n"
    )
    import_files(store.engine, [("plan_tresorerie.csv", data.encode())], loaded_by="controleur")
    # the digest is for the week ending on MONDAY: the committee's load is dated within it, whatever today's clock says
    with session_scope(store.engine) as s:
        newest = s.scalars(select(models.DataLoad).order_by(models.DataLoad.id.desc())).first()
        newest.loaded_at = dt.datetime.combine(MONDAY - dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    account(store.engine, "suivi", "viewer", what="digest", entities=["ALTERNA"])
    settings = load_settings(write_config(tmp_path / "config.toml", store.url, None))

    [(path, who)] = digest.write_digests(store.engine, as_of=MONDAY, settings=settings, out=tmp_path / "digest.txt")

    text = path.read_text(encoding="utf-8")
    assert who == "suivi"
    changed = text.split("CE QUI A CHANGÉ CETTE SEMAINE\n")[1].split("\n\n")[0]
    assert changed == "- [rouge] Trésorerie nette — Alterna : 348\u00a0k€ (était vert)"
    # 348 081,83 € on 15/11, 348 115,43 € on 22/11; the last meeting looked at 31/08/2026
    assert (
        "- [rouge] Trésorerie nette : 348\u00a0k€ (au 22/11/2026 ; plan 450\u00a0k€, écart −102\u00a0k€ (−22,6\u00a0%) ; "
        "démo / synthétique) · "
        "en 1 semaine +34\u00a0€ · depuis le comité −27,5\u00a0k€"
    ) in text
    assert (
        "- [rouge] Capitaux propres : 80\u00a0k€ (au 31/12/2025 ; plan 115\u00a0k€, écart −35\u00a0k€ (−30,4\u00a0%) ; "
        "démo / synthétique) · en 1 semaine —"
    ) in text
    assert "· controleur · Valeurs des indicateurs (réel, prévision, plan) (plan_tresorerie.csv)" in text


def test_the_digest_lists_every_load_of_the_week(store):
    """Twelve files loaded in the week: twelve lines (the digest once kept the first ten, and said nothing of the
    others)."""
    from smartdash.importing import import_files

    load_demo(store.engine)
    for n in range(1, 13):
        header = "indicateur;entite;fin_periode;scenario;version_plan;valeur\n"
        data = header + f"CASH_NET;ALTERNA;22/11/2026;plan;PLAN-2024-06;{n}000\n"
        import_files(store.engine, [(f"semaine-{n}.csv", data.encode())], loaded_by="controleur")
    with session_scope(store.engine) as s:
        for load in s.scalars(select(models.DataLoad).where(models.DataLoad.file_name.like("semaine-%"))):
            load.loaded_at = dt.datetime.combine(MONDAY - dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    with session_scope(store.engine) as s:
        rows, in_week = digest._loads(s, MONDAY, "fr")
    assert in_week
    assert sorted(what for _when, _who, what, _rows in rows if "semaine-" in what) == sorted(
        f"Valeurs des indicateurs (réel, prévision, plan) (semaine-{n}.csv)" for n in range(1, 13)
    )


@pytest.mark.parametrize("command", ["subscriptions", "digest", "alerts"])
def test_every_mail_command_has_help(command, capsys):
    from smartdash.cli import build_parser

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([command, "--help"])
    assert exit_.value.code == 0 and "usage: python -m smartdash " + command in capsys.readouterr().out


def test_every_section_the_registry_gives_the_digest_is_in_it_and_only_those(demo_store, monkeypatch):
    """The digest carries the board pack's sections whose declaration says so (smartdash.export.sections), each block
    marked with its key; a section the registry takes out of the digest leaves it."""
    import dataclasses

    from smartdash import queries
    from smartdash.export import sections

    def html() -> str:
        with session_scope(demo_store.engine) as s:
            as_of = queries.latest_data_date(session=s)
            # every entity, the ones with receivables (outside the plan) included
            every = tuple(queries.entities(session=s)["code"])
            builder = digest.DigestBuilder(s, as_of=as_of, app_url="http://localhost:8501")
            return builder.build(dataclasses.replace(digest.preview_subscriber("fr"), entities=every)).html

    shown = html()
    for section in sections.SECTIONS:
        assert (f"<!-- section: {section.key} -->" in shown) is section.digest, section.key
    carried = [s.key for s in sections.SECTIONS if s.digest]
    assert carried
    for key in carried:
        fewer = tuple(dataclasses.replace(s, digest=False) if s.key == key else s for s in sections.SECTIONS)
        monkeypatch.setattr(sections, "SECTIONS", fewer)
        assert f"<!-- section: {key} -->" not in html(), key
        monkeypatch.undo()
