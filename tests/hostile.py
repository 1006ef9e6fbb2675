"""Broken and hostile files, generated: what an unlucky user or an attacker could hand to the loader.

Used by tests/test_hostile_files.py (each case asserts its refusal) and by benchmarks/hostile_files.py (the
time and memory a refusal takes, at the sizes the attacks were first tried with).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

RECEIVABLES_HEADER = "date_situation;entite;bureau;client;facture;date_facture;date_echeance;montant_du"
FORMULA = "=cmd|' /C calc'!A0"


def receivables_rows(
    count: int, *, as_of: str = "31/03/2026", entity: str = "SMARTCOOP", office: str = "GAND", start: int = 0
) -> list[str]:
    """`count` open items of one snapshot, one CSV line each (invoice numbers R-000000, R-000001…)."""
    year = as_of[-4:]  # invoiced in January of the snapshot's year: never after the snapshot
    return [
        f"{as_of};{entity};{office};Atelier {i % 7};R-{i:06d};01/01/{year};31/01/{year};{100 + i},00"
        for i in range(start, start + count)
    ]


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
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
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
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"
_STRINGS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">'
)


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
    same = '<c t="s"><v>8</v></c><c t="s"><v>9</v></c><c t="s"><v>10</v></c><c t="s"><v>11</v></c>'
    dates = '<c t="s"><v>12</v></c><c t="s"><v>13</v></c>'

    def chunks() -> Iterator[bytes]:
        yield header.encode()
        block = 20_000
        for start in range(0, rows, block):
            stop = min(rows, start + block)
            if varied:
                yield "".join(
                    f"<row>{same}<c><v>{i}</v></c>{dates}<c><v>{i % 9973}</v></c></row>" for i in range(start, stop)
                ).encode()
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
            yield piece[: min(left, len(piece))]
            left -= len(piece)
        yield b"</t></si>"

    header = _inline_row(RECEIVABLES_HEADER.split(";")).encode()
    row = (
        b'<row><c t="inlineStr"><is><t>31/03/2026</t></is></c><c t="inlineStr"><is><t>SMARTCOOP</t></is></c>'
        b'<c/><c t="s"><v>0</v></c><c t="inlineStr"><is><t>R1</t></is></c>'
        b'<c t="inlineStr"><is><t>01/01/2026</t></is></c><c t="inlineStr"><is><t>31/01/2026</t></is></c>'
        b"<c><v>10</v></c></row>"
    )
    return raw_workbook([header, row], text())


def many_parts(count: int, *, declared: int | None = None, zip64: bool = False, comment: bytes = b"") -> bytes:
    """A zip archive of `count` empty members (a few dozen bytes each, written with struct: zipfile takes seconds
    to write a million). Its end record declares `declared` entries (default: the count, as zipfile writes it);
    `zip64`: the ZIP64 end record and locator come before it, as zipfile writes them past 65 535 entries."""
    crc, local, central, offset = zlib.crc32(b""), [], [], 0
    for i in range(count):
        name = f"xl/media/p{i:07d}.bin".encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, 0, 0, len(name), 0) + name
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, crc, 0, 0, len(name), 0, 0, 0, 0, 0, offset) + name
        )
        local.append(header)
        offset += len(header)
    directory = b"".join(central)
    entries = count if declared is None else declared
    end64 = b""
    if zip64:
        record = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, entries, entries, len(directory), offset)
        end64 = record + struct.pack("<IIQI", 0x07064B50, 0, offset + len(directory), 1)
    short = 0xFFFF if zip64 else min(entries, 0xFFFF)
    end = (
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, short, short, min(len(directory), 0xFFFFFFFF), min(offset, 0xFFFFFFFF), len(comment)
        )
        + comment
    )
    return b"".join(local) + directory + end64 + end


def small_parts_bomb(parts: int, size: int) -> bytes:
    """A receivables workbook of two items, plus `parts` XML parts of `size` bytes each that no relationship names
    (a part of 512 KiB of empty elements packs into half a kilobyte: each under the 1 MiB a part's ratio is
    checked from, together far over it)."""
    rows = [
        _inline_row(RECEIVABLES_HEADER.split(";")).encode(),
        *(_inline_row(line.split(";")).encode() for line in receivables_rows(2)),
    ]
    out = io.BytesIO(raw_workbook(rows))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for i in range(parts):
            archive.writestr(f"xl/customXml/item{i}.xml", b"<a/>" * (size // 4))
    return out.getvalue()
