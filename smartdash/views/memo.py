"""Views computed once per build: inside `reused()`, a view asked again with the same arguments (the same session,
filters and entity) is handed the answer of the first call instead of being computed anew.

The printed dossier and the deck compose a dozen sections in one session; several of them read the same views (the
attention rules read every entity's execution view, the summary, the attention list and "since the meeting" read the
overview's tiles and the rules' findings). Outside `reused()` a view is computed at every call, as before: the web
pages keep theirs per data version (`smartdash.web.store.cached`), and a session that writes between two reads never
sees a kept answer unless it asked for one.

Callers do not change what they are given (as with the pages' cached reads).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from smartdash.views import Filters

F = TypeVar("F", bound=Callable[..., Any])

_answers: ContextVar[dict | None] = ContextVar("smartdash_view_answers", default=None)


@contextmanager
def reused() -> Iterator[None]:
    """Within this block, each memoised view is computed once per distinct arguments (nested blocks share the
    outer one's answers)."""
    if _answers.get() is not None:
        yield
        return
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def _key_part(value: Any) -> Any:
    """An argument as part of a key: filters without the reader's language (no view reads it), a list by its
    items, anything unhashable (a session, a frame) by its identity — the answer keeps the arguments alive, so an
    identity is not reused while its answer is kept."""
    if isinstance(value, Filters):
        return value.data
    if isinstance(value, list | tuple):
        parts = tuple(_key_part(v) for v in value)
        try:
            hash(parts)
            return ("items", parts)
        except TypeError:
            return ("id", id(value))
    try:
        hash(value)
        return value
    except TypeError:
        return ("id", id(value))


def memoised(view: F) -> F:
    """Decorate a view called with keyword arguments only: inside `reused()`, computed once per arguments."""

    @functools.wraps(view)
    def call(**kwargs):
        answers = _answers.get()
        if answers is None:
            return view(**kwargs)
        key = (view.__module__, view.__qualname__, tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())))
        if key not in answers:
            answers[key] = (view(**kwargs), kwargs)
        return answers[key][0]

    return call  # type: ignore[return-value]
