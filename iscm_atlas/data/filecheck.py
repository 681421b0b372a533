"""Read and check each data file on its own (as YAML, then against its kind's schema), on every core when
there are many: files are independent until the cross-file checks, and at 100x data there are 9,000.

The files are split into one share per core; each share but the first is read and checked in a forked
child (iscm_atlas/background.py), which inherits the compiled schemas and the cache of checked files, and
sends back plain values (data, problems, positions): pickling the documents themselves cost three times as
much. A child that fails for any reason costs time, never a result: its share is then checked here.
Without fork (not Linux), or with few files, everything is checked in this process. Here or in a child, a
file gives the same document and the same problems (tests/test_units_filecheck.py compares the two).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from iscm_atlas.background import Background, can_fork, cores
from iscm_atlas.data.filecache import ValidatedFiles
from iscm_atlas.data.plainscan import Verdicts
from iscm_atlas.data.problems import Problem
from iscm_atlas.data.schemas import check_schema, compile_schemas
from iscm_atlas.data.yamlfile import YamlDocument, read_yaml_bytes

FILES_PER_SHARE = 1_500  # below this, forking and sending results back cost more than a second core saves


@dataclass
class Checked:
    """One file read and checked on its own. `doc`: its document if it passed; `failed_id`: for a file that
    failed its schema, the id it gives (other files naming it then get no second message); `fresh`: checked
    now, not taken from the cache; `keep`: JSON gives its data back exactly, so the cache may keep it."""

    kind: str
    name: str
    raw: bytes | None
    doc: YamlDocument | None
    problems: list[Problem]
    failed_id: str | None = None
    fresh: bool = False
    keep: bool = False


@dataclass
class _Share:
    """What every share needs, made once per load before any child is forked."""

    schema_dir: Path
    compiled: dict
    cache: ValidatedFiles | None


def _file_name(display: str) -> str:
    """"lee-2007.yaml" from "data/cases/lee-2007.yaml"."""
    return display.rsplit("/", 1)[-1]


def _check(kind: str, display: str, raw: bytes, share: _Share, known: Verdicts) -> tuple:
    """(doc, problems, failed_id) of one file's bytes."""
    doc, problems = read_yaml_bytes(raw, display, known)
    if doc is None:
        return None, problems, None
    schema_problems = check_schema(doc, kind, share.schema_dir, share.compiled)
    if schema_problems:
        failed_id = doc.data["id"] if isinstance(doc.data.get("id"), str) else _file_name(display).removesuffix(".yaml")
        return None, problems + schema_problems, failed_id
    return doc, problems, None


def _check_share(files: list[tuple[str, str, str]], share: _Share) -> list[Checked]:
    known = Verdicts()
    out = []
    for kind, display, path in files:
        name = _file_name(display)
        try:
            with open(path, "rb", buffering=0) as handle:  # read whole: no buffer needed
                raw = handle.read()
        except OSError as error:
            out.append(Checked(kind, name, None, None, [Problem(display, 0, 0, f"cannot read the file ({error.strerror})")]))
            continue
        cached = share.cache.get(kind, raw) if share.cache else None
        if cached is not None:  # read and checked before, byte for byte the same: only its positions may be needed
            out.append(Checked(kind, name, raw, YamlDocument(display, cached, text=raw.decode("utf-8")), []))
            continue
        doc, problems, failed_id = _check(kind, display, raw, share, known)
        keep = share.cache is not None and doc is not None and ValidatedFiles.keeps(doc.data)
        out.append(Checked(kind, name, raw, doc, problems, failed_id, fresh=True, keep=keep))
    return out


def _to_wire(checked: Checked) -> tuple:
    """Plain values to send back: a cached file's data is in the parent's cache already, and a document's
    text is its bytes."""
    doc = checked.doc
    if doc is None:
        body = None
    elif not checked.fresh:
        body = ()
    else:
        body = (doc.data, doc._value_pos, doc._key_pos)
    return (checked.raw, body, checked.problems, checked.failed_id, checked.fresh, checked.keep)


def _from_wire(wire: tuple, kind: str, display: str, share: _Share) -> Checked:
    raw, body, problems, failed_id, fresh, keep = wire
    doc = None
    if body == ():
        doc = YamlDocument(display, share.cache.get(kind, raw), text=raw.decode("utf-8"))
    elif body is not None:
        data, value_pos, key_pos = body
        text = raw.decode("utf-8") if value_pos is None else None  # positions, if a later check needs them
        doc = YamlDocument(display, data, text=text, _value_pos=value_pos, _key_pos=key_pos)
    return Checked(kind, _file_name(display), raw, doc, problems, failed_id, fresh, keep)


def _share_on_wire(files: list[tuple[str, str, str]], share: _Share) -> list[tuple]:
    """What a child sends back for its share: plain values."""
    return [_to_wire(checked) for checked in _check_share(files, share)]


def check_files(files: list[tuple[str, str, str]], schema_dir: Path, cache: ValidatedFiles | None) -> list[Checked]:
    """`files`: (kind, display path, path to read) of each data file, in order; what each gives, in that order."""
    share = _Share(schema_dir, compile_schemas(schema_dir, {kind for kind, _, _ in files}), cache)
    shares = min(cores(), len(files) // FILES_PER_SHARE) if can_fork() else 1
    if shares < 2:
        return _check_share(files, share)
    size = -(-len(files) // shares)
    parts = [files[i:i + size] for i in range(0, len(files), size)]
    others = [(Background(_share_on_wire, part, share), part) for part in parts[1:]]
    results = _check_share(parts[0], share)
    for child, part in others:
        results.extend(_from_wire(wire, kind, display, share) for wire, (kind, display, _) in zip(child.result(), part))
    return results
