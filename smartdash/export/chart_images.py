"""Chart images drawn once and kept: vl-convert takes 0,1 to 0,3 s a chart (mostly measuring text), and the A4
dossier draws thirteen of them. An image is kept under the digest of everything that makes it — the whole Vega-Lite
spec with its data inline (so a changed figure, the same chart of other data, is another key), the number and date
locale vl-convert is given, the format and scale, and vl-convert's version — in this process (the newest
`MEMORY_ENTRIES`) and on disk under data/cache/charts/ (shared by the server's processes and kept across restarts;
the newest `DISK_ENTRIES` files). A second dossier of the same data draws no chart.

A kept image can never be stale: nothing outside the key goes into the drawing. A cache folder that cannot be
written (a read-only installation) only means drawing again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import altair as alt
import vl_convert as vlc

from smartdash.config import ROOT
from smartdash.export import images

ENV_CACHE_DIR = "SMARTDASH_CHART_CACHE"  # another folder; empty: no disk cache
MEMORY_ENTRIES = 256
DISK_ENTRIES = 2000

log = logging.getLogger(__name__)
_memory: OrderedDict[str, bytes | str] = OrderedDict()
_lock = threading.Lock()
_writes = 0


def cache_dir() -> Path | None:
    folder = os.environ.get(ENV_CACHE_DIR)
    if folder is None:
        return ROOT / "data" / "cache" / "charts"
    return Path(folder) if folder else None


def key(spec: str, *, kind: str, locales: dict, scale: float | None = None) -> str:
    """The digest of everything the image is drawn from: the spec's JSON text as vl-convert is given it (its data
    inline: Altair names a dataset by the digest of its rows, and the rows are there too)."""
    text = spec
    head = json.dumps([kind, scale, vlc.__version__, locales], sort_keys=True, default=str)
    return hashlib.sha256(head.encode() + b"\0" + text.encode()).hexdigest()


def _remember(digest: str, image: bytes | str) -> None:
    with _lock:
        _memory[digest] = image
        _memory.move_to_end(digest)
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)


def _path(digest: str, kind: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / digest[:2] / f"{digest}.{kind}"


def _read_disk(path: Path | None, kind: str) -> bytes | str | None:
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data.decode("utf-8") if kind == "svg" else data


def _write_disk(path: Path | None, image: bytes | str) -> None:
    global _writes
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(image.encode("utf-8") if isinstance(image, str) else image)
        os.replace(partial, path)  # whole or absent: another process never reads half an image
    except OSError as exc:
        log.info("chart image not kept on disk (%s): %s", path, exc)
        return
    _writes += 1
    if _writes % 100 == 0:
        prune(path.parent.parent)


def prune(folder: Path, keep: int = DISK_ENTRIES) -> None:
    """Only the newest `keep` images stay on disk."""
    try:
        files = sorted(folder.glob("*/*.*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("chart image cache not pruned: %s", exc)


def kept(digest: str, kind: str, draw: Callable[[], bytes | str]) -> bytes | str:
    """The image under `digest`: from memory, from disk, or drawn now and kept."""
    with _lock:
        image = _memory.get(digest)
        if image is not None:
            _memory.move_to_end(digest)
            return image
    path = _path(digest, kind)
    image = _read_disk(path, kind)
    if image is None:
        image = draw()
        _write_disk(path, image)
    _remember(digest, image)
    return image


def chart_svg(chart: alt.TopLevelMixin | dict, *, lang: str = "fr") -> str:
    """`images.chart_svg`, drawn once per spec and locale."""
    spec, locales = images._spec(chart, lang), images._locales(lang)
    return kept(key(spec, kind="svg", locales=locales), "svg", lambda: vlc.vegalite_to_svg(spec, **locales))


def chart_png(chart: alt.TopLevelMixin | dict, *, lang: str = "fr", scale: float = 2) -> bytes:
    """`images.chart_png`, drawn once per spec, locale and scale."""
    spec, locales = images._spec(chart, lang), images._locales(lang)
    return kept(
        key(spec, kind="png", locales=locales, scale=scale),
        "png",
        lambda: vlc.vegalite_to_png(spec, scale=scale, **locales),
    )


def forget_memory() -> None:
    """Empty the in-process cache (tests, and a process that wants its memory back)."""
    with _lock:
        _memory.clear()
