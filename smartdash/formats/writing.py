"""Writing files in the documented formats: the demo data set, exports that load back, empty templates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from smartdash.formats.cells import inert_text
from smartdash.formats.spec import Column, Dataset


def format_cell(column: Column, value: Any) -> str:
    """A value written the French-spreadsheet way, as the demo files and templates use."""
    if value is None:
        return ""
    if column.kind in ("decimal", "money"):
        text = format(Decimal(value).normalize(), "f") if column.kind == "decimal" else f"{Decimal(value):.2f}"
        return text.replace(".", ",")
    if column.kind == "date":
        return value.strftime("%d/%m/%Y")
    if column.kind == "bool":
        return "oui" if value else "non"
    if column.kind == "choice":
        assert column.choices is not None
        return dict(zip(dict.fromkeys(column.choices.values()), column.choice_words(), strict=True))[value]
    return str(value)


def write_csv(dataset: Dataset, records: Iterable[dict[str, Any]]) -> str:
    """CSV text in the documented format: `;` separated, French headers and cells; a text cell a spreadsheet would
    run as a formula is written inert (`inert_text`), and reads back as it was."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([c.name for c in dataset.columns])
    texts = [c.kind == "text" for c in dataset.columns]
    for record in records:
        writer.writerow(
            [
                inert_text(cell) if text else cell
                for cell, text in zip((format_cell(c, record.get(c.name)) for c in dataset.columns), texts, strict=True)
            ]
        )
    return out.getvalue()


def template_csv(dataset: Dataset) -> bytes:
    """An empty file of the format: the header row, UTF-8 with BOM so that spreadsheets read the accents."""
    return ("\ufeff" + ";".join(c.name for c in dataset.columns) + "\n").encode("utf-8")


def template_xlsx(dataset: Dataset) -> bytes:
    """A workbook: the header row on the first sheet, and an "Aide" sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = dataset.file_stem[:31]
    sheet.append([c.name for c in dataset.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append(["colonne", "obligatoire", "type", "valeurs, remarques"])
    for c in dataset.columns:
        notes = " / ".join(c.choice_words()) if c.kind == "choice" else ""
        # openpyxl stores a text starting with "=" as a formula: every cell goes through inert_text
        help_sheet.append(
            [
                inert_text(text)
                for text in (
                    c.name,
                    "oui" if c.required else "non",
                    c.expected_fr,
                    " ; ".join(x for x in (notes, c.help_fr) if x),
                )
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
