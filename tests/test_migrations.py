"""The migrations form one line, from the first to the head, and their files are numbered in that order; `python -m
smartdash revision` writes the next one, which Alembic applies and the line accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Text, create_engine, inspect

from smartdash import cli, models, schema


def test_the_migrations_form_one_line_numbered_in_its_order():
    line = schema.chain()
    assert [int(Path(s.path).name[:4]) for s in line] == list(range(1, len(line) + 1))
    assert line[0].down_revision is None and line[-1].revision == schema.head_revision()
    assert [s.down_revision for s in line[1:]] == [s.revision for s in line[:-1]]
    assert {s.revision for s in line} == schema.known_revisions()


@pytest.fixture
def migrations(tmp_path, monkeypatch) -> Path:
    """A copy of the migrations, which the code then uses: what is written there leaves the repository alone."""
    copy = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(schema, "MIGRATIONS", copy)
    return copy


def _write_after(migrations: Path, name: str, revision: str, down_revision: str) -> None:
    (migrations / "versions" / name).write_text(
        f'revision = "{revision}"\ndown_revision = "{down_revision}"\n\n\ndef upgrade():\n    pass\n', encoding="utf-8"
    )


def test_a_migration_added_on_the_head_with_the_next_number_keeps_the_line(migrations):
    head, count = schema.head_revision(), len(schema.chain())
    _write_after(migrations, f"{count + 1:04d}_added_in_parallel.py", "parallel", head)
    assert schema.chain()[-1].revision == "parallel"


def test_two_migrations_on_the_same_head_are_refused(migrations):
    head, count = schema.head_revision(), len(schema.chain())
    _write_after(migrations, f"{count + 1:04d}_one.py", "one", head)
    _write_after(migrations, f"{count + 2:04d}_other.py", "other", head)
    with pytest.raises(schema.MigrationChainError, match="heads"):
        schema.chain()


def test_a_file_numbered_out_of_the_line_s_order_is_refused(migrations):
    versions = migrations / "versions"
    first, second = sorted(versions.glob("000[12]_*.py"))
    first.rename(versions / ("0002" + first.name[4:]))
    second.rename(versions / ("0001" + second.name[4:]))
    with pytest.raises(schema.MigrationChainError, match="migration 1 of the line"):
        schema.chain()


def test_revision_writes_the_next_migration_which_alembic_applies(migrations, tmp_path):
    changed = MetaData()
    for table in models.Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["entity"].append_column(Column("colour", Text))
    count = len(schema.chain())

    written = schema.new_revision("entity colour", metadata=changed)

    assert written == migrations / "versions" / f"{count + 1:04d}_entity_colour.py"
    for check in (["check"], ["format", "--check"]):  # written in the project's style, as the linters hold it
        ran = subprocess.run([shutil.which("ruff"), *check, str(written)], capture_output=True, text=True)
        assert ran.returncode == 0, ran.stdout + ran.stderr
    line = schema.chain()
    assert Path(line[-1].path) == written and line[-1].revision == f"{count + 1:04d}"
    engine = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
    assert schema.upgrade(engine)
    assert schema.current_revision(engine) == line[-1].revision
    assert "colour" in {c["name"] for c in inspect(engine).get_columns("entity")}
    engine.dispose()


def test_the_revision_command_writes_a_file_the_line_accepts(migrations, capsys):
    count = len(schema.chain())
    assert cli.main(["revision", "nothing yet"]) == 0
    written = migrations / "versions" / f"{count + 1:04d}_nothing_yet.py"
    assert str(written) in capsys.readouterr().out
    assert [Path(s.path) for s in schema.chain()][-1] == written


def test_the_newest_file_names_the_head_alembic_finds(migrations):
    """`ensure_schema` tells a store at the head without loading Alembic, from the newest file's text: it is the head
    Alembic itself finds, before and after a migration is added."""
    assert schema.newest_file_revision() == schema.head_revision()
    _write_after(migrations, f"{len(schema.chain()) + 1:04d}_next.py", "next", schema.head_revision())
    assert schema.newest_file_revision() == schema.head_revision() == "next"


def test_a_store_is_at_the_head_only_once_upgraded_to_it(tmp_path, migrations):
    engine = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        assert not schema.at_head(engine)  # empty: no version table yet
        schema.upgrade(engine)
        assert schema.at_head(engine)
        _write_after(migrations, f"{len(schema.chain()) + 1:04d}_next.py", "next", schema.head_revision())
        assert not schema.at_head(engine)  # a newer migration shipped: Alembic upgrades it
        assert schema.upgrade(engine) and schema.at_head(engine)
    finally:
        engine.dispose()
