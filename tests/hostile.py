"""Broken and hostile files, generated: what an unlucky user or an attacker could hand to the loader.

Used by tests/test_hostile_files.py (each case asserts its refusal) and by benchmarks/hostile_files.py (the
time and memory a refusal takes, at the sizes the attacks were first tried with).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

RECEIVABLES_HEADER = "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du"
FORMULA = "=cmd|' /C calc'!A0"


def receivables_rows(count: int, *, as_of: str = "31/03/2026", entity: str = "SMARTCOOP", office: str = "GAND",
                     start: int = 0) -> list[str]:
    """`count` open items of one snapshot, one CSV line each (invoice numbers R-000000, R-000001…)."""
    year = as_of[-4:]  # invoiced in January of the snapshot's year: never after the snapshot
    return [f"{as_of};{entity};{office};Atelier {i % 7};R-{i:06d};01/01/{year};31/01/{year};{100 + i},00"
            for i in range(start, start + count)]


def receivables_csv(count: int, **kw) -> str:
    return "\n".join([RECEIVABLES_HEADER, *receivables_rows(count, **kw)]) + "\n"


def workbook(sheets: Iterable[tuple[str, list[list], str]]) -> bytes:
    """An .xlsx written by openpyxl: (title, rows, state) per sheet, state "visible" or "hidden"."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_rows(text: str) -> list[list[str]]:
    return [line.split(";") for line in text.splitlines()]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    '</Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="creances" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    '</Relationships>'
)
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"
_STRINGS_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">')


def _inline_row(cells: list[str]) -> str:
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells) + "</row>"


def raw_workbook(sheet_rows: Iterable[bytes], shared_strings: Iterable[bytes] = (), *, level: int = 6) -> bytes:
    """An .xlsx written part by part (as an attacker would: no spreadsheet program involved), the sheet's rows and
    the shared strings streamed into the archive so that a huge part never sits whole in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            strings = list(shared_strings) if not isinstance(shared_strings, Iterator) else shared_strings
            part.write(_STRINGS_HEAD.format(n=1).encode())
            for chunk in strings:
                part.write(chunk)
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_SHEET_HEAD.encode())
            for chunk in sheet_rows:
                part.write(chunk)
            part.write(_SHEET_TAIL.encode())
    return out.getvalue()


def row_bomb(rows: int, *, varied: bool = True, level: int = 6) -> bytes:
    """A receivables workbook of `rows` rows, each a valid-looking item (texts in the shared strings, as
    spreadsheet programs write them). `varied`: every row differs (invoice numbers and amounts counting up, so
    the archive compresses like a real one); otherwise the same row repeated (an extreme compression ratio)."""
    texts = [*RECEIVABLES_HEADER.split(";"), "31/03/2026", "SMARTCOOP", "GAND", "Atelier", "01/01/2026", "31/01/2026"]
    strings = "".join(f"<si><t>{t}</t></si>" for t in texts).encode()
    header = "<row>" + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(8)) + "</row>"
    same = ('<c t="s"><v>8</v></c><c t="s"><v>9</v></c><c t="s"><v>10</v></c><c t="s"><v>11</v></c>')
    dates = '<c t="s"><v>12</v></c><c t="s"><v>13</v></c>'

    def chunks() -> Iterator[bytes]:
        yield header.encode()
        block = 20_000
        for start in range(0, rows, block):
            stop = min(rows, start + block)
            if varied:
                yield "".join(f"<row>{same}<c><v>{i}</v></c>{dates}<c><v>{i % 9973}</v></c></row>"
                              for i in range(start, stop)).encode()
            else:
                yield f"<row>{same}<c><v>1</v></c>{dates}<c><v>1</v></c></row>".encode() * (stop - start)

    return raw_workbook(chunks(), [strings], level=level)


def long_cell_workbook(chars: int, *, letters: bytes = b"A") -> bytes:
    """A receivables workbook whose one item's client name (a shared string) is `chars` characters long,
    streamed in 1 MB pieces (`letters` repeated)."""
    piece = (letters * (1_000_000 // len(letters) + 1))[:1_000_000]

    def text() -> Iterator[bytes]:
        yield b"<si><t>"
        left = chars
        while left > 0:
            yield piece[:min(left, len(piece))]
            left -= len(piece)
        yield b"</t></si>"

    header = _inline_row(RECEIVABLES_HEADER.split(";")).encode()
    row = (b'<row><c t="inlineStr"><is><t>31/03/2026</t></is></c><c t="inlineStr"><is><t>SMARTCOOP</t></is></c>'
           b'<c/><c t="s"><v>0</v></c><c t="inlineStr"><is><t>R1</t></is></c>'
           b'<c t="inlineStr"><is><t>01/01/2026</t></is></c><c t="inlineStr"><is><t>31/01/2026</t></is></c>'
           b'<c><v>10</v></c></row>')
    return raw_workbook([header, row], text())
