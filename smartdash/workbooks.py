"""Reading .xlsx workbooks without trusting them.

An .xlsx file is a zip archive of XML parts, and a few kilobytes of it can expand to gigabytes (a "zip bomb"),
to millions of rows, or to one cell so far from A1 that a reader allocating the rectangle up to it asks for
gigabytes. Before python-calamine (a reader written in Rust) parses anything, the archive is
checked from its end record (the size of its central directory, read before zipfile parses it: a directory of a
million entries costs zipfile seconds and hundreds of MB), from its directory, and by streaming each XML part once
through zlib, in bounded memory: its declared size once unpacked (at most `UNPACKED_BYTES_PER_ROW` per allowed
row), the compression ratio of each part and of the whole, the longest text between two tags (a cell's text), the
rows of each sheet and how far its cells reach (`_Extent`). Only then is the one sheet read, up to the row limit.

The sheet read is the one named like the dataset (`creances`, `receivables`…) among the visible sheets, else the
first visible sheet: a hidden sheet is never read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator

from smartdash.formats.cells import MAX_CELL_CHARS, MAX_COLUMNS, thousands
from smartdash.formats.datasets import DATASETS
from smartdash.formats.spec import FileRefused, Problem
from smartdash.formats.tables import Table, _normal_header, _table, too_many_rows
from smartdash.i18n import N_, Text, text

# Apache POI refuses a part that inflates more than 100 times (ZipSecureFile's minimum ratio, 0.01); spreadsheet
# programs write parts that inflate 5 to 30 times. Parts under 1 MiB unpacked are left alone.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 << 20
# XML of one row as spreadsheet programs write it: 0,2 to 0,5 KiB for the 8 columns of a receivables file, under
# 1 KiB for the widest format (17 columns).
UNPACKED_BYTES_PER_ROW = 2048
UNPACKED_MIN_BYTES = 64 << 20
# the text between two tags: a cell's text, up to 6 bytes a character once escaped (&quot;) and in UTF-8
LONGEST_TEXT_BYTES = 8 * MAX_CELL_CHARS
MAX_PARTS = 10_000
# zipfile reads the whole central directory into a ZipInfo per entry, however many entries the end record counts:
# its size is what bounds that work. An entry is 46 bytes, its path and extra fields: 200 bytes leave room for
# long paths, and hold at most 43 000 of the smallest entries (a few tenths of a second for zipfile).
MAX_DIRECTORY_BYTES = 200 * MAX_PARTS
# the end-of-central-directory record (APPNOTE 4.3.16) and the ZIP64 locator and record (4.3.15, 4.3.14)
_END = struct.Struct("<4s4H2LH")
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
# rows a workbook may hold besides those of the sheet read (a help sheet, notes)
OTHER_SHEETS_ROWS = 10_000
_CHUNK = 1 << 20
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_DEFAULT_MAX_ROWS = 500_000
# calamine holds a sheet as the rectangle from A1 to its last cell, 32 bytes a cell: a sheet may reach as many cells
# as its allowed rows have columns A to Z (the widest format has 17 columns), about 420 MB at 500 000 rows
CELLS_PER_ROW = 26

READABLE = N_("a readable .xlsx workbook")


def _readable(detail: Text) -> Text:
    """« un classeur .xlsx lisible (detail) »."""
    return text(N_("a readable .xlsx workbook ({detail})"), detail=detail)


_BOMB = text(
    N_("a workbook compressed the way spreadsheets do it (at most {ratio} times): this one is booby-trapped (“zip bomb”)"),
    ratio=MAX_RATIO,
)


def _error(exc: Exception) -> Text:
    return _readable(Text("{name}", {"name": type(exc).__name__}))


def unpacked_limit(max_rows: int | None) -> int:
    """The most bytes a workbook may declare once unpacked, for a row limit."""
    return max(UNPACKED_MIN_BYTES, (max_rows or _DEFAULT_MAX_ROWS) * UNPACKED_BYTES_PER_ROW)


def _refused(name: str, value: Text | None, expected: Text, row: int | None = None) -> FileRefused:
    return FileRefused([Problem(name, row, None, value, expected)])


def _parts(count: int) -> Text:
    return text(N_("{count} parts"), count=thousands(count))


def _mib(size: int) -> Text:
    return text(N_("{size} MB"), size=thousands(round(size / (1 << 20))))


def read_workbook(name: str, data: bytes, *, kind: str | None = None, max_rows: int | None = None) -> tuple[Table, str]:
    """Header and rows of the sheet to read, and its name; FileRefused for a damaged or hostile workbook, or one
    with more than `max_rows` rows after the header."""
    _check_end_record(name, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _refused(name, None, _readable(text(N_("this file is not a workbook: a CSV renamed .xlsx?")))) from None
    _check_directory(name, parts, unpacked_limit(max_rows))
    _scan_parts(name, archive, parts, max_rows)
    import python_calamine

    with _calamine_refusal(name):
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    with workbook:
        title = _sheet_to_read(name, workbook, kind)
        with _calamine_refusal(name):  # a part the scan let through but calamine cannot parse
            sheet = workbook.get_sheet_by_name(title)
            if sheet.width > MAX_COLUMNS:  # the scan refuses cells named beyond it: here, cells without names
                raise _too_wide(name, sheet.width, None)
            rows = _rows_of(sheet, None if max_rows is None else max_rows + 2)
    if max_rows is not None and len(rows) > max_rows + 1:
        raise too_many_rows(name, max_rows)
    table = _table(name, rows, _blank, text(N_("a non-empty sheet “{sheet}” with a header row"), sheet=title))
    return Table([str(c or "") for c in table.header], table.rows, table.lines), title


@contextlib.contextmanager
def _calamine_refusal(name: str) -> Iterator[None]:
    """python-calamine's errors on a damaged workbook, and a panic of its Rust code (which pyo3 raises as a
    BaseException), told as an unreadable workbook."""
    try:
        yield
    except FileRefused:
        raise
    except Exception as exc:
        raise _refused(name, None, _error(exc)) from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise _refused(name, None, _error(exc)) from None


def _rows_of(sheet, stop: int | None) -> list[list]:
    """The sheet's rows from its first row, each from column A (as a spreadsheet numbers them: the header need not
    be in A1), at most `stop` of them. calamine's rows start at the sheet's first row but at its first column used:
    they are padded back to column A. A text or a date repeated down a column (an entity, an as-of date) is kept as
    one object: a 500 000-row sheet holds a few hundred thousand fewer."""
    start = sheet.start
    pad = [""] * (start[1] if start else 0)
    seen: dict = {}
    keep = seen.setdefault
    rows = [
        [*pad, *(keep(cell, cell) if type(cell) is str or type(cell) is dt.date else cell for cell in row)]
        for row in itertools.islice(sheet.iter_rows(), stop)
    ]
    return rows


def _blank(row: list) -> bool:
    return all(c in (None, "") for c in row)


def _too_wide(name: str, column: int, row: int | None) -> FileRefused:
    return _refused(
        name,
        text(N_("a cell in column {column}"), column=thousands(column)),
        text(N_("rows of at most {columns} columns"), columns=thousands(MAX_COLUMNS)),
        row=row,
    )


def _check_end_record(name: str, data: bytes) -> None:
    """What the archive's end record declares of its central directory (entries, bytes), before zipfile parses the
    directory: an archive whose end record zipfile would not find either is left to zipfile to refuse."""
    declared = central_directory(data)
    if declared is None:
        return
    entries, size = declared
    if entries > MAX_PARTS:
        raise _refused(name, _parts(entries), _readable(text(N_("at most {parts} parts"), parts=thousands(MAX_PARTS))))
    if size > MAX_DIRECTORY_BYTES:
        raise _refused(
            name,
            text(N_("an archive directory of {size} bytes"), size=thousands(size)),
            _readable(
                text(
                    N_("a directory of at most {size} bytes: {parts} parts"),
                    size=thousands(MAX_DIRECTORY_BYTES),
                    parts=thousands(MAX_PARTS),
                )
            ),
        )


def central_directory(data: bytes) -> tuple[int, int] | None:
    """(entries, bytes) of a zip archive's central directory as its end records declare them (the ZIP64 record's
    when there is one), or None without an end record. The record is looked for where zipfile looks: the last 22
    bytes when they hold one without a comment, else the last signature in the last 64 KiB and 22 bytes."""
    end = len(data) - _END.size
    if not (end >= 0 and data.startswith(b"PK\x05\x06", end) and data.endswith(b"\x00\x00")):
        end = data.rfind(b"PK\x05\x06", max(end - (1 << 16), 0))
        if end < 0 or end + _END.size > len(data):
            return None
    entries, size = _END.unpack_from(data, end)[4:6]
    record = end - _END64_LOCATOR.size - _END64.size
    if record >= 0 and data.startswith(b"PK\x06\x07", end - _END64_LOCATOR.size) and data.startswith(b"PK\x06\x06", record):
        entries, size = _END64.unpack_from(data, record)[7:9]
    return entries, size


def _check_directory(name: str, parts: list[zipfile.ZipInfo], limit: int) -> None:
    """What the archive's directory declares: sizes once unpacked, compression ratios of each part and of the
    whole (many parts under 1 MiB, each inflating a thousand times) — reading a part never goes past its declared
    size: zipfile stops there and checks the part's CRC."""
    if len(parts) > MAX_PARTS:
        raise _refused(name, _parts(len(parts)), _readable(text(N_("at most {parts} parts"), parts=thousands(MAX_PARTS))))
    total = sum(p.file_size for p in parts)
    if total > limit:
        raise _refused(
            name,
            text(N_("{size} once unpacked"), size=_mib(total)),
            text(N_("a workbook of at most {size} once unpacked (2 KiB per row allowed: [import] max_rows)"), size=_mib(limit)),
        )
    for part in parts:
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = thousands(part.file_size // max(part.compress_size, 1))
            raise _refused(
                name,
                text(N_("a part unpacks {ratio} times"), ratio=ratio),
                _BOMB,
            )
    packed = sum(p.compress_size for p in parts)
    if total > RATIO_FROM_BYTES and total > MAX_RATIO * max(packed, 1):
        raise _refused(
            name,
            text(N_("the workbook unpacks {ratio} times"), ratio=thousands(total // max(packed, 1))),
            _BOMB,
        )


def _scan_parts(name: str, archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], max_rows: int | None) -> dict[str, int]:
    """Stream every part that starts like XML once: refuse a text between two tags longer than a cell may be, and
    a workbook whose sheets together hold more rows than allowed (plus `OTHER_SHEETS_ROWS` for help or notes
    sheets), and a sheet whose cells reach beyond what its rows may hold (`_Extent`). Returns the rows counted per
    part."""
    rows_of: dict[str, int] = {}
    enough = None if max_rows is None else max_rows + 1 + OTHER_SHEETS_ROWS
    total = 0
    allowed_rows = (_DEFAULT_MAX_ROWS if max_rows is None else max_rows) + 1 + OTHER_SHEETS_ROWS
    for part in parts:
        rows, carry, extent, in_sheet = 0, b"", _Extent(allowed_rows), False
        try:
            with archive.open(part) as stream:
                first = True
                while chunk := stream.read(_CHUNK):
                    if first and not _looks_like_xml(chunk):
                        break  # an image, a binary part: no reader parses such a part as a sheet
                    first = False
                    buffer = carry + chunk
                    last = buffer.rfind(b"<")  # what follows the last tag opening waits for the next chunk
                    head, carry = buffer[: max(last, 0)], buffer[max(last, 0) :]
                    if len(carry) > LONGEST_TEXT_BYTES or _has_longer_text(head, LONGEST_TEXT_BYTES):
                        raise _refused(
                            name,
                            text(N_("a cell of more than {size} bytes"), size=thousands(LONGEST_TEXT_BYTES)),
                            text(N_("cells of at most {size} characters"), size=thousands(MAX_CELL_CHARS)),
                            row=rows + 1 if "worksheets/" in part.filename else None,
                        )
                    counted = _rows_in(head)
                    in_sheet = in_sheet or b"sheetData" in head  # cells are only read in a sheet's data
                    if in_sheet:
                        extent.add(head, counted, rows)
                    rows += counted
                    if enough is not None and total + rows > enough:
                        raise too_many_rows(name, max_rows)
                if in_sheet and carry:  # the last tag, and whatever a truncated part ends with
                    extent.add(carry, _rows_in(carry), rows)
                extent.check(name, rows)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _refused(name, None, _error(exc)) from None
        rows_of[part.filename] = rows
        total += rows
    return rows_of


# the cell references beyond column Z (` r="AB12"`; a lower-case one too): the common shape, ` r="B12"`, fails
# at its second character
_WIDE_REFERENCE = re.compile(rb' r="([A-Za-z]{2,3}|[a-z])\d')
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_TAG_REFERENCE = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{0,3})(\d{1,9})["']""")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _far_reference(rows: int) -> re.Pattern:
    """A reference (` r="12"`, ` r="B12"`) to a row past `rows`, or near past it: its leading digit above the
    bound's (600 000 and on for 510 000), or more digits than the bound has."""
    digits = str(rows)
    lead, rest = int(digits[0]), len(digits) - 1
    above = f"[{lead + 1}-9]\\d{{{rest}}}|" if lead < 9 else ""
    return re.compile(f' r="[A-Za-z]{{0,3}}(?:{above}\\d{{{rest + 2},}})"'.encode())


class _Extent:
    """How far a sheet's cells reach (its last row and column): calamine allocates every cell of the rectangle
    from A1 to its last cell before returning one, so a single cell far away (`XFD1048576`) would ask it for
    gigabytes. Where every row and cell carries a reference the way spreadsheet programs write it (`<row r="2"`,
    `<c r="B2"`), a few C-level passes find a reference past the allowed rows or beyond column Z; elsewhere (a
    reference written otherwise, cells numbered by their position) the piece is walked tag by tag."""

    def __init__(self, allowed_rows: int) -> None:
        self.allowed_rows = allowed_rows
        self.far = _far_reference(allowed_rows)
        self.last_row = 0
        self.last_column = 0
        self.any_cell = False
        self.column = 0  # the walk's position: the column of the last cell read in the current row
        self.wide_at: int | None = None  # the row of the first cell beyond MAX_COLUMNS

    def add(self, xml: bytes, rows: int, rows_before: int) -> None:
        cells = xml.count(b"<c")
        self.any_cell = self.any_cell or cells > 0
        if cells == xml.count(b'<c r="') and rows == xml.count(b'<row r="'):
            far = self.far.search(xml)
            if far is not None:
                self._reach(0, int(re.sub(rb"\D", b"", far.group())))
            for letters in _WIDE_REFERENCE.findall(xml):
                self._reach(_column_number(letters), rows_before + rows)
            self.last_row = max(self.last_row, rows_before + rows)
            return
        row = max(self.last_row, rows_before)
        for tag, attributes in _TAG.findall(xml):
            found = _TAG_REFERENCE.search(attributes)
            if tag == b"row":
                row = int(found.group(2)) if found else row + 1
                self.column = 0
            else:
                self.column = _column_number(found.group(1)) if found and found.group(1) else self.column + 1
                row = int(found.group(2)) if found else row
            self._reach(self.column if tag == b"c" else 0, row)

    def _reach(self, column: int, row: int) -> None:
        self.last_row = max(self.last_row, row)
        if column > self.last_column:
            self.last_column = column
            if column > MAX_COLUMNS and self.wide_at is None:
                self.wide_at = row

    def check(self, name: str, rows: int) -> None:
        if self.wide_at is not None:
            raise _too_wide(name, self.last_column, self.wide_at)
        if self.last_row > self.allowed_rows:
            raise _refused(
                name,
                text(N_("a row numbered {row}"), row=thousands(self.last_row)),
                text(N_("a sheet of at most {rows} rows"), rows=thousands(self.allowed_rows)),
            )
        columns = max(self.last_column, CELLS_PER_ROW if self.any_cell else 0)
        if max(self.last_row, rows) * columns > CELLS_PER_ROW * self.allowed_rows:
            raise _refused(
                name,
                text(N_("a sheet reaching row {row} and column {column}"), row=thousands(self.last_row), column=columns),
                text(
                    N_("a sheet of at most {cells} cells from A1 to its last row and column ({per_row} per row allowed)"),
                    cells=thousands(CELLS_PER_ROW * self.allowed_rows),
                    per_row=CELLS_PER_ROW,
                ),
            )


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


def _sheet_to_read(name: str, workbook, kind: str | None) -> str:
    """The visible sheet named like the dataset (its code, file name or title), else the first visible sheet."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    visible = [
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.visible == SheetVisibleEnum.Visible and sheet.typ == SheetTypeEnum.WorkSheet
    ]
    if not visible:
        raise _refused(name, None, text(N_("a workbook with a visible sheet")))
    datasets = [DATASETS[kind]] if kind in DATASETS else list(DATASETS.values())
    names = {_normal_header(n) for ds in datasets for n in (ds.kind, ds.file_stem, ds.title_fr, ds.title_en)}
    return next((title for title in visible if _normal_header(title) in names), visible[0])
