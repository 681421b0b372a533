"""The works' citations a build will show, formatted before any page is rendered, on both cores.

Every table row offers the citation of the work it comes from, formatted by citeproc-py in Vancouver style.
Formatted citations are kept between builds (render/build.py), so this only costs a build that has new or
changed works, or none kept at all (a clean clone, a new citeproc-py): at a hundred times today's data that was
the largest part of such a build (4,600 works cited by rows, 2 to 4 ms each). Half of the missing ones are
formatted in a forked child while this process formats the other half (iscm_atlas/background.py: where that
cannot be, all are formatted here, with the same result).
"""
from __future__ import annotations

from collections.abc import Iterable

from iscm_atlas.background import Background
from iscm_atlas.data.model import Dataset, Reference
from iscm_atlas.formats.citing import WORK_STYLE, Formatted, format_entry, memo_key, work_item

SHARE_FROM = 200  # fewer citations than this are formatted here: a fork would cost more than it saves


def cited_works(ds: Dataset) -> list[Reference]:
    """The works a page's table rows cite: the publications of the series, patients and findings."""
    ids = {s.reference for s in ds.series} | {p.reference for p in ds.patients}
    ids |= {r for f in ds.findings for r in f.citations}
    return [ds.references[r] for r in sorted(ids) if r in ds.references]


def _format_all(memo: Formatted, items: list[dict]) -> list[str]:
    style = memo.style(WORK_STYLE)
    return [format_entry(item, WORK_STYLE, False, style) for item in items]


def preformat_works(refs: Iterable[Reference], memo: Formatted) -> int:
    """Put the citations of `refs` that `memo` lacks into it; how many were formatted."""
    missing: dict[str, dict] = {}
    for ref in refs:
        item = work_item(ref)
        if item is not None:
            key = memo_key(item, WORK_STYLE)
            if key not in memo.texts:
                missing[key] = item
    keys, items = list(missing), list(missing.values())
    if len(items) < SHARE_FROM:
        texts = _format_all(memo, items)
    else:
        half = len(items) // 2
        there = Background(_format_all, memo, items[half:])
        texts = _format_all(memo, items[:half]) + there.result()
    memo.texts.update(zip(keys, texts))
    return len(keys)
