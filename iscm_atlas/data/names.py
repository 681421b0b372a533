"""A person's name in each form the atlas prints, from CSL-JSON name parts, in one place."""
from __future__ import annotations


def name_vancouver(author: dict[str, str]) -> str:
    """"Connolly ES Jr": family name, initials of the given names, suffix (labels, Vancouver lists)."""
    initials = "".join(ch for ch in author.get("given", "") if ch.isupper())
    return " ".join(p for p in (author["family"], initials, author.get("suffix", "")) if p)


def name_family_given(author: dict[str, str]) -> str:
    """"Connolly, E. Sander": the form reference managers split correctly (Highwire and Dublin Core tags)."""
    return f"{author['family']}, {author.get('given', '')}".rstrip(", ")


def name_bibliographic(author: dict[str, str]) -> str:
    """"Connolly, Jr, E. Sander" (the BibTeX and RIS order), with whichever parts are known."""
    return ", ".join(p for p in (author["family"], author.get("suffix"), author.get("given")) if p)
