"""The scaffold's writer (iscm_atlas/data/emit.py): whatever it writes reads back as the same data and passes the
layout checks the test suite runs (yamllint with the project's settings), for every real data file and for texts of
any words, addresses longer than a line among them."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from iscm_atlas.data.answers import unit_label
from iscm_atlas.data.emit import dump, emitted_problems
from iscm_atlas.data.lint import split_notes

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"cases": "case", "references": "reference", "findings": "finding", "vocabularies": "vocabulary"}
LIMIT = yaml.safe_load((ROOT / ".yamllint.yaml").read_text(encoding="utf-8"))["rules"]["line-length"]["max"]
FILES = sorted(p for folder in KINDS for p in (ROOT / "data" / folder).glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_data_file_rewritten_reads_the_same_and_passes_the_layout_checks(path):
    kind = KINDS[path.parent.name]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = dump(kind, data)
    assert yaml.safe_load(text) == data
    assert emitted_problems(text, f"data/{path.parent.name}/{path.name}", kind, ROOT / "data") == []


WORD = st.one_of(st.text(alphabet="abcdefghijklmnopqrstuvwxyz,.;()", min_size=1, max_size=12),
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyz/.:?=&%", min_size=60, max_size=200).map(lambda w: "https://" + w))


@settings(max_examples=150, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=40), depth=st.integers(min_value=0, max_value=2))
def test_any_text_is_kept_exactly_within_the_line_limit(words, depth):
    text = " ".join(words)
    note = {"notes": [text]}
    record = {"id": "x", "reference": "x", "patients": [{"id": "x-p1", "age": None, **note}]} if depth == 2 else \
        {"id": "x", "reference": "x", **({"notes": [text]} if depth else {"title": text})}
    written = dump("case", record)
    assert yaml.safe_load(written) == record
    for line in written.splitlines():
        assert len(line) <= LIMIT or " " not in line.strip().removeprefix("- "), line
    assert [p for p in emitted_problems(written, "data/cases/x.yaml", "case", ROOT / "data")
            if "line too long" in p.message or "indentation" in p.message] == []


@pytest.mark.parametrize(("printed", "unit", "label"), [
    ("years (median age)", "years", "median age"),
    ("percent OS at 12 months", "percent", "OS at 12 months"),
    ("Gy (median dose)", "Gy", "median dose"),
    ("patients with multiple lesions", "patients", "with multiple lesions"),
    ("percent", "percent", None),
    ("months (median, surgically treated)", "months", "median, surgically treated"),
    ("segments (mean oedema length)", "count", "segments (mean oedema length)"),
    ("percentile rank", "percent", "percentile rank"),  # a word that only begins like the unit is kept
])
def test_a_printed_unit_becomes_a_label_without_the_unit_word(printed, unit, label):
    """The page prints the unit after the number, so the label (what the number is of) must not say it again."""
    assert unit_label(printed, unit) == label


@pytest.mark.parametrize(("text", "lines"), [
    ("notes: [The word is \"survey\"; the atlas reads it as survival, the subject of the section.]\n", [1]),
    ("notes: [One sentence, then\n    more of it, cut again.]\n", [1, 2]),
    ("notes: [\"The word is survey; the atlas reads it as survival, the subject of the section.\"]\n", []),
    ("notes: [First note., Second note.]\n", []),
    ("notes: [age printed as '60s', survival printed as 'months']\n", []),  # two notes, each whole
    ("printed_as: [small-cell Ca, oat cell]\n", []),  # only notes are sentences
])
def test_a_note_cut_at_a_comma_is_found_with_its_line(text, lines):
    """In a [...] list an unquoted comma ends an item: one note becomes two fragments on the page."""
    assert [p.line for p in split_notes(text, "data/findings/x.yaml")] == lines
