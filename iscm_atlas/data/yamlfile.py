"""Read one YAML data file safely; the line and column of every key and value when a problem needs them.

Three readers, fastest first, each handing over to the next when it cannot vouch for the file:
1. yaml-rs (Rust) for files whose every plain value means the same in YAML 1.1 (PyYAML) and 1.2, found
   by scanning each value's text (iscm_atlas/data/plainscan.py); positions are not computed.
2. libyaml (PyYAML's C parser), walking the node tree once for positions, duplicate keys and nesting.
3. PyYAML's pure-Python loader, which refuses aliases while composing (before any expansion, so a
   "billion laughs" file costs nothing) and words every error precisely.
A file read by (1) or (2) holds exactly the data (3) would build; the messages always come from (2)
or (3), which locate them. All three are as safe as yaml.safe_load: (2) and (3) are PyYAML's safe loaders,
and yaml-rs builds only dicts, lists, strings, numbers, booleans and None, and is never given a text with a
tag or an alias (plainscan hands those over); tests/test_hostile.py checks each. Positions of a file read by (1) are computed only if a later check
reports a problem in it (YamlDocument.where).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from iscm_atlas.data.plainscan import ANCHOR_OR_ALIAS, Verdicts, plain_values_agree
from iscm_atlas.data.problems import Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 20

PathKey = tuple  # a path into the document, e.g. ("patients", 0, "age")


@dataclass
class YamlDocument:
    """A parsed file: its data and where each part of it stands in the text (found when first asked)."""

    path: str
    data: Any
    text: str | None = None  # the file's text, kept until its positions are needed
    _value_pos: dict[PathKey, tuple[int, int]] | None = None
    _key_pos: dict[PathKey, tuple[int, int]] | None = None

    @property
    def value_pos(self) -> dict[PathKey, tuple[int, int]]:
        self._locate()
        return self._value_pos

    @property
    def key_pos(self) -> dict[PathKey, tuple[int, int]]:
        self._locate()
        return self._key_pos

    def _locate(self) -> None:
        if self._value_pos is not None:
            return
        self._value_pos, self._key_pos = {}, {}
        if self.text is None:
            return
        loader = (_FastLoader or _Loader)(self.text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _walk(node, (), self, [])
        except yaml.YAMLError:
            pass  # positions unknown: a message then points at the file's first line, never a traceback
        finally:
            loader.dispose()
        self.text = None

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Line and column of `path` (of its key if asked), falling back to the nearest parent."""
        table = self.key_pos if key else self.value_pos
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.key_pos:
                return self.key_pos[p]
            p = p[:-1]
        return self.value_pos.get((), (1, 1))

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.path, line, col, message)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases where they appear, before anything is expanded."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, _ALIAS_MESSAGE, mark)
        return super().compose_node(parent, index)


_ALIAS_MESSAGE = "anchors and aliases (&name / *name) are not allowed in data files; write the value out in full"


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node, path, doc: YamlDocument, problems: list[Problem]) -> None:
    if len(path) > MAX_DEPTH:
        problems.append(Problem(doc.path, *_mark(node),
                                f"nesting deeper than {MAX_DEPTH} levels; data files are shallow, check the indentation"))
        return
    doc._value_pos[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(doc.path, *_mark(key_node), "a key must be a plain name, not a list or mapping"))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(Problem(doc.path, *_mark(key_node), "merge keys (<<) are not allowed in data files; write the fields out"))
                continue
            if key in keys:
                first = keys[key][0]
                problems.append(Problem(doc.path, *_mark(key_node),
                                        f"duplicate key '{key}' (first given on line {first}); keep only one of them"))
                continue
            keys[key] = _mark(key_node)
            doc._key_pos[path + (key,)] = _mark(key_node)
            _walk(value_node, path + (key,), doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), doc, problems)
    elif isinstance(node, yaml.ScalarNode) and not node.style:  # plain: None (Python parser) or "" (libyaml)
        message = _implicit_value_problem(node)
        if message:
            problems.append(Problem(doc.path, *_mark(node), message))


# Plain (unquoted) scalars YAML 1.1 turns into something other than text. Only the forms a data file
# means are kept: true, false, null, and plain decimal numbers; every other conversion changes meaning.
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}
_PLAIN_NUMBER = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?")  # decimal, maybe with exponent
_TAG_INT, _TAG_FLOAT, _TAG_BOOL = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"


def _implicit_value_problem(node: yaml.ScalarNode) -> str | None:
    text = node.value
    if text.lower() in _BOOL_WORDS:
        word = "true" if text.lower() in ("yes", "on", "y") else "false"
        return (f"'{text}' is not read as a yes or no here: write {word} (true or false, lowercase, no quotes; null "
                f"where the source does not report it); only in a text field would \"{text}\" in quotes be kept as text")
    if node.tag == _TAG_BOOL and text not in ("true", "false"):
        return f"write the boolean as {text.lower()} (lowercase true or false)"
    if node.tag in (_TAG_INT, _TAG_FLOAT) and not _PLAIN_NUMBER.fullmatch(text):
        return (f"'{text}' would be read as a number in a special YAML form; write a plain decimal number "
                f"(e.g. 1000, 2.5), or put it in quotes if you mean the text: \"{text}\"")
    if node.tag == "tag:yaml.org,2002:timestamp":
        return f"'{text}' would be read as a date; put it in quotes: \"{text}\""
    return None


def _syntax_problem(path: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    if problem == _ALIAS_MESSAGE:
        return Problem(path, line, col, problem)
    if "'\\t'" in problem or "\\t" in problem:
        return Problem(path, line, col, "tab character in the indentation; YAML indents with spaces: replace each tab with two spaces")
    if isinstance(error, yaml.constructor.ConstructorError) and "tag" in problem:
        return Problem(path, line, col, f"{problem.strip()}; data files hold plain values only, remove the '!' tag")
    context = getattr(error, "context", None)
    text = f"{context}, {problem}" if context else problem
    return Problem(path, line, col, f"YAML syntax error: {text}; check the indentation, colons and quotes on this line or the line above")


def _offset_to_line_col(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


_FastLoader = getattr(yaml, "CSafeLoader", None)  # libyaml: the same safe subset, parsed in C


def _compose(loader, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """One document from either loader: positions recorded, duplicate keys and deep nesting refused,
    values built only if the tree is sound. (None, []) for an empty file."""
    node = loader.get_single_node()
    if node is None:
        return None, []
    doc = YamlDocument(display, None, _value_pos={}, _key_pos={})
    problems: list[Problem] = []
    _walk(node, (), doc, problems)
    if not problems:
        doc.data = loader.construct_document(node)
    return doc, problems


def _rust_parse(text: str, display: str, known: Verdicts | None = None) -> YamlDocument | None:
    """Parse with yaml-rs when every plain value of the text means the same to it as to PyYAML; None
    hands the file to the next reader (which also finds and words any problem)."""
    if not plain_values_agree(text, known):
        return None
    try:
        data = yaml_rs.loads(text)
    except Exception:  # any refusal (duplicate key, syntax, ...): the exact readers say what is wrong
        return None
    if not isinstance(data, dict) or _could_nest_deeply(text) and _deeper_than(data, MAX_DEPTH):
        return None
    return YamlDocument(display, data, text=text)


def _could_nest_deeply(text: str) -> bool:
    """Cheap bound: nesting needs brackets or indentation; most files have too few of both to nest MAX_DEPTH deep."""
    return text.count("[") + text.count("{") + text.count("\n    ") > MAX_DEPTH // 2


def _deeper_than(value, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _fast_parse(text: str, display: str) -> YamlDocument | None:
    """Parse with libyaml when the text cannot hold an anchor or alias; None means: use the exact
    (pure Python) loader, which locates aliases and words its error messages precisely."""
    if _FastLoader is None or ANCHOR_OR_ALIAS.search(text):
        return None
    loader = _FastLoader(text)
    try:
        doc, problems = _compose(loader, display)
        return None if doc is None or problems else doc
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def read_yaml(file: Path, display: str, known: Verdicts | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse `file`; return the document, or None with the problems that stopped it. `known`: one dict per load
    of the data, in which the fast reader keeps the values it has judged."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        return None, [Problem(display, 0, 0, f"cannot read the file ({error.strerror})")]
    return read_yaml_bytes(raw, display, known)


def read_yaml_bytes(raw: bytes, display: str, known: Verdicts | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """`read_yaml` of a file's bytes."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(display, 1, 1, f"file is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit; split it into one file per publication")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(display, 1, 1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _offset_to_line_col(raw, error.start)
        return None, [Problem(display, line, col, f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8")]
    return read_text(text, display, known=known)


def read_text(text: str, display: str, *, fast: bool = True, known: Verdicts | None = None
              ) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse a file's text; `fast=False` uses the exact reader only (the tests compare the two)."""
    if fast:
        doc = _rust_parse(text, display, known) or _fast_parse(text, display)
        if doc is not None:
            return _check_mapping(doc)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        line, col = _offset_to_line_col(text.encode("utf-8"), len(text[:error.position].encode("utf-8")))
        return None, [Problem(display, line, col, f"character U+{error.character:04X} is not allowed in YAML; delete it")]
    try:
        doc, problems = _compose(loader, display)
        if doc is None:
            return None, [Problem(display, 1, 1, "file is empty; it must hold a mapping starting with 'id:'")]
        if problems:
            return None, problems
    except yaml.reader.ReaderError as error:
        return None, [Problem(display, 1, 1, f"character U+{error.character:04X} is not allowed in YAML; delete it")]
    except yaml.YAMLError as error:
        return None, [_syntax_problem(display, error)]
    except RecursionError:
        return None, [Problem(display, 1, 1, "nesting too deep to read; check the indentation")]
    finally:
        loader.dispose()
    return _check_mapping(doc)


def _check_mapping(doc: YamlDocument) -> tuple[YamlDocument | None, list[Problem]]:
    display = doc.path
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"a single {type(doc.data).__name__} value"
        return None, [Problem(display, 1, 1, f"the file holds {kind}; it must be a mapping of field: value, starting with 'id:'")]
    return doc, []
