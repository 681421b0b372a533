"""Write a data file the way a person would and the checks accept: block style for records, short mappings and
lists of plain values on one line ({document: x}, [C7]), long texts folded onto lines of their own, every line
within the project's line limit. What the scaffold writes passes every check `make test` runs (yamllint among
them); `emitted_problems` says so before a file is written.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from iscm_atlas.data.lint import config_for, lint_text, schema_line

FLOW_WIDTH = 90  # a mapping or list of plain values is written on one line up to this many characters
FOLD_AT = 100  # a text longer than this is folded onto lines of its own (`>-`)


class _Flow(dict):
    pass


class _FlowList(list):
    pass


class _Folded(str):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style=">"))


def _plain(value) -> bool:
    """A value written inline: a scalar, or a list of scalars ([[2016]], [C7])."""
    return not isinstance(value, dict) and (not isinstance(value, list) or all(_plain(v) for v in value))


def _one_line(value) -> str:
    return yaml.dump(value, Dumper=yaml.SafeDumper, default_flow_style=True, width=10_000, allow_unicode=True).strip()


def _mark(value, depth: int = 0):
    """Choose each part's style: records in blocks, short leaves on one line, long texts folded."""
    if isinstance(value, dict):
        marked = {k: _mark(v, depth + 1) for k, v in value.items()}
        if depth >= 2 and value and all(_plain(v) for v in value.values()) and len(_one_line(value)) <= FLOW_WIDTH:
            return _Flow(marked)
        return marked
    if isinstance(value, list):
        marked = [_mark(v, depth + 1) for v in value]
        if value and all(_plain(v) for v in value) and all(not isinstance(v, str) or len(v) < FOLD_AT for v in value) \
                and len(_one_line(value)) <= FLOW_WIDTH:
            return _FlowList(marked)
        return marked
    if isinstance(value, str) and len(value) > FOLD_AT:
        return _Folded(value)
    return value


def dump(kind: str, data: dict) -> str:
    """The file's text: the schema line for editors, then the data."""
    body = yaml.dump(_mark(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=FOLD_AT,
                     default_flow_style=False)
    return f"{schema_line(kind)}\n{body}"


def emitted_problems(text: str, display: str, kind: str, data_dir: Path) -> list:
    """What the checks would say of `text` as the data file `display` (nothing, unless this module has a bug)."""
    return lint_text(text, display, kind, config_for(data_dir))
