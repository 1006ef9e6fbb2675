"""What the commands share: the configured language and store, who a command acts as, the date asked."""

from __future__ import annotations

from typing import Any

from smartdash.config import load_settings


def language() -> str:
    try:
        return load_settings().language
    except Exception:  # an unreadable config.toml: French
        return "fr"


def engine() -> Any:
    from smartdash.db import engine_for

    return engine_for(load_settings().database_url)


def existing_engine() -> Any:
    """For the commands that only read the store or change its data: a store never initialised is not created."""
    from smartdash.db import existing_engine

    return existing_engine(load_settings().database_url)


def system_user() -> str:
    """Who the audit log records for a command: data kept in the store, the same whatever the language."""
    import getpass

    return f"{getpass.getuser()} (ligne de commande)"


def as_of(text: str | None) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text) if text else dt.date.today()
