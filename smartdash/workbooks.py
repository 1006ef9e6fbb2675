"""Reading .xlsx workbooks without trusting them.

An .xlsx file is a zip archive of XML parts, and a few kilobytes of it can expand to gigabytes (a "zip bomb")
or to millions of rows that a spreadsheet reader builds one Python object at a time. Before openpyxl parses
anything, the archive is checked from its directory and by streaming each XML part once through zlib, in bounded
memory: its declared size once unpacked (at most `UNPACKED_BYTES_PER_ROW` per allowed row), each part's
compression ratio, the longest text between two tags (a cell's text), and the rows of each sheet. Only then are
the rows of one sheet read, as a stream, stopping at the row limit.

The sheet read is the one named like the dataset (`creances`, `receivables`…) among the visible sheets, else the
first visible sheet: a hidden sheet is never read.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import zlib

from smartdash import formats
from smartdash.formats import DATASETS, FileRefused, Problem, Table

# Apache POI refuses a part that inflates more than 100 times (ZipSecureFile's minimum ratio, 0.01); spreadsheet
# programs write parts that inflate 5 to 30 times. Parts under 1 MiB unpacked are left alone.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 << 20
# XML of one row as spreadsheet programs write it: 0,2 to 0,5 KiB for the 8 columns of a receivables file, under
# 1 KiB for the widest format (17 columns).
UNPACKED_BYTES_PER_ROW = 2048
UNPACKED_MIN_BYTES = 64 << 20
# the text between two tags: a cell's text, up to 6 bytes a character once escaped (&quot;) and in UTF-8
LONGEST_TEXT_BYTES = 8 * formats.MAX_CELL_CHARS
MAX_PARTS = 10_000
# rows a workbook may hold besides those of the sheet read (a help sheet, notes)
OTHER_SHEETS_ROWS = 10_000
_CHUNK = 1 << 20
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_DEFAULT_MAX_ROWS = 500_000

READABLE = "un classeur .xlsx lisible"


def unpacked_limit(max_rows: int | None) -> int:
    """The most bytes a workbook may declare once unpacked, for a row limit."""
    return max(UNPACKED_MIN_BYTES, (max_rows or _DEFAULT_MAX_ROWS) * UNPACKED_BYTES_PER_ROW)


def _refused(name: str, value: str | None, expected: str, row: int | None = None) -> FileRefused:
    return FileRefused([Problem(name, row, None, value, expected)])


def _mib(size: int) -> str:
    return formats.thousands(round(size / (1 << 20))) + " Mo"


def read_workbook(name: str, data: bytes, *, kind: str | None = None, max_rows: int | None = None
                  ) -> tuple[Table, str]:
    """Header and rows of the sheet to read, and its name; FileRefused for a damaged or hostile workbook, or one
    with more than `max_rows` rows after the header."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _refused(name, None, READABLE + " (ce fichier n'est pas un classeur : un CSV renommé en .xlsx ?)"
                       ) from None
    _check_directory(name, parts, unpacked_limit(max_rows))
    rows_of = _scan_parts(name, archive, parts, max_rows)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _refused(name, None, f"{READABLE} ({type(exc).__name__})") from None
    try:
        sheet = _sheet_to_read(name, workbook, kind)
        path = getattr(sheet, "_worksheet_path", None)  # openpyxl's own path of the part: the scan counted its rows
        if max_rows is not None and rows_of.get(str(path).lstrip("/"), 0) > max_rows + 1:
            raise formats.too_many_rows(name, max_rows)
        rows = _rows_of(name, sheet, None if max_rows is None else max_rows + 2)
    finally:
        workbook.close()
    if max_rows is not None and len(rows) > max_rows + 1:
        raise formats.too_many_rows(name, max_rows)
    table = formats._table(name, rows, lambda row: all(c in (None, "") for c in row),
                           f"une feuille « {sheet.title} » non vide avec une ligne d'en-tête")
    return Table([str(c or "") for c in table.header], table.rows, table.lines), sheet.title


def _rows_of(name: str, sheet, stop: int | None) -> list[list]:
    """The sheet's rows as lists, at most `stop` of them. Its declared dimension is dropped (openpyxl would pad
    every row to it, and add empty rows up to it): a row is as wide as its last cell, and a row wider than any
    table of ours is refused as soon as it is read, before another is built."""
    sheet.reset_dimensions()
    rows: list[list] = []
    try:
        for row in itertools.islice(sheet.iter_rows(values_only=True), stop):
            if len(row) > formats.MAX_COLUMNS:
                raise _refused(name, f"une cellule en colonne {formats.thousands(len(row))}",
                               f"des lignes de {formats.thousands(formats.MAX_COLUMNS)} colonnes au plus",
                               row=len(rows) + 1)
            rows.append(list(row))
    except FileRefused:
        raise
    except Exception as exc:  # a part the scan let through but openpyxl cannot parse
        raise _refused(name, None, f"{READABLE} ({type(exc).__name__})") from None
    return rows


def _check_directory(name: str, parts: list[zipfile.ZipInfo], limit: int) -> None:
    """What the archive's directory declares: sizes once unpacked, compression ratios (reading a part never goes
    past its declared size: zipfile stops there and checks the part's CRC)."""
    if len(parts) > MAX_PARTS:
        raise _refused(name, f"{formats.thousands(len(parts))} parties",
                       f"{READABLE} ({formats.thousands(MAX_PARTS)} parties au plus)")
    total = sum(p.file_size for p in parts)
    if total > limit:
        raise _refused(name, f"{_mib(total)} une fois décompressé",
                       f"un classeur de {_mib(limit)} au plus une fois décompressé (2 Kio par ligne permise : "
                       "[import] max_rows)")
    for part in parts:
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = formats.thousands(part.file_size // max(part.compress_size, 1))
            raise _refused(name, f"une partie se décompresse {ratio} fois",
                           f"un classeur compressé comme le font les tableurs ({MAX_RATIO} fois au plus) : "
                           "celui-ci est piégé (« bombe zip »)")


def _scan_parts(name: str, archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], max_rows: int | None
                ) -> dict[str, int]:
    """Stream every part that starts like XML once: refuse a text between two tags longer than a cell may be, and
    a workbook whose sheets together hold more rows than allowed (plus `OTHER_SHEETS_ROWS` for help or notes
    sheets): openpyxl parses every sheet that lacks a dimension element whole when it opens a workbook. Returns
    the rows counted per part."""
    rows_of: dict[str, int] = {}
    enough = None if max_rows is None else max_rows + 1 + OTHER_SHEETS_ROWS
    total = 0
    for part in parts:
        rows, carry = 0, b""
        try:
            with archive.open(part) as stream:
                first = True
                while chunk := stream.read(_CHUNK):
                    if first and not _looks_like_xml(chunk):
                        break  # an image, a binary part: openpyxl parses no such part as a sheet
                    first = False
                    buffer = carry + chunk
                    last = buffer.rfind(b"<")  # what follows the last tag opening waits for the next chunk
                    head, carry = buffer[:max(last, 0)], buffer[max(last, 0):]
                    if len(carry) > LONGEST_TEXT_BYTES or _has_longer_text(head, LONGEST_TEXT_BYTES):
                        raise _refused(name, f"une cellule de plus de {formats.thousands(LONGEST_TEXT_BYTES)} octets",
                                       f"des cellules de {formats.thousands(formats.MAX_CELL_CHARS)} caractères au "
                                       "plus", row=rows + 1 if "worksheets/" in part.filename else None)
                    rows += _rows_in(head)
                    if enough is not None and total + rows > enough:
                        raise formats.too_many_rows(name, max_rows)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _refused(name, None, f"{READABLE} ({type(exc).__name__})") from None
        rows_of[part.filename] = rows
        total += rows
    return rows_of


def _looks_like_xml(start: bytes) -> bool:
    """Whether a part starts as XML does (whatever its name: a sheet is found through relationships, not names)."""
    return start.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def _has_longer_text(xml: bytes, limit: int) -> bool:
    """Whether some text between two tags of `xml` (which starts at a tag) is longer than `limit` bytes: every
    stretch of limit/2 bytes holding a "<" (a memchr each) proves there is none; a stretch without one is measured."""
    half = limit // 2
    for start in range(0, len(xml), half):
        if xml.find(b"<", start, start + half) < 0:
            before, after = xml.rfind(b"<", 0, start), xml.find(b"<", start + half)
            if (after if after >= 0 else len(xml)) - before - 1 > limit:
                return True
    return False


def _rows_in(xml: bytes) -> int:
    """The row elements of a piece of sheet XML: `<row` counted (a rowBreaks element aside); a prefixed name
    (`<x:row`), which spreadsheet programs do not write but XML allows, by a regular expression."""
    if b":row" in xml:
        return len(_ROW_TAG.findall(xml))
    return xml.count(b"<row") - xml.count(b"<rowBreaks")


def _sheet_to_read(name: str, workbook, kind: str | None):
    """The visible sheet named like the dataset (its code, file name or title), else the first visible sheet."""
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise _refused(name, None, "un classeur avec une feuille visible")
    datasets = [DATASETS[kind]] if kind in DATASETS else list(DATASETS.values())
    names = {formats._normal_header(n) for ds in datasets for n in (ds.kind, ds.file_stem, ds.title_fr, ds.title_en)}
    return next((ws for ws in visible if formats._normal_header(ws.title) in names), visible[0])
