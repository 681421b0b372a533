"""Data files read and checked in forked children (iscm_atlas/data/filecheck.py) give exactly what checking
them in one process gives: the same dataset, the same problems at the same lines and columns, the same cache;
a child that fails costs time, never a result."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from iscm_atlas.data import filecheck, yamlfile
from iscm_atlas.data.dataset import load_dataset
from iscm_atlas.data.filecache import ValidatedFiles

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_patient_has_age(path: Path) -> bool:
    doc, _ = yamlfile.read_text(path.read_text(encoding="utf-8"), path.name, fast=False)
    patients = (doc.data or {}).get("patients") if doc else None
    if not patients or "age" not in patients[0]:
        return False
    line = path.read_text(encoding="utf-8").split("\n")[doc.where(("patients", 0, "age"), key=True)[0] - 1]
    return bool(_key_line("age").fullmatch(line))


def _key_line(key: str) -> re.Pattern:
    """A `key:` line in block style, at whatever indentation (and list hyphen) the file uses."""
    return re.compile(rf"^(?P<lead> *(?:- )?)(?P<key>{key}):(?P<value>[^\n]*)$", re.M)


def _retype(path: Path, key: str, value: str, moved_to: str) -> None:
    """Give the file's first patient's `key` the text `value`, and its old value to a new key `moved_to` beside it,
    on the line the reader places that key at (whatever the layout: a text may hold "age:" too)."""
    text = path.read_text(encoding="utf-8")
    doc, _ = yamlfile.read_text(text, path.name, fast=False)
    line_no = doc.where(("patients", 0, key), key=True)[0]
    lines = text.split("\n")
    found = _key_line(key).fullmatch(lines[line_no - 1])
    indent = " " * len(found.group("lead"))
    lines[line_no - 1] = f"{found.group('lead')}{key}: {value}\n{indent}{moved_to}:{found.group('value')}"
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def broken(data) -> Path:
    """The real data with problems of every stage: YAML syntax, a value only the exact reader reads, a schema
    problem, a file named for another id, a name that is not .yaml, and a work named but missing. Files are
    chosen and edited by their keys, whatever their layout (indentation, flow or block style)."""
    cases = sorted((data / "cases").glob("*.yaml"))
    with_series = [c for c in cases if _key_line("series").search(c.read_text(encoding="utf-8"))]
    with_ages = [c for c in cases if _first_patient_has_age(c) and c not in (with_series[:1] + cases[2:4])]
    assert with_series and len(with_ages) > 1  # each edit on a file of its own
    series = _key_line("series").search(with_series[0].read_text(encoding="utf-8"))
    _edit(with_series[0], series.group(0), series.group(0) + "\n bad: [indent")
    _retype(with_ages[0], "age", "yes", "ignored")
    _retype(with_ages[-1], "age", '"51 years"', "x_age")
    reference = _key_line("reference").search(cases[2].read_text(encoding="utf-8"))
    _edit(cases[2], reference.group(0), f"{reference.group('lead')}reference: no-such-work-{reference.group('value').strip()}")
    shutil.copy(cases[3], data / "cases" / "renamed-2001.yaml")
    (data / "cases" / "notes.txt").write_text("not data\n", encoding="utf-8")
    return data


def _spread(monkeypatch, cores: int = 3) -> list:
    """Check the real data (about a hundred files) in `cores` shares, and record what children send back."""
    monkeypatch.setattr(filecheck, "FILES_PER_SHARE", 5)
    monkeypatch.setattr(filecheck, "cores", lambda: cores)
    monkeypatch.setattr(filecheck, "can_fork", lambda: True)
    received: list = []
    from_wire = filecheck._from_wire

    def spy(wire, *args):
        received.append(wire)
        return from_wire(wire, *args)

    monkeypatch.setattr(filecheck, "_from_wire", spy)
    return received


def _problems(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_children_build_the_dataset_one_process_builds(data, monkeypatch):
    alone = load_dataset(data)
    received = _spread(monkeypatch)
    spread = load_dataset(data)
    files = len(list(data.glob("*/*.yaml")))
    assert 0 < len(received) < files  # two children sent their shares; this process checked the first
    assert alone.ok and spread.dataset == alone.dataset


def test_children_find_and_locate_the_problems_one_process_finds(broken, monkeypatch):
    alone = _problems(load_dataset(broken))
    received = _spread(monkeypatch)
    spread = _problems(load_dataset(broken))
    assert received and spread == alone
    for expected in ("YAML syntax error", "'yes' is not read as a yes or no", "must be a whole number",
                     "renamed-2001.yaml", "notes.txt", "no-such-work-"):
        assert any(expected in p for p in alone), expected


def test_a_warm_load_through_children_takes_every_file_from_the_cache(data, tmp_path, monkeypatch):
    _spread(monkeypatch)
    cold_cache = ValidatedFiles(data / "schemas", tmp_path / "cache")
    cold = load_dataset(data, cold_cache)
    warm_cache = ValidatedFiles(data / "schemas", tmp_path / "cache")
    warm = load_dataset(data, warm_cache)
    assert cold_cache.hits == 0 and warm_cache.hits == len(list(data.glob("*/*.yaml")))
    assert cold.dataset == warm.dataset == load_dataset(data).dataset


def test_a_cached_file_checked_in_a_child_is_still_located(data, tmp_path, monkeypatch):
    """A file taken from the cache by a child keeps its text, so a problem another file causes in it is located."""
    _spread(monkeypatch)
    load_dataset(data, ValidatedFiles(data / "schemas", tmp_path / "cache"))
    case = sorted((data / "cases").glob("*.yaml"))[-1]
    line, ref_id = next((n, text.split(":", 1)[1].strip()) for n, text in enumerate(case.read_text(encoding="utf-8").splitlines(), 1)
                        if text.startswith("reference:"))
    (data / "references" / f"{ref_id}.yaml").unlink()
    spread = _problems(load_dataset(data, ValidatedFiles(data / "schemas", tmp_path / "cache")))
    monkeypatch.undo()
    assert spread == _problems(load_dataset(data)) and any(f"{case.name}:{line}:" in p for p in spread)


@pytest.mark.parametrize("failure", ["exits", "raises"])
def test_a_child_that_fails_costs_time_not_results(broken, monkeypatch, failure):
    alone = _problems(load_dataset(broken))
    received = _spread(monkeypatch)
    parent = os.getpid()
    share_on_wire = filecheck._share_on_wire

    def failing_in_children(files, share):
        if os.getpid() != parent:
            if failure == "exits":
                os._exit(3)
            raise RuntimeError("a child's failure")
        return share_on_wire(files, share)

    monkeypatch.setattr(filecheck, "_share_on_wire", failing_in_children)
    assert _problems(load_dataset(broken)) == alone and len(received) > 0  # every share checked here instead
