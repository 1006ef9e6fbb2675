"""The readers register by what they recognise, and the loader asks them in turn, naming none of them."""

from __future__ import annotations

import ast
import io
import pkgutil
from pathlib import Path

from openpyxl import Workbook

from smartdash import readers
from smartdash.config import DEMO_DIR
from tests.fec_factory import BOOK, fec_bytes

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_of_the_readers_package_registers_a_reader():
    """A reader is a module of the package, found by looking in its folder: each one registers at least one."""
    import sys

    registered = readers.registered()
    modules = {f"smartdash.readers.{info.name}" for info in pkgutil.iter_modules(readers.__path__)}
    assert modules
    for module in modules:
        assert any(r.read in vars(sys.modules[module]).values() for r in registered), f"{module} registers no reader"


def test_the_demo_files_are_read_as_tables_and_a_ledger_export_loads_itself():
    for path in sorted(DEMO_DIR.glob("*.csv")):
        found = readers.reader_for(path.name, path)
        assert found is not None and not found.loads_itself, path.name
    book = Workbook()
    book.active.append(["code", "nom"])
    workbook = io.BytesIO()
    book.save(workbook)
    for name in ("creances.xlsx", "creances.csv"):  # a workbook is one by its content, whatever its name says
        assert readers.reader_for(name, workbook.getvalue()) is readers.reader_for("a.xlsx", b"PK")
    ledger = readers.reader_for("123456789FEC20231231.txt", fec_bytes(BOOK))
    assert ledger is not None and ledger.loads_itself and ledger.streams
    assert readers.reader_for("notes.pdf", b"%PDF-1.7") is None


def test_the_loader_names_no_reader():
    """importing.py imports the registry, never a reader nor the modules that read (fec, workbooks, formats.reading)."""
    names = {info.name for info in pkgutil.iter_modules(readers.__path__)}
    tree = ast.parse((ROOT / "smartdash" / "importing.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    reader_modules = {f"smartdash.readers.{n}" for n in names}
    read_by = {r.read.__module__ for r in readers.registered()}
    assert not imported & (reader_modules | read_by)
    assert "smartdash.readers" in imported
