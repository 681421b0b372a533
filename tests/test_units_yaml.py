"""The fast YAML reader (yaml-rs, iscm_atlas/data/plainscan.py) never changes what a data file means: where it
reads a text, the exact reader (PyYAML) builds the same data and finds no problem; everything else it hands
over. Checked on every real data file and on generated texts full of YAML 1.1/1.2 traps."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iscm_atlas.data import yamlfile
from iscm_atlas.data.plainscan import Verdicts, plain_values_agree

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


QUOTED_DATE = re.compile(r"""['"]\d{4}-\d{2}-\d{2}['"]""")


def test_every_real_data_file_reads_the_same_fast_and_exact():
    files = sorted((ROOT / "data").glob("*/*.yaml"))
    fast_read, dated = 0, 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        exact, problems = yamlfile.read_text(text, path.name, fast=False)
        assert problems == [], path
        rust = yamlfile._rust_parse(text, path.name)
        if QUOTED_DATE.search(text):  # yaml-rs reads even a quoted date as a date: the exact reader reads these files
            dated += 1
            continue
        if rust is not None:
            fast_read += 1
            assert same(rust.data, exact.data), path
            assert rust.where(("id",)) == exact.where(("id",))  # positions found on demand, the same
    assert fast_read > (len(files) - dated) * 0.9  # the fast reader reads nearly all of the others


TRAPS = ["yes", "No", "on", "OFF", "y", "n", "true", "True", "FALSE", "false", "null", "Null", "~", "", "0", "007",
         "0o17", "0x1F", "0b11", "1_000", "1e3", "1E-2", "1.", ".5", "+5", "-3", "4.25", "12", "1:20", "190:20:30",
         ".inf", "-.Inf", ".NaN", "2020-01-01", "2001-12-14t21:59:43.10-05:00", "=", "<<", "C7", "T10-T12",
         "no improvement", "a, b", "x: y", "[1, 2]", "{a: 1}", "- item", "-", "- ", "#hash", "a #comment", "@at", "`tick",
         "%pct", "|", ">", "|-", "?", "!tag", "&anchor", "*alias", "é", "\u0085", "10.1007/s11060-007-9345-z",
         "\\t escaped", "\\u00e9", "it's", 'say "hi"', "a:b", "a: b", "117-122", "2009-01", "12 months", "C7,T1", ":", ": x", "{: x}"]


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


@pytest.fixture(scope="module")
def one_load() -> Verdicts:
    """One memo of judged lines and pieces for many texts, as one load of the data shares it across its files."""
    return Verdicts()


@settings(max_examples=600, deadline=None)
@given(documents())
def test_what_earlier_files_taught_the_scan_changes_no_verdict(one_load, text):
    assert plain_values_agree(text, one_load) == plain_values_agree(text)


def test_the_scan_hands_over_what_it_cannot_vouch_for():
    assert not plain_values_agree("id: a\nflag: yes\n")
    assert not plain_values_agree("id: a\nn: 1e3\n")
    assert not plain_values_agree("id: a\nx: &a 1\ny: *a\n")
    assert not plain_values_agree("id: a\n\tage: 3\n")
    assert not plain_values_agree("id: a\nyes:\n  - b\n")  # a key that ends its line is a piece too
    assert not plain_values_agree("id: a\nx: [1, : b]\n")  # a key left out
    assert plain_values_agree("id: a\n# yes, : 1e3\nage: 3\n")  # a comment holds no value
    assert plain_values_agree("id: a\nage: 51\nlevel: [C7, T1]\ntitle: 'yes'\n")


# --- the content-hash cache of checked files (iscm_atlas/data/filecache.py) ---------------------------------

@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the real data, to change."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _load(data, cache_dir):
    from iscm_atlas.data.dataset import load_dataset
    from iscm_atlas.data.filecache import ValidatedFiles

    cache = ValidatedFiles(data / "schemas", cache_dir)
    return load_dataset(data, cache), cache


def test_a_warm_load_gives_the_same_dataset_and_reads_no_file_again(data, tmp_path):
    from iscm_atlas.data.dataset import load_dataset

    cold, first = _load(data, tmp_path / "cache")
    warm, second = _load(data, tmp_path / "cache")
    assert first.hits == 0 and second.hits == len(list(data.glob("*/*.yaml")))
    assert cold.dataset == warm.dataset == load_dataset(data).dataset


def test_an_edited_file_is_checked_again_and_its_problem_located(data, tmp_path):
    from iscm_atlas.data.dataset import load_dataset

    _load(data, tmp_path / "cache")
    case = sorted((data / "cases").glob("*.yaml"))[0]
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("reference: ", "reference: no-such-work-", 1), encoding="utf-8")
    result, cache = _load(data, tmp_path / "cache")
    assert cache.hits == len(list(data.glob("*/*.yaml"))) - 1
    assert [str(p) for p in result.problems] == [str(p) for p in load_dataset(data).problems] != []


def test_a_cached_file_named_in_a_problem_is_located_as_without_the_cache(data, tmp_path):
    """A case file read from the cache still has its line and column when another file's change breaks it."""
    from iscm_atlas.data.dataset import load_dataset

    _load(data, tmp_path / "cache")
    case = sorted((data / "cases").glob("*.yaml"))[0]
    ref_id = next(line.split(":", 1)[1].strip() for line in case.read_text(encoding="utf-8").splitlines()
                  if line.startswith("reference:"))
    (data / "references" / f"{ref_id}.yaml").unlink()
    result, cache = _load(data, tmp_path / "cache")
    assert cache.hits > 0
    expected = [str(p) for p in load_dataset(data).problems]
    assert [str(p) for p in result.problems] == expected and any(f"{case.name}:" in p for p in expected)


def test_a_schema_edit_starts_a_new_cache(data, tmp_path):
    _, first = _load(data, tmp_path / "cache")
    schema = data / "schemas" / "case.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"description"', '"description" ', 1), encoding="utf-8")
    _, second = _load(data, tmp_path / "cache")
    assert second.path != first.path and second.hits == 0
