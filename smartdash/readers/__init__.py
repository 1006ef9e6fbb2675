"""The readers of the files a load takes, each registered by what it recognises.

A reader says which files it reads (`recognises(name, head)`: the file's name and its first bytes) and reads them
(`read`). The loader asks the registered readers in turn and names none of them: a module of this package that
registers a reader is found by looking in the package's folder, so adding a format is adding a module here, and
no module below the loader imports the loader back (frictionless' format plugins work alike).

Two sorts of reader: a table reader (`loads_itself=False`) gives a file's header and rows, which the file formats
then check (`formats.parse_file`); a reader that loads itself (`loads_itself=True`, a ledger export) gives a source
that previews and loads its own figures in the loader's transaction.
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HEAD_BYTES = 4096  # what `recognises` sees of a file


@dataclass(frozen=True)
class Reader:
    name: str
    recognises: Callable[[str, bytes], bool]
    read: Callable[..., Any]
    loads_itself: bool = False
    streams: bool = False  # reads a file on disk as a stream: the command line passes its path, not its bytes
    order: int = 100  # asked first when lower: a reader recognising a narrower shape goes before a broader one


_REGISTERED: dict[str, Reader] = {}


def reader(
    name: str, *, recognises: Callable[[str, bytes], bool], loads_itself: bool = False, streams: bool = False, order: int = 100
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers the decorated function as the reader `name` of the files `recognises` accepts."""

    def register(read: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTERED[name] = Reader(name, recognises, read, loads_itself, streams, order)
        return read

    return register


@functools.cache
def _discover() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def registered() -> list[Reader]:
    """Every reader, in the order they are asked."""
    _discover()
    return sorted(_REGISTERED.values(), key=lambda r: (r.order, r.name))


def head_of(source: bytes | os.PathLike) -> bytes:
    """The first bytes of a file's content or of a file on disk (nothing for a path that is not a file)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source[:HEAD_BYTES])
    if not os.path.isfile(source):
        return b""
    with open(source, "rb") as f:
        return f.read(HEAD_BYTES)


def reader_for(name: str, source: bytes | os.PathLike, *, loads_itself: bool | None = None) -> Reader | None:
    """The first reader that recognises the file (among those that load themselves or not, when told), or None."""
    head = head_of(source)
    return next(
        (r for r in registered() if (loads_itself is None or r.loads_itself == loads_itself) and r.recognises(name, head)),
        None,
    )


def suffix_of(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
