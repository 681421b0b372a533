"""The PRISMA 2020 flow of the atlas's own literature search, computed from its search and screening records
(data/searches/, data/screening/): records identified, duplicates removed, works screened, reports not retrieved,
reports excluded with each reason, works included. Drawn by plots.py as boxes and arrows, with its numbers table,
alt text and CSV like every evidence figure.

The atlas screens each work once, from its public page (title, abstract and, where public, the full text), so
PRISMA's screening and eligibility stages are one stage here; the caption says so.
"""
from __future__ import annotations

from collections import Counter

from iscm_atlas.content.figures import EvidenceFigure
from iscm_atlas.data.model import Dataset

REASONS = {  # the fixed exclusion reasons, as a reader reads them (schema: screening.schema.json)
    "not-intramedullary": "not an intramedullary metastasis",
    "primary-cns-tumour": "a primary tumour of the central nervous system",
    "no-patient-or-series-data": "no patient or series data",
    "duplicate-of-included-report": "a duplicate of an included report",
    "published-before-2009": "published before 2009",
    "not-retrievable": "not retrievable",
}
FIGURE_ID = "prisma-flow"


def flow_counts(ds: Dataset) -> dict:
    """The numbers of each box, from the records."""
    # Every run's records were screened, a retrieval run's too (it may return other works beside the one sought)
    identified = sum(s.hits for s in ds.searches)
    retrievals = sum(1 for s in ds.searches if s.purpose == "retrieval")
    screened = len(ds.screened)
    reasons = Counter(w.reason for w in ds.screened if w.decision == "excluded")
    return {"searches": len(ds.searches), "retrievals": retrievals, "identified": identified, "duplicates": max(identified - screened, 0),
            "screened": screened, "not_retrieved": reasons.pop("not-retrievable", 0),
            "excluded": {r: reasons[r] for r in REASONS if reasons.get(r)},
            "included": sum(1 for w in ds.screened if w.decision == "included"),
            "awaiting": sum(1 for w in ds.screened if w.decision == "awaiting-extraction"),
            "last": max((s.date for s in ds.searches), default=None)}


def prisma_figure(ds: Dataset) -> EvidenceFigure | None:
    """None while the atlas holds no search record."""
    if not ds.searches:
        return None
    c = flow_counts(ds)
    excluded = sum(c["excluded"].values())
    sources = sorted({s.source for s in ds.searches})
    runs = f"{c['searches']} searches" + (f" ({c['retrievals']} of them for the text of a work already found)"
                                           if c["retrievals"] else "")
    rows = (("Identification", f"Records identified by {runs}", str(c["identified"])),
            ("Identification", "Records removed before screening: duplicates (the same work found again)",
             str(c["duplicates"])),
            ("Screening", "Works screened", str(c["screened"])),
            ("Screening", "Reports not retrieved", str(c["not_retrieved"])),
            *(("Screening", f"Reports excluded: {REASONS[r]}", str(n)) for r, n in c["excluded"].items()),
            *((("Screening", "Reports eligible, awaiting their two readings", str(c["awaiting"])),) if c["awaiting"] else ()),
            ("Included", "Works included", str(c["included"])))
    population = (f"the atlas's own search: {c['searches']} searches of {'; '.join(sources)}, the last on {c['last']}")
    caption = (f"PRISMA 2020 flow of {population}, computed from its search and screening records. Each work is "
               f"screened once, from its public page (title, abstract and full text where public): screening and "
               f"eligibility are one stage. {c['screened']} works screened, {c['not_retrieved']} not retrieved, "
               f"{excluded} excluded with a reason, "
               + (f"{c['awaiting']} eligible but not yet read twice (not in the data until they are), " if c["awaiting"] else "")
               + f"{c['included']} included.")
    alt = ("Flow diagram: " + "; ".join(f"{label}: {n}" for _, label, n in rows) + ".")
    return EvidenceFigure(FIGURE_ID, "Flow of the atlas's literature search (PRISMA 2020)", caption, alt,
                          f"n = {c['identified']} records identified, {c['included']} works included.",
                          (f"Stage ({population})", "Box", "Number"), rows, "flow", bars={"counts": c},
                          population=population)
