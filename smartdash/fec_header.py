"""The ledger export's (FEC) header, told apart from any other file's without loading the ledger's reader: every
import asks whether its file is a ledger export, and most are not (the loader of the ledger needs pandas, whose
import alone is half a second of a command line's start)."""

from __future__ import annotations

import codecs
import os

BOM = codecs.BOM_UTF8
Source = bytes | os.PathLike  # a file's bytes, or its path on disk (a large ledger export is read as a stream)


def recognised(source: Source) -> bool:
    """True when the file's first line is an FEC header (it starts with `JournalCode` and a tab or `|`)."""
    if isinstance(source, bytes):
        start = source[:4096]
    elif isinstance(source, os.PathLike) and os.path.isfile(source):
        with open(source, "rb") as f:
            start = f.read(4096)
    else:
        return False
    return start.removeprefix(BOM).lstrip()[:12].lower() in (b"journalcode\t", b"journalcode|")
