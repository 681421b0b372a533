"""Reading a vocabulary term the way the literature writes it: its id, its label, its abbreviation or a printed
form ("RCC", "renal", "deterioration"), and suggesting terms from those words before spelling distance.

The scaffold accepts any of these and writes the id; the validator, which checks files that must hold ids,
names the id to write. Both use this one module, so a form one accepts the other explains.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping


def fold(text: str) -> str:
    """Case, hyphens, underscores and repeated spaces do not tell terms apart ("Non-small cell" = "non small cell")."""
    return re.sub(r"[\s_-]+", " ", str(text).casefold()).strip()


def forms(term: Mapping) -> list[str]:
    """Every way a term is written: id, label, abbreviation and printed forms."""
    found = [term["id"], term.get("label", "")]
    if term.get("abbreviation"):
        found.append(term["abbreviation"])
    found += list(term.get("printed_as", ()))
    return [f for f in found if f]


def resolve(value: str, terms: Iterable[Mapping]) -> str | None:
    """The id of the term `value` names in any of its written forms, or None."""
    wanted = fold(value)
    for term in terms:
        if any(fold(form) == wanted for form in forms(term)):
            return term["id"]
    return None


def suggest(value: str, terms: Iterable[Mapping], n: int = 3) -> list[str]:
    """Ids a contributor probably means: terms one of whose forms contains the words typed (or is contained in
    them), then the closest spellings of any form, each id once."""
    terms = list(terms)
    wanted = fold(value)
    found: list[str] = []
    if len(wanted) >= 3:  # forms that begin with the words typed, else forms that contain them (or sit inside them)
        found = [t["id"] for t in terms if any(fold(form).startswith(wanted) for form in forms(t))]
        found = found or [t["id"] for t in terms if any(
            wanted in fold(form) or (len(fold(form)) >= 4 and fold(form) in wanted) for form in forms(t))]
    if not found:
        by_form = {fold(form): term["id"] for term in terms for form in forms(term)}
        found = [by_form[close] for close in difflib.get_close_matches(wanted, list(by_form), n=n * 2, cutoff=0.6)]
    return list(dict.fromkeys(found))[:n]
