"""smartdash's settings: config.toml at the repository root, overridden by the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config.toml"
DEMO_DIR = ROOT / "data" / "demo"
ENV_DATABASE_URL = "SMARTDASH_DATABASE_URL"
ENV_CONFIG_FILE = "SMARTDASH_CONFIG"
MAIL_SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server the digest and the alerts go through. The password is not a setting: see
    smartdash.mail.smtp_password (environment or .streamlit/secrets.toml, never config.toml)."""

    host: str
    port: int
    security: str
    sender: str
    username: str | None = None
    secrets_file: Path | None = None


@dataclass(frozen=True)
class Settings:
    database_url: str
    language: str = "fr"
    load_demo_when_empty: bool = True
    import_max_file_mb: int = 50
    import_max_rows: int = 500_000
    export_template: Path | None = None
    max_failed_logins: int = 5
    lock_minutes: int = 15
    idle_minutes: int = 30
    sso_roles: dict | None = None
    mail: MailSettings | None = None  # None: no [mail] host, nothing can be sent
    app_url: str = "http://localhost:8501"
    lock_wait_seconds: float = 30.0
    fec_max_file_mb: int = 1024
    payment_term_days: int = 60
    payment_terms: dict | None = None  # entity code → days, where it differs from payment_term_days

    def payment_term(self, entity: str) -> int:
        """Days from an invoice (piece) date to its due date for an entity's open items read from its books."""
        return int((self.payment_terms or {}).get(entity, self.payment_term_days))


def _absolute_sqlite_url(url: str, base: Path) -> str:
    """A relative SQLite path is taken relative to the config file's folder, not the working directory."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite://" or url.startswith("sqlite:////"):
        return url
    path = url[len(prefix) :]
    if path.startswith(":memory:") or Path(path).is_absolute():
        return url
    return prefix + str((base / path).resolve())


def load_settings(path: Path | None = None) -> Settings:
    """Read config.toml (or $SMARTDASH_CONFIG) and apply environment overrides. A page run asks several times: the
    file is read again only when it or the environment changed."""
    path = path or Path(os.environ.get(ENV_CONFIG_FILE, CONFIG_FILE))
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        stamp = None
    return _read_settings(path, stamp, os.environ.get(ENV_DATABASE_URL))


@lru_cache(maxsize=8)
def _read_settings(path: Path, stamp: int | None, url_override: str | None) -> Settings:
    raw: dict = {}
    if stamp is not None:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    database = raw.get("database", {})
    app = raw.get("app", {})
    importing = raw.get("import", {})
    export = raw.get("export", {})
    auth = raw.get("auth", {})
    receivables = raw.get("receivables", {})
    template = export.get("template") or None
    url = url_override or database.get("url", "sqlite:///data/smartdash.db")
    language = app.get("language", "fr")
    if language not in ("fr", "en"):
        raise ValueError(f"{path}: [app] language must be 'fr' or 'en', not {language!r}")
    return Settings(
        mail=_mail_settings(raw.get("mail", {}), path),
        app_url=str(raw.get("mail", {}).get("app_url") or "http://localhost:8501").rstrip("/"),
        database_url=_absolute_sqlite_url(url, path.parent),
        language=language,
        load_demo_when_empty=bool(app.get("load_demo_when_empty", True)),
        import_max_file_mb=int(importing.get("max_file_mb", 50)),
        import_max_rows=int(importing.get("max_rows", 500_000)),
        export_template=(path.parent / template).resolve() if template else None,
        max_failed_logins=int(auth.get("max_failed_logins", 5)),
        lock_minutes=int(auth.get("lock_minutes", 15)),
        idle_minutes=int(auth.get("idle_minutes", 30)),
        sso_roles={str(k).lower(): v for k, v in auth.get("sso_roles", {}).items()},
        fec_max_file_mb=int(importing.get("fec_max_file_mb", 1024)),
        payment_term_days=int(receivables.get("payment_term_days", 60)),
        payment_terms={str(k): int(v) for k, v in receivables.get("payment_terms", {}).items()},
        lock_wait_seconds=float(database.get("lock_wait_seconds", 30)),
    )


def _mail_settings(mail: dict, path: Path) -> MailSettings | None:
    if not str(mail.get("host") or "").strip():
        return None
    security = str(mail.get("security", "starttls")).lower()
    if security not in MAIL_SECURITY:
        raise ValueError(f"{path}: [mail] security must be one of {', '.join(MAIL_SECURITY)}, not {security!r}")
    if not str(mail.get("sender") or "").strip():
        raise ValueError(f"{path}: [mail] sender is required when [mail] host is set")
    return MailSettings(
        host=str(mail["host"]).strip(),
        port=int(mail.get("port") or {"ssl": 465, "none": 25}.get(security, 587)),
        security=security,
        sender=str(mail["sender"]).strip(),
        username=str(mail.get("username") or "").strip() or None,
        secrets_file=path.parent / ".streamlit" / "secrets.toml",
    )
