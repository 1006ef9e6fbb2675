"""CSV files (`;`, `,` or tab separated), recognised by their name."""

from __future__ import annotations

from smartdash.formats.reading import CSV_SUFFIXES, read_csv
from smartdash.readers import reader, suffix_of

reader("csv", recognises=lambda name, head: suffix_of(name) in CSV_SUFFIXES, order=90)(read_csv)
