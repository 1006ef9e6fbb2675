"""Reading files: a CSV's bytes decoded and split into a table (or a workbook's sheet, by smartdash.workbooks), its
header matched to a dataset, its cells parsed column by column and its rows checked, every problem collected."""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smartdash import i18n, readers
from smartdash.formats.cells import (
    BIGINT_MAX,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    NUMBER_LIMITS,
    Refused,
    _parse_one,
    parse_cells,
    thousands,
)
from smartdash.formats.datasets import DATASETS
from smartdash.formats.spec import Dataset, FileRefused, Problem, RowCheck
from smartdash.formats.tables import Table, _normal_header, _table, too_many_rows
from smartdash.formats.writing import format_cell
from smartdash.i18n import N_, Text
from smartdash.readers import suffix_of

# C0 control characters but tab, line feed and carriage return: no spreadsheet cell holds them; PostgreSQL refuses
# NUL in text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


ENCODINGS_ACCEPTED = i18n.text(N_("a text in UTF-8 or Windows-1252 (save the file as “CSV UTF-8”)"))
# letters of Windows-1252 beyond ASCII (× and ÷ aside)
_ACCENTED = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
# the characters of a byte 0x80-0xBF in Windows-1252: after « Ã » or « Â », UTF-8 read as Windows-1252 (« Ã© »)
_CP1252_CONTINUATION = "".join(bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0))
# what another encoding looks like once read as Windows-1252, where no Western text looks so: a Shift-JIS lead byte
# (0x81-0x9F: € … – — •, 0xA7-0xB5: § ° ² ³ µ) glued to a letter; UTF-8's two bytes (« Ã© »); Cyrillic or Greek
# (every letter a byte 0xC0-0xFF: « Ïðèâåò ») as a run of three accented letters, or a word of two
_MISDECODED = re.compile(
    f"[\u00a7\u00b0\u00b2\u00b3\u00b5\u20ac\u2013\u2014\u2026\u2022][{_ACCENTED}]"
    f"|[\u00c2\u00c3][{re.escape(_CP1252_CONTINUATION)}]"
    f"|[{_ACCENTED}]{{3,}}"
    f"|(?<![^\\W\\d_])[{_ACCENTED}]{{2}}(?![^\\W\\d_])"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def decode(data: bytes, name: str = "") -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1252 — what French spreadsheets write
    ("CSV (séparateur : point-virgule)"), every character of it accepted (½ × ± ‰ £ ® ÷, « salarié·es »). The
    charset is asked of charset-normalizer; a file it does not find plausible as Windows-1252, or whose text shows
    how another encoding reads as Windows-1252 (a Shift-JIS or Cyrillic file, UTF-8 with a stray byte), is refused,
    naming the row and column of the first character that gives it away, rather than stored as garbled text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused([Problem(name, None, None, "UTF-16", ENCODINGS_ACCEPTED)])
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as err:
            raise FileRefused(
                [_byte_problem(name, data, err.start + 3, i18n.text(N_("a text in UTF-8 (as the file announces)")))]
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise FileRefused([_byte_problem(name, data, err.start, ENCODINGS_ACCEPTED)]) from None
    odd = _misdecoded(text)
    if odd is None and not _plausible_cp1252(data):
        odd = _NON_ASCII.search(text)
    if odd is not None:
        row, column = _position(text, odd.start())
        shown = odd.group()[:8]
        found = i18n.text(
            N_("“{chars}” (bytes {bytes})") if len(shown) > 1 else N_("“{chars}” (byte {bytes})"),
            chars=shown,
            bytes=" ".join(f"0x{b:02X}" for b in shown.encode("cp1252")),
        )
        raise FileRefused([Problem(name, row, column, found, ENCODINGS_ACCEPTED)])
    return text


def _misdecoded(text: str) -> re.Match | None:
    """The first place `_MISDECODED` finds in the text. Only the distinct runs of non-ASCII characters are looked at
    (a large file repeats a few): the places of those that could match are then checked in their context."""
    runs = set(_NON_ASCII.findall(text))
    suspects = [run for run in runs if len(run) >= 2 and _MISDECODED_RUN.search(run)]
    if not suspects:
        return None
    for place in re.finditer("|".join(map(re.escape, sorted(suspects, key=len, reverse=True))), text):
        found = _MISDECODED.search(text, place.start(), place.end() + 1)
        if found is not None:
            return found
    return None


# a run of non-ASCII characters that `_MISDECODED` may find, its letters around aside (a cheap first sieve)
_MISDECODED_RUN = re.compile(_MISDECODED.pattern.replace("(?<![^\\W\\d_])", "").replace("(?![^\\W\\d_])", ""))
# charset-normalizer reads a sample: the first distinct lines holding a byte beyond ASCII, with the header
_SAMPLE_LINES = 2000


def _plausible_cp1252(data: bytes) -> bool:
    """Whether charset-normalizer counts Windows-1252 among the encodings the file reads well in (its measure of
    mess: unusual characters, letters of mixed scripts, accents piled up), itself or as one that reads the same."""
    from charset_normalizer import from_bytes

    lines = dict.fromkeys(m.group() for m in itertools.islice(_NON_ASCII_LINE.finditer(data), 10 * _SAMPLE_LINES))
    sample = b"\n".join([data.split(b"\n", 1)[0], *itertools.islice(lines, _SAMPLE_LINES)])
    return any("cp1252" in match.could_be_from_charset for match in from_bytes(sample))


_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")


def _byte_problem(name: str, data: bytes, offset: int, expected: Text) -> Problem:
    row, column = _position(data.decode("latin-1"), offset)  # one character per byte: offsets agree
    return Problem(name, row, column, i18n.text(N_("byte 0x{byte}"), byte=f"{data[offset]:02X}"), expected)


def _position(text: str, offset: int) -> tuple[int, str | Text | None]:
    """The physical line and the column (its header) of a character of a CSV text."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    header_end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    header_line = text[:header_end]
    delimiter = max((";", ",", "\t"), key=header_line.count)
    index = text.count(delimiter, line_start, offset)
    header = [h.strip().strip('"').lstrip("\ufeff") for h in header_line.split(delimiter)]
    row = len(_LINE_BREAK.findall(text, 0, line_start)) + 1
    if row == 1:
        return 1, None
    return row, header[index] if index < len(header) and header[index] else i18n.text(N_("no. {number}"), number=index + 1)


XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_OTHER_SPREADSHEETS = {
    ".xls": i18n.text(N_("an .xlsx workbook or a CSV file (the .xls format of Excel 97-2003 is not read: save it as .xlsx)")),
    ".ods": i18n.text(N_("an .xlsx workbook or a CSV file (save this OpenDocument workbook as .xlsx or as CSV)")),
}


def read_table(name: str, data: bytes, *, max_rows: int | None = None) -> Table:
    """Header and rows of a CSV (`;`, `,` or tab separated) or of an .xlsx workbook's sheet (`read_sheet`)."""
    return read_sheet(name, data, max_rows=max_rows)[0]


def read_sheet(name: str, data: bytes, *, kind: str | None = None, max_rows: int | None = None) -> tuple[Table, str | None]:
    """Header and rows of a file, and the workbook sheet they come from (None for a CSV file). A file of more than
    `max_rows` rows after the header is refused when its rows are read, before it is checked."""
    suffix = suffix_of(name)
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container of Excel 97-2003
        raise FileRefused([Problem(name, None, None, None, _OTHER_SPREADSHEETS[".xls"])])
    if suffix in _OTHER_SPREADSHEETS:
        raise FileRefused([Problem(name, None, None, None, _OTHER_SPREADSHEETS[suffix])])
    found = readers.reader_for(name, data, loads_itself=False)
    if found is None:
        raise FileRefused([Problem(name, None, None, suffix or name, i18n.text(N_("a .csv, .txt or .xlsx file")))])
    return found.read(name, data, kind=kind, max_rows=max_rows)


def read_csv(name: str, data: bytes, *, kind: str | None = None, max_rows: int | None = None) -> tuple[Table, None]:
    """A CSV file's header and rows (`;`, `,` or tab separated); it has no sheet."""
    return _read_csv(name, data, max_rows), None


def _read_csv(name: str, data: bytes, max_rows: int | None) -> Table:
    text = decode(data, name)
    control = _CONTROL.search(text)
    if control is not None:
        row, column = _position(text, control.start())
        raise FileRefused(
            [
                Problem(
                    name,
                    row,
                    column,
                    i18n.text(N_("character 0x{code}"), code=f"{ord(control.group()):02X}"),
                    i18n.text(N_("a text without control characters (a null byte…: a damaged or binary file?)")),
                )
            ]
        )
    newline = text.find("\n")
    first = text[: newline if newline >= 0 else len(text)]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader) if max_rows is None else list(itertools.islice(reader, max_rows + 2))
    except csv.Error as err:
        raise FileRefused([_csv_problem(name, text, delimiter, err)]) from None
    if max_rows is not None and len(rows) > max_rows + 1:
        raise too_many_rows(name, max_rows)
    any_blank = not (all(rows) and all(map(str.strip, map(operator.itemgetter(0), rows))))  # a first cell filled
    table = _table(
        name,
        rows,
        (lambda row: not any(map(str.strip, row))) if any_blank else None,
        i18n.text(N_("a non-empty file with a header row")),
    )
    _check_widths(name, table, delimiter)
    return table


_DELIMITER_NAMES = {";": ";", ",": ",", "\t": i18n.text(N_("tab"))}


def _check_widths(name: str, table: Table, delimiter: str) -> None:
    """Every row has the header's cells: fewer is a cut (a truncated file, a lost separator), more with something
    in them is a value that belongs to no column (a separator inside a value that is not quoted)."""
    header = table.header
    width = len(header)
    while width and not header[width - 1].strip():  # empty header cells at the end name no column
        width -= 1
    if len(header) > MAX_COLUMNS:
        raise FileRefused(
            [
                Problem(
                    name,
                    1,
                    None,
                    i18n.text(N_("{count} columns"), count=thousands(len(header))),
                    i18n.text(N_("a header row of {count} columns at most"), count=thousands(MAX_COLUMNS)),
                )
            ]
        )
    lengths = set(map(len, table.rows))
    if not lengths or (min(lengths) >= width and max(lengths) <= len(header)):
        return
    problems = []
    for row, line in zip(table.rows, table.lines, strict=True):
        if len(row) < width:
            problems.append(
                Problem(
                    name,
                    line,
                    header[len(row)],
                    None,
                    i18n.text(
                        N_("a row of {width} cells like the header ({read} read: a truncated file or a missing separator?)"),
                        width=width,
                        read=len(row),
                    ),
                )
            )
        elif len(row) > len(header) and any(map(str.strip, row[len(header) :])):
            extra = next(i for i in range(len(header), len(row)) if row[i].strip())
            problems.append(
                Problem(
                    name,
                    line,
                    _no_header(extra),
                    row[extra],
                    i18n.text(
                        N_("a row of {width} cells like the header (“{delimiter}” in a value without quotes?)"),
                        width=len(header),
                        delimiter=_DELIMITER_NAMES[delimiter],
                    ),
                )
            )
        if len(problems) >= 1000:
            break
    if problems:
        raise FileRefused(problems)


def _no_header(index: int) -> Text:
    return i18n.text(N_("no. {number}, no header"), number=index + 1)


_QUOTED_FIELD = re.compile(r'"[^"]*(?:""[^"]*)*"')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _csv_problem(name: str, text: str, delimiter: str, err: csv.Error) -> Problem:
    """Where Python's CSV reader stopped, named by row and column: the file is read again up to the record it
    could not read, and that record's fields are scanned for the one at fault."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, start_line, header = 0, 1, None
    try:
        for row in reader:
            header = header if header is not None else row
            records += 1
            start_line = reader.line_num + 1
    except csv.Error:
        pass
    offset = 0
    if start_line > 1:
        breaks = itertools.islice(_LINE_BREAK.finditer(text), start_line - 2, None)
        offset = next(breaks).end()
    index, fault, value = _field_at_fault(text, offset, delimiter)
    column = None
    if header is not None and index is not None:
        column = header[index] if index < len(header) else _no_header(index)
    if fault == "long":
        expected = i18n.text(N_("a cell of {count} characters at most"), count=thousands(MAX_CELL_CHARS))
    elif fault == "open":
        expected = i18n.text(N_("a closing quote: the one opening this cell is never closed (a truncated file?)"))
    elif fault == "after":
        expected = i18n.text(
            N_('“{delimiter}” or an end of line after the closing quote (a quote in a quoted value is doubled: "")'),
            delimiter=_DELIMITER_NAMES[delimiter],
        )
    else:
        expected = i18n.text(N_("a well-formed CSV file ({error})"), error=str(err))
    return Problem(name, records + 1, column, value, expected)


def _field_at_fault(text: str, offset: int, delimiter: str) -> tuple[int | None, str | None, str | None]:
    """(field index, fault, start of the field) for the CSV record starting at `offset`: a field longer than a cell
    may be ("long"), a quote never closed ("open"), something after a closing quote ("after")."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    index, pos = 0, offset
    while True:
        start = pos
        if text.startswith('"', pos):
            match = _QUOTED_FIELD.match(text, pos)
            if match is None:
                return index, "open", text[pos + 1 : pos + 60]
            pos = match.end()
            if pos < len(text) and text[pos] not in (delimiter, "\r", "\n"):
                return index, "after", _LINE_BREAK.split(text[start : pos + 12], 1)[0]
        else:
            pos = unquoted.match(text, pos).end()
        if pos - start > MAX_CELL_CHARS:
            return index, "long", text[start : start + 60]
        if pos >= len(text) or text[pos] in "\r\n":
            return None, None, None
        pos += 1
        index += 1


def header_map(dataset: Dataset, header: list[str]) -> dict[str, int]:
    """Column name → position, accepting the English aliases."""
    names = {_normal_header(c.name): c.name for c in dataset.columns}
    for c in dataset.columns:
        for alias in c.aliases:
            names[_normal_header(alias)] = c.name
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        key = names.get(_normal_header(h))
        if key and key not in found:
            found[key] = i
    return found


def detect_dataset(header: list[str]) -> Dataset | None:
    """The dataset whose required headers are all present, the one matching most columns."""
    best: tuple[int, Dataset] | None = None
    for ds in DATASETS.values():
        found = header_map(ds, header)
        if ds.required_headers <= found.keys():
            score = len(found) * 100 - len(ds.columns)
            if best is None or score > best[0]:
                best = (score, ds)
    return best[1] if best else None


@dataclass
class ParsedFile:
    """A file parsed to Python values, column by column (every column of the format, and `_raw_<column>` cell texts
    where kept), with the spreadsheet line number of each row. Rows with a problem are left out."""

    name: str
    dataset: Dataset
    columns: dict[str, list]
    lines: list[int]
    problems: list[Problem]
    sheet: str | None = None  # the workbook sheet read (None for a CSV file)

    @functools.cached_property
    def rows(self) -> list[dict[str, Any]]:
        """The records as dicts, built when asked for (a bulk load reads the columns)."""
        names = list(self.columns)
        return list(map(dict, map(zip, itertools.repeat(names), zip(*self.columns.values(), strict=True))))


def parse_file(name: str, data: bytes, kind: str | None = None, *, max_rows: int | None = None) -> ParsedFile:
    """Read and type-check a whole file; every problem is collected, nothing raises for bad cells."""
    if kind and kind not in DATASETS:
        raise FileRefused([Problem(name, None, None, kind, i18n.text(N_("a kind among: {kinds}"), kinds=", ".join(DATASETS)))])
    (header, raw_rows, line_of), sheet = read_sheet(name, data, kind=kind, max_rows=max_rows)
    if max_rows is not None and len(raw_rows) > max_rows:
        raise too_many_rows(name, max_rows)
    if kind:
        dataset = DATASETS[kind]
    else:
        dataset = detect_dataset(header)
        if dataset is None:
            raise FileRefused(
                [
                    Problem(
                        name,
                        1,
                        None,
                        "; ".join(map(str, header))[:200],
                        i18n.text(N_("the headers of one of the documented formats (docs/formats.md), or --kind")),
                    )
                ]
            )
    positions = header_map(dataset, header)
    missing = [c for c in dataset.columns if c.required and c.name not in positions]
    if missing:
        raise FileRefused(
            [Problem(name, 1, c.name, None, i18n.text(N_("the required column “{column}”"), column=c.name)) for c in missing]
        )
    count = len(raw_rows)
    complete = min(map(len, raw_rows), default=0) > max(positions.values(), default=-1)
    names: list[str] = []
    columns: list[list] = []  # parsed values (or Refused), column by column
    refused: dict[str, tuple[list, list]] = {}  # column → (values, cells) where a cell was refused
    for column in dataset.columns:
        pos = positions.get(column.name)
        if pos is None:  # an optional column the file does not have
            values = [_parse_one(column, None)] * count
            cells: list = [None] * count
        else:
            cells = (
                list(map(operator.itemgetter(pos), raw_rows))
                if complete
                else [raw[pos] if pos < len(raw) else None for raw in raw_rows]
            )
            values = parse_cells(column, cells)
        names.append(column.name)
        columns.append(values)
        if Refused in set(map(type, values)):
            refused[column.name] = (values, cells)
        if column.name in dataset.keep_raw:
            names.append("_raw_" + column.name)
            columns.append(cells)
    del raw_rows  # the cells live on in the columns: the row lists' memory serves what follows
    problems: list[Problem] = []
    for column_name, (values, cells) in refused.items():
        for i, value in enumerate(values):
            if type(value) is Refused:
                cell = cells[i]
                problems.append(Problem(name, line_of[i], column_name, None if cell is None else str(cell), value.expected))
    by_name = dict(zip(names, columns, strict=True))
    for check in dataset.checks:
        problems += _check_rows(name, check, by_name, line_of, dataset)
    problems += _check_money_totals(name, dataset, by_name)
    lines = line_of
    if problems:  # rows with a problem are left out: the file is refused, the rest is still checked
        refused_rows = {p.row for p in problems}
        kept = [i for i, line in enumerate(lines) if line not in refused_rows]
        lines = [lines[i] for i in kept]
        by_name = {column_name: [values[i] for i in kept] for column_name, values in by_name.items()}
        problems.sort(key=lambda p: p.row or 0)  # row by row, the columns of a row in the file's order
    _check_duplicates(name, dataset, by_name, lines, problems)
    return ParsedFile(name, dataset, by_name, lines, problems, sheet)


def _check_money_totals(name: str, dataset: Dataset, columns: dict[str, list]) -> list[Problem]:
    """A money column's total fits the store's 64-bit cents (the store sums a receivables snapshot, the whole of
    a file): only worth adding up when the file has rows enough for bounded amounts to overflow."""
    problems = []
    for column in dataset.columns:
        values = columns[column.name]
        if column.kind != "money" or len(values) * NUMBER_LIMITS["money"] * 100 <= BIGINT_MAX:
            continue
        total = sum(abs(v) for v in values if isinstance(v, Decimal))
        if total * 100 > BIGINT_MAX:
            problems.append(
                Problem(
                    name,
                    None,
                    column.name,
                    f"total {thousands(int(total))} €",
                    i18n.text(N_("a column total below {bound} €"), bound=thousands(BIGINT_MAX // 100)),
                )
            )
    return problems


def failing_rows(
    columns: list[list], test: Callable[[tuple], Any], skip: set[int] | frozenset = frozenset()
) -> list[tuple[int, Any]]:
    """(row index, what `test` said) for each row whose cells in `columns` fail it: `test` gets a combination of
    cells and returns None when it holds; it runs once per distinct combination (rows in `skip` aside)."""
    combos = zip(*columns, strict=True)
    distinct = {combo for i, combo in enumerate(combos) if i not in skip} if skip else set(combos)
    failing = {combo: said for combo in distinct if (said := test(combo)) is not None}
    if not failing:
        return []
    return [(i, failing[combo]) for i, combo in enumerate(zip(*columns, strict=True)) if combo in failing and i not in skip]


def _check_rows(name: str, check: RowCheck, by_name: dict[str, list], line_of: list[int], dataset: Dataset) -> list[Problem]:
    """The rows failing a rule (a row with a refused cell among those it reads is reported for that cell only)."""
    read = [c for c in check.columns if c in by_name]

    def test(combo: tuple) -> Text | None:
        return None if Refused in set(map(type, combo)) else check.test(dict(zip(read, combo, strict=True)))

    problems = []
    for i, expected in failing_rows([by_name[c] for c in read], test):
        shown = format_cell(dataset.column(check.column), by_name[check.column][i])  # as the user wrote it
        problems.append(Problem(name, line_of[i], check.column, shown, expected))
    return problems


def _check_duplicates(name: str, dataset: Dataset, columns: dict[str, list], lines: list[int], problems: list[Problem]) -> None:
    keys = list(zip(*(columns[k] for k in dataset.key), strict=True))
    if len(set(keys)) == len(keys):
        return
    seen: dict[tuple, int] = {}
    for key, line in zip(keys, lines, strict=True):
        if key in seen:
            shown = " / ".join(str(v) for v in key if v not in (None, ""))
            problems.append(
                Problem(
                    name,
                    line,
                    dataset.key[0],
                    shown,
                    i18n.text(N_("a key unique in the file (already row {row})"), row=seen[key]),
                )
            )
        else:
            seen[key] = line
