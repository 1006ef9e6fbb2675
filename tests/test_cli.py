"""`python -m smartdash`: every command documented, init-db idempotent, imports refused cleanly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from smartdash.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["init-db", "import", "loads", "undo", "export", "template", "demo-data", "formats", "backup", "restore"]


def run(*args, url: str | None = None, stdin: str | None = None, config: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if config:
        env["SMARTDASH_CONFIG"] = str(config)
    if url:
        env["SMARTDASH_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "smartdash", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: python -m smartdash " + command in capsys.readouterr().out


@pytest.mark.parametrize(
    "language, expected",
    [
        ("fr", ["crée ou met à jour le schéma de la base configurée", "si le SIREN du nom de fichier {SIREN}FEC{AAAAMMJJ}.txt"]),
        ("en", ["creates or upgrades the schema of the configured store", "the SIREN of the file name {SIREN}FEC{AAAAMMJJ}.txt"]),
    ],
)
def test_the_help_reads_the_configured_language(tmp_path, language, expected):
    config = tmp_path / "config.toml"
    config.write_text(f'[app]\nlanguage = "{language}"\n', encoding="utf-8")
    commands, subcommand = run("--help", config=config), run("import", "--help", config=config)
    assert commands.returncode == 0 and subcommand.returncode == 0
    commands_said, import_said = " ".join(commands.stdout.split()), " ".join(subcommand.stdout.split())  # argparse wraps
    assert expected[0] in commands_said and expected[1] in import_said
    other = "creates or upgrades the schema" if language == "fr" else "crée ou met à jour le schéma"
    assert other not in commands_said


def test_init_db_twice_then_with_demo_twice(store):
    first = run("init-db", url=store.url)
    assert first.returncode == 0 and "déjà à jour" in first.stdout  # the fixture migrated it already
    demo = run("init-db", "--demo", url=store.url)
    assert demo.returncode == 0 and "lignes écrites" in demo.stdout
    again = run("init-db", "--demo", url=store.url)
    assert again.returncode == 0 and "rien n'a changé" in again.stdout


def test_import_refuses_a_bad_file_with_one_line_per_problem_and_exit_1(store, tmp_path):
    run("init-db", "--demo", url=store.url)
    bad = tmp_path / "societariat.csv"
    bad.write_text("bureau;fin_periode;membres\nGAND;31/12/2024;-3\nNULLEPART;31/12/2024;5\n", encoding="utf-8")
    result = run("import", str(bad), url=store.url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Refusé : 2 problèmes, rien n'a été enregistré."
    assert lines[1].startswith("societariat.csv, ligne 2, colonne « membres » : valeur « -3 »")
    assert lines[2].startswith("societariat.csv, ligne 3, colonne « bureau » : valeur « NULLEPART »")
    english = tmp_path / "config.toml"
    english.write_text('[app]\nlanguage = "en"\n', encoding="utf-8")
    lines = run("import", str(bad), url=store.url, config=english).stderr.strip().splitlines()
    assert lines == [
        "Refused: 2 problems, nothing was written.",
        "societariat.csv, row 2, column “membres”: value “-3” — expected: a value greater than or equal to 0",
        "societariat.csv, row 3, column “bureau”: value “NULLEPART” — expected: the code of a known office",
    ]


def test_import_loads_a_file_then_finds_it_unchanged(store, tmp_path):
    run("init-db", "--demo", url=store.url)
    good = tmp_path / "societariat.csv"
    good.write_text("bureau;fin_periode;membres;conseillers\nGAND;30/06/2026;760;4\n", encoding="cp1252")
    first = run("import", str(good), "--user", "directeur", url=store.url)
    assert first.returncode == 0, first.stderr
    assert "1 nouvelles lignes" in first.stdout
    second = run("import", str(good), url=store.url)
    assert second.returncode == 0 and "rien n'a changé" in second.stdout


def test_import_of_a_missing_file_says_so(store):
    result = run("import", "nowhere.csv", url=store.url)
    assert result.returncode == 2 and "introuvable" in result.stderr


def test_dry_run_then_load_then_list_then_undo(store, tmp_path):
    run("init-db", "--demo", url=store.url)
    good = tmp_path / "societariat.csv"
    good.write_text("bureau;fin_periode;membres;conseillers\nGAND;31/12/2023;741;5\n", encoding="utf-8")
    dry = run("import", str(good), "--dry-run", url=store.url)
    assert dry.returncode == 0, dry.stderr
    assert "0 nouvelles lignes, 1 modifiées" in dry.stdout and "conseillers : 4 → 5" in dry.stdout
    assert "rien n'a été écrit" in dry.stdout
    loaded = run("import", str(good), "--user", "directeur", url=store.url)
    load_id = int(loaded.stdout.split("n° ")[1].split(")")[0])
    listing = run("loads", url=store.url)
    assert listing.stdout.splitlines()[0].startswith(f"n° {load_id}\t") and "directeur" in listing.stdout
    undone = run("undo", str(load_id), url=store.url)
    assert undone.returncode == 0 and f"Chargement n° {load_id} annulé" in undone.stdout
    again = run("undo", str(load_id), url=store.url)
    assert again.returncode == 1 and "déjà annulé" in again.stderr


def test_export_and_template_write_loadable_files(store, tmp_path):
    run("init-db", "--demo", url=store.url)
    out = tmp_path / "bureaux.csv"
    assert run("export", "offices", "--out", str(out), url=store.url).returncode == 0
    assert out.read_text(encoding="utf-8").splitlines()[1] == "ANVERS;Anvers;Flandre;SMARTCOOP;1"
    again = run("import", str(out), url=store.url)
    assert "rien n'a changé" in again.stdout
    template = tmp_path / "modele.xlsx"
    assert run("template", "headcount", "--out", str(template)).returncode == 0
    assert template.read_bytes()[:2] == b"PK"


HEAVY = ("pandas", "numpy", "sqlalchemy", "alembic")


def heavy_modules_loaded(*argv: str, url: str | None = None) -> tuple[str, list[str]]:
    """`python -m smartdash ARGV` run in a process of its own (on the store at `url`): what it printed, and which of
    HEAVY it had loaded."""
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['smartdash', *{list(argv)!r}]\n"
        "try:\n"
        "    runpy.run_module('smartdash', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('LOADED', *sorted(name for name in {HEAVY!r} if name in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "SMARTDASH_DATABASE_URL": url} if url else None
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    [loaded] = [line for line in result.stderr.splitlines() if line.startswith("LOADED")]
    return result.stdout, loaded.split()[1:]


@pytest.mark.parametrize("argv", [["--help"], ["revision", "--help"], ["users", "add", "--help"], ["digest", "--help"]])
def test_the_help_loads_neither_pandas_nor_the_store(argv):
    """What the command line starts with: its help (and a command's that needs no data type) is read without the
    library's heavy modules, which the handlers import when they run."""
    said, loaded = heavy_modules_loaded(*argv)
    assert "usage: python -m smartdash" in said
    assert loaded == []


def test_the_probe_sees_a_command_that_loads_the_models():
    """`import --help` lists the data types, which come from the file formats and their models: the probe sees them."""
    said, loaded = heavy_modules_loaded("import", "--help")
    assert "usage: python -m smartdash import" in said
    assert "sqlalchemy" in loaded


def test_a_spreadsheet_loads_without_pandas(store, tmp_path):
    """Loading a CSV file checks and writes it without pandas (half a second of the command's start): frames are for
    the pages and the ledger export's reader, which import it when they run."""
    run("init-db", "--demo", url=store.url)
    out = tmp_path / "bureaux.csv"
    assert run("export", "offices", "--out", str(out), url=store.url).returncode == 0
    out.write_text(out.read_text(encoding="utf-8").replace(";Anvers;", ";Antwerpen;"), encoding="utf-8")
    said, loaded = heavy_modules_loaded("import", str(out), url=store.url)
    assert "1 modifiée" in said, said
    assert "sqlalchemy" in loaded and "pandas" not in loaded
