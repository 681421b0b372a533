"""The layout checks of data files that the test suite runs too, so that `make validate` and the scaffold find
every problem CI would: yamllint with the project's `.yamllint.yaml` (line length, indentation, trailing spaces
...), and the first line that names the file's schema for editors.

yamllint's own words say what is wrong; each rule a contributor meets gets what to write instead.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from iscm_atlas.data.dataset import FOLDERS, SEARCH_FOLDERS, display_path
from iscm_atlas.data.problems import Problem

PROJECT = Path(__file__).resolve().parent.parent.parent
CONFIG_NAME = ".yamllint.yaml"

FIXES = {
    "line-length": "break the line: write a long list one item per line (`- item`), or a long text as a block "
                   "(`notes:` then `  - >-` and the text on indented lines)",
    "indentation": "indent nested lines by 2 spaces more than their parent, the same way throughout the file",
    "trailing-spaces": "delete the spaces at the end of the line",
    "new-line-at-end-of-file": "end the file with one line break",
    "empty-lines": "delete the extra empty lines",
    "key-duplicates": "keep one of the two keys",
    "colons": "write one space after a colon and none before it",
    "commas": "write one space after a comma and none before it",
    "hyphens": "write one space after a list hyphen",
    "braces": "write at most one space inside { }",
    "brackets": "write at most one space inside [ ]",
    "comments": "write a space after #, and at least one before it",
    "comments-indentation": "indent a comment like the line it belongs to",
    "document-end": "delete the '...' line",
    "new-lines": "use Unix line breaks (\\n)",
}


def config_for(data_dir: Path) -> YamlLintConfig:
    """The settings the suite uses: the project's .yamllint.yaml beside data/, else this package's own."""
    for candidate in (data_dir.parent / CONFIG_NAME, PROJECT / CONFIG_NAME):
        if candidate.is_file():
            return YamlLintConfig(file=str(candidate))
    return YamlLintConfig("extends: default")


def schema_line(kind: str) -> str:
    return f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"


def lint_file(path: Path, display: str, kind: str | None, config: YamlLintConfig) -> list[Problem]:
    """yamllint's problems of one file, each with its fix, and a missing or wrong schema line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the loader reports an unreadable file
    return lint_text(text, display, kind, config)


def lint_text(text: str, display: str, kind: str | None, config: YamlLintConfig) -> list[Problem]:
    """The same checks of a file's text, before it is written (the scaffold's own output)."""
    found = []
    if kind is not None and text.splitlines()[:1] != [schema_line(kind)]:
        found.append(Problem(display, 1, 1, f"the first line must name the file's schema, for editors: write "
                                            f"{schema_line(kind)}"))
    reported = list(linter.run(text, config, display))
    if any(p.rule is None for p in reported):  # a syntax error: the loader words it; the layout follows from it
        return found
    found += split_notes(text, display)
    for p in reported:
        if p.rule == "truthy":  # the loader explains yes/no/on/off in its own words, with the field's meaning
            continue
        desc = p.desc.removesuffix(f" ({p.rule})") if p.rule else p.desc
        fix = FIXES.get(p.rule or "", f"see the rule '{p.rule}' in {CONFIG_NAME}" if p.rule else "")
        found.append(Problem(display, p.line, p.column, f"{desc}; {fix}" if fix else desc))
    return found


def split_notes(text: str, display: str) -> list[Problem]:
    """A note cut in two by a comma: in a `[...]` list an unquoted comma ends an item, so "survey; the atlas reads it
    as survival, the subject of the section." becomes two notes. Flagged where an unquoted item starts in lower case
    after an item that does not end a sentence."""
    if "[" not in text:
        return []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # the loader words it
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if getattr(key, "value", None) == "notes" and isinstance(value, yaml.SequenceNode) and value.flow_style:
                    found += _cut_items(value.value, display)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return found


def _cut_items(items, display: str) -> list[Problem]:
    return [Problem(display, item.start_mark.line + 1, item.start_mark.column + 1,
                    "this note looks like the rest of the one before it, cut at a comma (a comma ends an unquoted "
                    'item in a [...] list); quote the whole note: "..."')
            for before, item in zip(items, items[1:])
            if isinstance(item, yaml.ScalarNode) and isinstance(before, yaml.ScalarNode) and item.style is None
            and before.style is None and item.value[:1].islower()
            and not before.value.rstrip().endswith((".", "!", "?", ")", '"', "'"))]


def lint_data(data_dir: Path) -> list[Problem]:
    """Every layout problem of every data file (schemas aside: they are JSON)."""
    config = config_for(data_dir)
    found = []
    for folder, kind in {**FOLDERS, **SEARCH_FOLDERS}.items():
        for path in sorted((data_dir / folder).glob("*.yaml")):
            display = display_path(path, data_dir)
            found += lint_file(path, display, kind, config)
    return found
