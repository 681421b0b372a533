"""Derived views of one Dataset (or any per-build object), computed once and kept on that object.

A build renders thousands of pages from one Dataset; summaries and indexes over it (data notes,
records by reference) would otherwise be recomputed by every page that shows them. The values live
on the object they are derived from, so they end with it: no module keeps them between builds.
"""
from __future__ import annotations

import functools

_SLOT = "_derived"  # the attribute of the owner that holds its derived values


def cached_on(owner, key, compute):
    """`compute()`, once per `owner` and `key`; frozen dataclasses too (their __dict__ is writable)."""
    store = owner.__dict__.setdefault(_SLOT, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def per_dataset(fn):
    """`fn(ds, *args)` computed once per Dataset and arguments."""
    @functools.wraps(fn)
    def wrapper(ds, *args):
        return cached_on(ds, (fn.__qualname__, args), lambda: fn(ds, *args))

    return wrapper
