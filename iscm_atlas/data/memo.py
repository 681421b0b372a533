"""Compute a derived view of the Dataset once per dataset, not once per page.

A build renders thousands of pages from one Dataset; summaries and indexes over it (data notes,
records by reference) would otherwise be recomputed by every page that shows them.
"""
from __future__ import annotations

import functools


def per_dataset(fn):
    cache: dict = {}

    @functools.wraps(fn)
    def wrapper(ds, *args):
        key = (id(ds), args)
        hit = cache.get(key)
        if hit is None or hit[0] is not ds:
            if len(cache) > 256:
                cache.clear()
            hit = cache[key] = (ds, fn(ds, *args))
        return hit[1]

    return wrapper
