"""Does every plain (unquoted) value of a YAML text mean the same in YAML 1.1 (PyYAML) and in YAML 1.2
(yaml-rs), and is it one the data files allow? If so, the fast reader's data is the exact reader's data.

The scan over-approximates: it tests every piece of every line that could be a plain scalar (keys,
values, sequence items, flow items, continuation lines), so a piece that is not a scalar at all can
only send the file to the exact reader, never let a changed meaning through. Texts using what data
files never need (tabs, anchors and aliases, tags, merge keys, directives, several documents, complex
keys) go to the exact reader at once; it words the message. tests/test_units_yaml.py checks the
promise against the exact reader on the real data and on generated texts.
"""
from __future__ import annotations

import re

import yaml
import yaml_rs

# What data files never need, anywhere in the text (quoted text included: the exact reader decides). Plain
# substring tests first; a regular expression only where its first character occurs (much faster on clean files).
_REFUSED_CHARS = ("\t", "!", "\x85", "\u2028", "\u2029", "\ufeff", "<<", "\n%", "\n---", "\n...")
# An anchor or alias (&name, *name) where a value starts; "&" or "*" inside a text ("Neurosurg & Psychiatry") is fine.
ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]")
_COMPLEX_KEY = re.compile(r"^\s*\?(?: |$)", re.M)
# ": x": a key left out (yaml-rs reads None). Searched line by line, with the line's start written as "\n" so
# that the pattern starts with a character class, which the regular-expression engine scans for quickly.
_EMPTY_KEY = re.compile(r"[\n\[{,][ ]*(?:-[ ]+)*:(?:[ ]|$)")
_BLOCK_SCALAR = re.compile(r"(?:^|:|-)\s+[|>][-+0-9]*\s*(?:#.*)?$", re.M)  # | and > (their edge cases differ)


def _refused(text: str) -> bool:
    if any(s in text for s in _REFUSED_CHARS) or text.startswith(("%", "---", "...")):
        return True
    if ("&" in text or "*" in text) and ANCHOR_OR_ALIAS.search(text):
        return True
    if "?" in text and _COMPLEX_KEY.search(text):
        return True
    return ("|" in text or ">" in text) and bool(_BLOCK_SCALAR.search(text))


_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}  # YAML 1.1 booleans (or near them) the data files refuse
# Plain decimals both versions read alike (no exponent, no trailing dot, no leading zero): 12, -3, 4.25.
_SAFE_NUMBER = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?")
_NUMBERISH = re.compile(r"[-+]?[.0-9]")  # starts like a number in either version: decided by the exact reader
# Plain words YAML 1.2 reads as something other than text (1.1 reads some of them differently).
_YAML12_WORDS = {"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~"}
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_RESOLVER = yaml.resolver.Resolver()
# First characters of a plain scalar that PyYAML may resolve to something other than text (bool, null, int,
# float, timestamp, merge, value), or that YAML 1.2 may: any other first character is text in both.
_RESOLVABLE_FIRST = frozenset(c for c in yaml.resolver.Resolver.yaml_implicit_resolvers if c) | frozenset("~")


_COMMENT_LINE = re.compile(r"[ ]*#.*")  # a whole line that is a comment
# Where a plain scalar ends, or may: line ends, ": " (a key's end), flow punctuation, " #" (a comment), "- " (an
# item). Every plain scalar without one of these characters inside is one of the pieces between them (each piece
# that could be a whole plain scalar: a generous superset); one with such a character inside (", " in a title)
# can only be text, in either version.
_BOUNDS = re.compile(r"[\n\[\]{},]|:[ \n]| #|- ")  # a superset of the bounds: more pieces, never fewer


def _rust_reads_text(scalar: str) -> bool:
    """yaml-rs reads `scalar` (as written, quoted or not) as text: asked of the parser itself, since it
    reads some forms its own way (a quoted date becomes a date)."""
    try:
        return isinstance(yaml_rs.loads(f"a: {scalar}\n").get("a"), str)
    except Exception:
        return False


def _agrees(piece: str) -> bool:
    """A piece read as a scalar means the same in both versions and is allowed in data files."""
    if not piece:  # empty: null in both
        return True
    if piece[0] in "'\"":  # quoted: text in PyYAML; yaml-rs may still read a number-like text otherwise
        return not _NUMBERISH.match(piece[1:]) or _rust_reads_text(piece)
    if piece.lower() in _BOOL_WORDS or piece[0] in "|>@`%!&*#?:-" and piece not in ("-",):
        return False  # YAML indicators cannot start a plain scalar in PyYAML: the exact reader says why
    if piece[0] not in _RESOLVABLE_FIRST:
        return True
    if _NUMBERISH.match(piece):
        if _SAFE_NUMBER.fullmatch(piece):
            return True
        if any(c in piece for c in ",[]{}"):  # a fragment of a flow collection or a text with a comma: no number has one
            return True
        return _RESOLVER.resolve(yaml.ScalarNode, piece, (True, False)) == _STR_TAG and _rust_reads_text(piece)
    tag = _RESOLVER.resolve(yaml.ScalarNode, piece, (True, False))
    if tag == _NULL_TAG:  # null, Null, NULL, ~: None in both
        return True
    if piece in _YAML12_WORDS:
        return piece in ("true", "false")
    return tag == _STR_TAG


class Verdicts:
    """The lines and pieces already judged during one load of the data: most of a file's lines (a field and a
    common value) recur from file to file, and a line's verdict depends on that line alone."""

    __slots__ = ("good_lines", "bad_lines", "pieces")

    def __init__(self) -> None:
        self.good_lines: set[str] = set()
        self.bad_lines: set[str] = set()
        self.pieces: dict[str, bool] = {}


def _line_agrees(line: str, known: Verdicts) -> bool:
    """Every piece of one line that could be a plain scalar agrees, and no key on it is left out. A line is
    judged alone: the bounds between pieces include the line break, so no piece spans two lines."""
    if _COMMENT_LINE.fullmatch(line):
        return True
    if ":" in line and _EMPTY_KEY.search("\n" + line):
        return False
    for piece in {piece.strip() for piece in _BOUNDS.split(line + "\n")}:  # a key's ":" may end the line
        verdict = known.pieces.get(piece)
        if verdict is None:
            verdict = known.pieces[piece] = _agrees(piece)
        if not verdict:
            return False
    return True


def plain_values_agree(text: str, known: Verdicts | None = None) -> bool:
    """`known`: the lines and pieces already judged during this load of the data."""
    if _refused(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return False
    known = Verdicts() if known is None else known
    lines = text.split("\n")
    good = known.good_lines
    if good.issuperset(lines):  # the usual case once a few files are read, decided in one pass in C
        return True
    for line in lines:
        if line in good:
            continue
        if line in known.bad_lines or not _line_agrees(line, known):
            known.bad_lines.add(line)
            return False
        good.add(line)
    return True
