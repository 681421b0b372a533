"""Write a data file the way a person would and the checks accept: block style for records, short mappings and
lists of plain values on one line ({document: x}, [C7]), long texts folded onto lines of their own, every line
within the project's line limit. What the scaffold writes passes every check `make test` runs (yamllint among
them); `emitted_problems` says so before a file is written.

Long texts are folded here rather than by PyYAML, whose folding may leave a line of several words longer than the
limit where a long word (an address) follows them; here an address too long for any line stands alone on its line,
which the line-length check allows. They are double-quoted, not block scalars, so the fast reader reads the file.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from iscm_atlas.data.lint import config_for, lint_text, schema_line

FLOW_WIDTH = 90  # a mapping or list of plain values is written on one line up to this many characters
FOLD_AT = 100  # a text longer than this is folded onto lines of its own (`>-`), each at most this long
TOKEN = "iscm-folded-text-"  # stands in a dumped file for a long text until it is folded in
_TOKEN_LINE = re.compile(rf"^(?P<indent> *)(?P<lead>(?:- )*(?:[^\s:#'\"][^:#]*: )?)-?{TOKEN}(?P<n>\d+)$", re.M)


class _Flow(dict):
    pass


class _FlowList(list):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _plain(value) -> bool:
    """A value written inline: a scalar, or a list of scalars ([[2016]], [C7])."""
    return not isinstance(value, dict) and (not isinstance(value, list) or all(_plain(v) for v in value))


def _one_line(value) -> str:
    return yaml.dump(value, Dumper=yaml.SafeDumper, default_flow_style=True, width=10_000, allow_unicode=True).strip()


def _foldable(text: str) -> bool:
    """A text a folded block holds exactly: one line, words separated by single spaces."""
    return "\n" not in text and text == text.strip() and "  " not in text and "\t" not in text


def _mark(value, texts: list, depth: int = 0, styled: bool = True):
    """Choose each part's style (unless not `styled`): records in blocks, short leaves on one line; a long text is
    set aside in `texts` (a token stands in its place) to be folded by _fold."""
    if isinstance(value, dict):
        marked = {k: _mark(v, texts, depth + 1, styled) for k, v in value.items()}
        if styled and depth >= 2 and value and all(_plain(v) for v in value.values()) \
                and len(_one_line(value)) <= FLOW_WIDTH:
            return _Flow(value)
        return marked
    if isinstance(value, list):
        if styled and value and all(_plain(v) for v in value) and len(_one_line(value)) <= FLOW_WIDTH:
            return _FlowList(value)
        return [_mark(v, texts, depth + 1, styled) for v in value]
    if isinstance(value, str) and len(value) > FOLD_AT and _foldable(value):
        texts.append(value)
        return f"{TOKEN}{len(texts) - 1}"
    return value


def _fold(body: str, texts: list) -> str:
    """Each long text as a double-quoted scalar over several lines of at most FOLD_AT characters, broken at spaces
    (a line break inside double quotes reads as one space). Not a block scalar (`>-`): the fast reader hands those
    to the exact one (plainscan.py), and a data file should read fast."""
    def block(match: re.Match) -> str:
        pad = " " * (len(match.group("indent")) + 2 * (match.group("lead").count("- ") + 1))
        first = len(match.group("indent")) + len(match.group("lead")) + 1
        lines, line = [], ""
        for word in texts[int(match.group("n"))].replace("\\", "\\\\").replace('"', '\\"').split(" "):
            width = (first if not lines else len(pad)) + len(line) + 1 + len(word) + 1
            if line and width > FOLD_AT:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        opening = '"'
        if first + len(lines[0]) + 1 > FOLD_AT:  # a word too long for the key's line: on a line of its own, after an
            opening = '"\\\n' + pad           # escaped line break (which adds no space)
        return f'{match.group("indent")}{match.group("lead")}{opening}' + f"\n{pad}".join(lines) + '"'
    return _TOKEN_LINE.sub(block, body)


def with_folded_texts(data, write, styled: bool = False) -> str:
    """`write(data)` (any YAML dump of it) with every long text folded onto lines of its own; `styled`: with this
    module's inline short leaves (for its own dumper)."""
    texts: list = []
    return _fold(write(_mark(data, texts, styled=styled)), texts)


def dump(kind: str, data: dict) -> str:
    """The file's text: the schema line for editors, then the data."""
    body = with_folded_texts(data, lambda marked: yaml.dump(marked, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                                            width=10_000, default_flow_style=False), styled=True)
    return f"{schema_line(kind)}\n{body}"


def emitted_problems(text: str, display: str, kind: str, data_dir: Path) -> list:
    """What the checks would say of `text` as the data file `display` (nothing, unless this module has a bug)."""
    return lint_text(text, display, kind, config_for(data_dir))
