"""Key messages: the 3 to 6 findings that open a topic page (and the home page), bottom line first.

A key message is a finding record (data/findings/) with `key_message: {rank}`; where its sources
pull apart, its `contrast` finding is shown beside it, each with its own citations. Which finding
carries a page's `#finding-<id>` anchor is decided here, so the key-figures table and the box
never both claim one.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from iscm_atlas.content.findings import format_finding
from iscm_atlas.content.wording import collecting_documents
from iscm_atlas.data.model import Dataset, Finding

HOME = "home"


@dataclass(frozen=True)
class Message:
    finding: Finding
    text: str  # the statement, or the label where there is none
    values: str | None  # the formatted values, linked to the finding's row where it has one
    anchor: str | None  # the id this item carries on the page (None: the anchor lives on the topic page)
    contrast: Message | None = None
    heading: str = ""
    after: str = ""  # the statement's words after its values, where it places them with "{value}"  # for a contrast: whose position it is (contrast_heading)


def contrast_heading(ds: Dataset, main: Finding, other: Finding) -> str:
    """Whose position a contrast is: another position in the literature when it rests on works the message does not
    rest on, or, from the same source, what that source also states (never "another position" for a statement the
    same review makes on the same evidence)."""
    if other.source.document != main.source.document:
        return f"{ds.references[other.source.document].citation_label} differs:"
    if set(other.citations) - set(main.citations) - {other.source.document}:
        return "Another position in the literature:"
    return "The review also states:" if main.source.document in collecting_documents(ds) else "The same report also states:"


VALUE_MARK = "{value}"  # where a statement places its values, so that a caveat can follow them


def _message(finding: Finding, anchored: bool, contrast: Message | None = None) -> Message:
    values = format_finding(finding) if finding.values else None
    text, _, after = (finding.statement or finding.label).partition(VALUE_MARK)
    return Message(finding, text.rstrip(), values, f"finding-{finding.id}" if anchored else None, contrast,
                   after=after)


def key_findings(ds: Dataset, page: str) -> list[Finding]:
    """The key messages of a topic page (or of HOME), in rank order."""
    chosen = [f for f in ds.findings if f.key_rank is not None and (f.key_home if page == HOME else f.topic == page)]
    return sorted(chosen, key=lambda f: (f.key_rank, f.id))


def anchored_in_box(ds: Dataset, topic: str) -> set[str]:
    """Findings whose anchor is in the key-message box of their own topic page, not in its table."""
    by_id = {f.id: f for f in ds.findings}
    ids = set()
    for f in key_findings(ds, topic):
        ids.add(f.id)
        if f.contrast and by_id[f.contrast].topic == topic and by_id[f.contrast].key_rank is None:
            ids.add(f.contrast)
    return ids


def period(ds: Dataset, finding: Finding, review_search_end: str | None) -> str:
    """Which evidence, and which period, a message rests on: the collecting review (literature to the end of its
    search) or the later report it was read from (its year)."""
    source = ds.references[finding.source.document]
    if finding.source.document in collecting_documents(ds):
        to = f", literature to {review_search_end}" if review_search_end else ""
        return f"Rests on: the review, {source.citation_label}{to}."
    return f"Rests on: a report of {source.year}, {source.citation_label}." if source.year else \
        f"Rests on: {source.citation_label}."


def key_messages(ds: Dataset, page: str) -> list[Message]:
    by_id = {f.id: f for f in ds.findings}
    anchored = anchored_in_box(ds, page) if page != HOME else set()
    shown = []
    for f in key_findings(ds, page):
        other = by_id[f.contrast] if f.contrast else None
        contrast = _message(other, other.id in anchored and other.key_rank is None) if other else None
        if contrast:
            contrast = replace(contrast, heading=contrast_heading(ds, f, other))
        shown.append(_message(f, f.id in anchored, contrast))
    return shown
