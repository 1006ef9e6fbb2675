"""Creating and upgrading the store's schema with Alembic migrations.

The migrations form one line, from the first to the head, and their files are numbered in that order
(`NNNN_<slug>.py`, `tests/test_migrations.py` holds them to it). A new one is written by `python -m smartdash
revision "message"` (`new_revision`): Alembic's autogenerate compares models.py with a temporary store upgraded to
the head and writes the difference as the next file of the line.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData, create_engine, exc, text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import Script

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_\w+\.py$")
_REVISION_LINE = re.compile(r"""^revision\s*(?::[^=]*)?=\s*["']([^"']+)["']""", re.MULTILINE)


class MigrationChainError(Exception):
    """The migrations do not form one line numbered in its order (a developer's error, never a user's)."""


def _config(migrations: Path | None = None) -> Config:
    # Alembic is loaded when a migration is looked at, not by every command that finds its store up to date
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations or MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration shipped with this code."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    """Every migration shipped with this code."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The migration the store is at, or None for an empty store."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def newest_file_revision(migrations: Path | None = None) -> str | None:
    """The revision the highest-numbered migration file declares, read from its text without loading Alembic: the
    files are one line numbered in its order (`chain` holds them to it), so it is `head_revision()`."""
    files = sorted(p for p in ((migrations or MIGRATIONS) / "versions").glob("*.py") if _FILE_NAME.match(p.name))
    found = _REVISION_LINE.search(files[-1].read_text(encoding="utf-8")) if files else None
    return found[1] if found else None


def at_head(engine: Engine) -> bool:
    """True when the store is at the newest migration, known without loading Alembic (its `alembic_version` row
    against the newest file); False whenever that is not plain — an empty store, a store elsewhere in the line —
    and Alembic then looks."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except exc.DBAPIError:  # no such table yet: an empty store
        return False
    return len(rows) == 1 and rows[0] == newest_file_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest migration; returns True when anything was applied."""
    from alembic import command

    if current_revision(engine) == head_revision():
        return False
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True


def chain(migrations: Path | None = None) -> list[Script]:
    """The migrations from the first to the head; refused unless they form one line whose file numbers are
    0001, 0002, … in that order (what two migrations written in parallel on the same head break)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config(migrations))
    heads, bases = scripts.get_heads(), scripts.get_bases()
    if len(heads) != 1 or len(bases) != 1:
        raise MigrationChainError(f"the migrations have heads {sorted(heads)} and bases {sorted(bases)}: one of each")
    line = list(reversed(list(scripts.walk_revisions())))
    for previous, script in zip([None, *line], line, strict=False):
        if script.down_revision != (previous.revision if previous else None):
            raise MigrationChainError(f"{script.path}: revises {script.down_revision!r}, not the migration before it")
    for number, script in enumerate(line, start=1):
        name = Path(script.path).name
        found = _FILE_NAME.match(name)
        if not found or int(found[1]) != number:
            raise MigrationChainError(f"{name} is migration {number} of the line: its file must be {number:04d}_….py")
    files = sorted(p.name for p in (Path(scripts.versions)).glob("*.py"))
    if files != sorted(Path(s.path).name for s in line):
        raise MigrationChainError(f"{scripts.versions}: files outside the line of migrations")
    return line


def new_revision(message: str, *, metadata: MetaData | None = None, migrations: Path | None = None) -> Path:
    """Write the next migration of the line (developers only): the difference between `metadata` (models.py by
    default) and a temporary SQLite store upgraded to the head, in the file `NNNN_<slug>.py` with the next number,
    which is also its revision ID. Returns the file written. SQLite cannot reflect expression indexes (the unique
    keys with COALESCE): autogenerate skips them, so such an index is written by hand (`tests/test_schema_drift.py`
    compares them on PostgreSQL)."""
    from alembic import command

    number = f"{len(chain(migrations)) + 1:04d}"
    config = _config(migrations)
    if metadata is not None:
        config.attributes["metadata"] = metadata
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'store.db'}")
        try:
            with engine.begin() as connection, warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*expression-based index.*")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                script = command.revision(config, message=message, autogenerate=True, rev_id=number)
        finally:
            engine.dispose()
    written = Path(script.path)
    _tidy(written)
    return written


def _tidy(path: Path) -> None:
    """Put a written migration in the project's style (Alembic writes single quotes and unsorted imports), with the
    ruff the developers' requirements install; without it the file stays as Alembic wrote it."""
    import shutil
    import subprocess

    ruff = shutil.which("ruff")
    if ruff is None:
        return
    subprocess.run([ruff, "check", "--fix", "--quiet", str(path)], check=False, capture_output=True)
    subprocess.run([ruff, "format", "--quiet", str(path)], check=False, capture_output=True)
