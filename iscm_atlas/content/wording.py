"""Words the atlas uses in many places, written once: what "not reported" looks like, how the collecting
review is named, and how a work known only by its number in that review is described."""
from __future__ import annotations

from iscm_atlas.data.memo import per_dataset
from iscm_atlas.data.model import Dataset, Reference

NOT_REPORTED = "not reported"  # in sentences, captions and figure groups
NOT_AVAILABLE = "n.a."  # in a table cell: not available from the source; never the same as "no"
NOT_AVAILABLE_LEGEND = f"{NOT_AVAILABLE}: not available (not reported by the source); never the same as “no”."
UNNAMED_REVIEW = "the review that cites it"  # where no collecting review is known


def yes_no(value: bool | None) -> str:
    return NOT_REPORTED if value is None else ("yes" if value else "no")


@per_dataset
def collecting_documents(ds: Dataset) -> set[str]:
    """Works whose tables collect other publications' cases (a record's source is not its own work)."""
    records = [*ds.series, *ds.patients]
    return {r.source.document for r in records if r.source.document != r.reference}


def from_later_report(ds: Dataset, finding) -> bool:
    """A finding read from a report of its own (published after the review), not from a collecting review."""
    return finding.source.document not in collecting_documents(ds)


@per_dataset
def review_label(ds: Dataset) -> str:
    """How to name the collecting review(s) in prose: "Hrabálek L 2010"."""
    return " and ".join(ds.references[d].citation_label for d in sorted(collecting_documents(ds))) or "the review"


def cited_in(ds: Dataset, ref: Reference) -> str:
    """The work that cites `ref` by number (the one its metadata was read from), by its label."""
    source = ref.csl["iscm"]["metadata"].get("source")
    return ds.references[source].citation_label if source in ds.references else review_label(ds)


def citing_review(ds: Dataset, ref: Reference) -> str | None:
    """The review through which the atlas knows a work: the one that cites it by number (the work its metadata was
    read from where that is a work of the atlas, else the one collecting review); None for a work the atlas read
    itself, which has no number in a review."""
    if not ref.review_ref:
        return None
    source = ref.csl["iscm"]["metadata"].get("source")
    if source in ds.references:
        return source
    reviews = sorted(collecting_documents(ds))
    return reviews[0] if len(reviews) == 1 else None


def unidentified(ref: Reference, cited_in_label: str = UNNAMED_REVIEW) -> str:
    """What is known of a work the atlas has only from a review's reference list: "Known only as reference 12 of
    Hrabálek L 2010" (said of it, never put where a title goes)."""
    return f"Known only as reference {ref.review_ref} of {cited_in_label}"


def primary_noun(label: str) -> str:
    """"breast primary", "unknown primary": a site's label as the noun of a sentence, "primary" said once
    whether or not the vocabulary's label already ends with it ("Unknown primary")."""
    label = label.lower()
    return label if label.endswith("primary") else f"{label} primary"


def a_primary(label: str) -> str:
    """"a breast primary", "an unknown primary": the article chosen by the first letter of the label."""
    noun = primary_noun(label)
    return f"a{'n' if noun[0] in 'aeiou' else ''} {noun}"


METADATA_WORDS = {  # what the atlas knows of a work's bibliographic record, in a reader's words (never the data's ids)
    "number-only": "its number in the review only",
    "seed-only": "only what the review prints (author, year)",
    "partial": "partly read from a public record",
    "verified": "read from a public record",
}


def metadata_words(confidence: str) -> str:
    return METADATA_WORDS.get(confidence, confidence)
