"""The pages' caches of what one data version and a few choices determine (frames, figures),
shared by every session: ``st.cache_resource`` keyed on one string.

Streamlit hashes every argument of a cached function on every call, and for each one looks its
name up in the function's signature again (to skip names that start with '_'): about 0.1 ms an
argument, so about 0.9 ms for a figure of eight choices, paid on every rerun that shows the
figure and on every click (issue 20: a click's whole budget is 30 ms). ``per_version`` hands
Streamlit one string instead: the ``repr`` of the data version and the choices, which are plain
values (text, numbers, booleans, None and tuples of them), so two calls share an entry exactly
when their arguments are equal. The last argument (the data: the snapshot, or the rows a chart
draws when the choices already say what they hold) is passed on, never part of the key.
``st.cache_resource.clear()`` empties these caches like any other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from indicators.store import DataVersion

R = TypeVar("R")

_PLAIN = (str, int, float, bool, type(None))


def _plain(value: object) -> bool:
    """Whether ``value`` is a plain value whose ``repr`` names it exactly (tuples of them too)."""
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN)


def version_key(version: DataVersion, choices: tuple[Any, ...]) -> str:
    """The cache key of ``choices`` under ``version``: equal exactly when both are (a text, a
    number and a boolean never share a ``repr``: ``'1'``, ``1``, ``True``)."""
    if not _plain(choices):
        raise TypeError(f"per_version caches take plain choices (text, numbers, booleans, None "
                        f"and tuples of them), not {choices!r}")
    return repr((version.generation, version.number, choices))


def per_version(max_entries: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Cache ``fn(version, *choices, data)`` per process, like
    ``st.cache_resource(show_spinner=False, max_entries=max_entries)``, keyed on
    ``version_key(version, choices)``: one argument for Streamlit to hash instead of one per
    choice. ``data`` (the last argument: the snapshot, or rows the choices describe) is passed
    on, never hashed."""

    def wrap(fn: Callable[..., R]) -> Callable[..., R]:
        # Two arguments: Streamlit's cost grows with their number, not with what they hold.
        def cached(key: str, _call: tuple[Any, ...]) -> R:
            return fn(*_call)

        # Streamlit names a function's cache after its module and qualified name: each cached
        # function keeps its own.
        cached.__module__, cached.__qualname__ = fn.__module__, fn.__qualname__
        cached.__name__ = fn.__name__
        kept = st.cache_resource(show_spinner=False, max_entries=max_entries)(cached)

        @functools.wraps(fn)
        def call(version: DataVersion, *args: Any) -> R:
            return kept(version_key(version, args[:-1]), (version, *args))

        return call

    return wrap
