"""The fast YAML reader (yaml-rs, iscm_atlas/data/plainscan.py) never changes what a data file means: where it
reads a text, the exact reader (PyYAML) builds the same data and finds no problem; everything else it hands
over. Checked on every real data file and on generated texts full of YAML 1.1/1.2 traps."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from iscm_atlas.data import yamlfile
from iscm_atlas.data.plainscan import plain_values_agree

ROOT = Path(__file__).resolve().parent.parent


def same(a, b) -> bool:
    """Equal with types: True is not 1, 1.0 is not 1, "1" is not 1."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def test_every_real_data_file_reads_the_same_fast_and_exact():
    files = sorted((ROOT / "data").glob("*/*.yaml"))
    fast_read = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        exact, problems = yamlfile.read_text(text, path.name, fast=False)
        assert problems == [], path
        rust = yamlfile._rust_parse(text, path.name)
        if rust is not None:
            fast_read += 1
            assert same(rust.data, exact.data), path
            assert rust.where(("id",)) == exact.where(("id",))  # positions found on demand, the same
    assert fast_read > len(files) * 0.9  # the fast reader reads nearly all of them


TRAPS = ["yes", "No", "on", "OFF", "y", "n", "true", "True", "FALSE", "false", "null", "Null", "~", "", "0", "007",
         "0o17", "0x1F", "0b11", "1_000", "1e3", "1E-2", "1.", ".5", "+5", "-3", "4.25", "12", "1:20", "190:20:30",
         ".inf", "-.Inf", ".NaN", "2020-01-01", "2001-12-14t21:59:43.10-05:00", "=", "<<", "C7", "T10-T12",
         "no improvement", "a, b", "x: y", "[1, 2]", "{a: 1}", "- item", "-", "- ", "#hash", "a #comment", "@at", "`tick",
         "%pct", "|", ">", "|-", "?", "!tag", "&anchor", "*alias", "é", "\u0085", "10.1007/s11060-007-9345-z",
         "\\t escaped", "\\u00e9", "it's", 'say "hi"', "a:b", "a: b", "117-122", "2009-01", "12 months", "C7,T1"]


def scalar(raw: str, quote: str) -> str:
    if quote == "'":
        return "'" + raw.replace("'", "''") + "'"
    if quote == '"':
        return '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return raw


values = st.builds(scalar, st.sampled_from(TRAPS), st.sampled_from(["", "", "'", '"']))
keys = st.sampled_from(["id", "age", "title", "yes", "1", "a b", "level", "notes"])


@st.composite
def documents(draw) -> str:
    lines = ["id: doc"]
    for key in draw(st.lists(keys, max_size=5)):
        form = draw(st.sampled_from(["plain", "list", "flow", "map", "folded"]))
        if form == "plain":
            lines.append(f"{key}: {draw(values)}")
        elif form == "folded":  # a value continued on the next line, more indented
            lines.append(f"{key}: {draw(values)}")
            lines.append(f"  {draw(st.sampled_from(TRAPS))}")
        elif form == "list":
            lines.append(f"{key}:")
            lines += [f"  - {v}" for v in draw(st.lists(values, min_size=1, max_size=3))]
        elif form == "flow":
            lines.append(f"{key}: [{', '.join(draw(st.lists(values, max_size=3)))}]")
        else:
            lines.append(f"{key}:")
            lines += [f"  {k}: {v}" for k, v in zip(draw(st.lists(keys, min_size=1, max_size=3)), draw(st.lists(values, min_size=3, max_size=3)))]
    return "\n".join(lines) + "\n"


@settings(max_examples=600, deadline=None)
@given(documents())
def test_the_fast_reader_never_changes_meaning(text):
    rust = yamlfile._rust_parse(text, "doc.yaml")
    if rust is None:
        return  # handed over: the exact reader decides
    exact, problems = yamlfile.read_text(text, "doc.yaml", fast=False)
    assert problems == [], text
    assert same(rust.data, exact.data), text


def test_the_scan_hands_over_what_it_cannot_vouch_for():
    assert not plain_values_agree("id: a\nflag: yes\n")
    assert not plain_values_agree("id: a\nn: 1e3\n")
    assert not plain_values_agree("id: a\nx: &a 1\ny: *a\n")
    assert not plain_values_agree("id: a\n\tage: 3\n")
    assert plain_values_agree("id: a\nage: 51\nlevel: [C7, T1]\ntitle: 'yes'\n")
