"""Headline figures and data notes, computed from the Dataset so that no number is typed by hand.

A collecting review reports its author's own case beside the literature it tabulates and counts
it apart ("42 references to 87 cases", plus one). A record is such an own case when its reference
is a document from which records of *other* references were read, and it was read from that same
document. Cases contributed from their own publication are counted with the literature.
"""
from __future__ import annotations

from dataclasses import dataclass

from iscm_atlas.content.wording import NOT_AVAILABLE, collecting_documents, review_label
from iscm_atlas.data.memo import per_dataset
from iscm_atlas.data.model import Dataset

BREAST = "breast"


@dataclass(frozen=True)
class Figure:
    id: str
    value: int | str
    label: str
    how: str


@dataclass(frozen=True)
class DataNote:
    reference: str
    text: str


def is_own_case(record, collecting: set[str]) -> bool:
    return record.reference == record.source.document and record.reference in collecting


def _names(ds: Dataset, ref_ids) -> str:
    return ", ".join(f"{ds.references[r].label} {ds.references[r].year}" for r in sorted(ref_ids)) or "none"


def percent(part: int, whole: int) -> str:
    """A share rounded to a whole percent, as the review states it ("10%")."""
    return f"{round(100 * part / whole)}%" if whole else NOT_AVAILABLE


@per_dataset
def figures(ds: Dataset) -> dict[str, Figure]:
    collecting = collecting_documents(ds)
    # What a collecting review states, it states of the records read from it: cases added to the
    # atlas since (read from their own publications) are counted only in the "-all" figures.
    literature = [s for s in ds.series if s.source.document in collecting and not is_own_case(s, collecting)]
    own_series = [s for s in ds.series if is_own_case(s, collecting)]
    breast = [p for p in ds.patients if p.primary_site == BREAST]
    breast_literature = [p for p in breast if p.source.document in collecting and not is_own_case(p, collecting)]
    own_breast = [p for p in breast if is_own_case(p, collecting)]
    surgical_cases = sum(s.surgically_treated for s in literature)
    breast_resected = sum(s.primary_sites.get(BREAST, 0) for s in literature)
    own_refs = _names(ds, {r.reference for r in own_series + own_breast})
    apart = (f"Only records read from the collecting review ({review_label(ds)}); its own case ({own_refs}) is "
             "counted apart.")
    def where(records) -> str:
        """"Table 1 of Hrabálek L 2010": the place(s) the records of a figure were read from."""
        places = sorted({(r.source.document, r.source.table) for r in records}, key=str)
        return " and ".join(f"Table {t} of {ds.references[d].citation_label}" if t else ds.references[d].citation_label
                            for d, t in places) or "no source"

    found = [
        Figure("surgical-publications", len({s.reference for s in literature}),
               f"Publications reporting surgically treated ISCM, in {where(literature)}",
               f"Distinct references with a surgically treated series. {apart}"),
        Figure("surgical-cases", surgical_cases, f"Surgically treated cases in those publications, in {where(literature)}",
               f"Sum of the series counts (surgically_treated) of those references. {apart}"),
        Figure("surgical-own-cases", sum(s.surgically_treated for s in own_series), "Own surgically treated case(s) of the review",
               f"Series read from a collecting review that reports its own case: {own_refs}."),
        Figure("surgical-cases-all", sum(s.surgically_treated for s in ds.series),
               "Surgically treated cases in the atlas, own cases of collecting reviews included",
               "Sum of the series counts of every surgically treated series in the data: the literature, the own "
               "case(s) and any series added since. The figures drawn from the series count these."),
        Figure("surgical-publications-all", len({s.reference for s in ds.series}),
               "Publications with a surgically treated series in the atlas",
               "Distinct references with a surgically treated series, own cases included."),
        Figure("breast-publications", len({p.reference for p in breast_literature}),
               f"Publications reporting patients with ISCM of breast carcinoma, in {where(breast_literature)}",
               f"Distinct references with at least one patient whose primary site is breast. {apart}"),
        Figure("breast-patients", len(breast_literature), f"Patients with ISCM of breast carcinoma, in {where(breast_literature)}",
               f"Patient records whose primary site is breast, one per printed line. {apart}"),
        Figure("breast-own-patients", len(own_breast), "Own breast-carcinoma patient(s) of the review",
               f"Patient records read from a collecting review that reports its own case: {own_refs}."),
        Figure("breast-patients-all", len(breast), "Patient records with a breast primary in the atlas",
               "Every patient record whose primary site is breast, own cases included."),
        Figure("patients-all", len(ds.patients), "Patient records in the atlas, any primary site and any source",
               "Every patient record in the data: the review's Table 2, its own case, and every patient reported one by "
               "one in a publication added since."),
        Figure("patients-publications-all", len({p.reference for p in ds.patients}),
               "Publications with at least one patient record in the atlas",
               "Distinct references with an individual patient record, any source."),
        Figure("breast-resected", breast_resected, f"Surgically treated cases with a breast primary, in {where(literature)}",
               f"Sum of the breast counts in the surgically treated series. {apart}"),
        Figure("breast-resected-share", percent(breast_resected, surgical_cases),
               f"Share of the surgically treated cases in {where(literature)} with a breast primary",
               "Breast cases among the surgically treated cases, rounded to a whole percent."),
        Figure("breast-operated-patients", sum(1 for p in breast_literature if p.surgery is True),
               f"Breast-carcinoma patients recorded as operated, in {where(breast_literature)}",
               f"Patient records (breast primary) with surgery = yes; surgery not reported is not counted. {apart}"),
    ]
    return {f.id: f for f in found}


@per_dataset
def data_notes(ds: Dataset) -> list[DataNote]:
    """Where a publication's series and its breast patients do not tell the same story."""
    notes = []
    for ref_id in sorted(set(ds.series_by_reference) & set(ds.patients_by_reference)):
        series = ds.series_by_reference[ref_id]
        patients = [p for p in ds.patients_by_reference[ref_id] if p.primary_site == BREAST]
        if not patients:
            continue
        listed = sum(s.primary_sites.get(BREAST, 0) for s in series)
        unreported = sum(s.unreported_sites for s in series)
        operated = sum(1 for p in patients if p.surgery is True)
        unknown = sum(1 for p in patients if p.surgery is None)
        if listed == operated and unknown == 0:
            continue
        total = sum(s.surgically_treated for s in series)
        compatible = operated <= listed + unreported and listed <= operated + unknown
        verdict = ("The two lists do not contradict each other, but the source does not say which patient is which "
                   "case, so their rows cannot be linked." if compatible else
                   "The two lists disagree: the counts cannot both be right; check the source.")
        notes.append(DataNote(ref_id, (
            f"The surgical series lists {total} surgically treated case(s), {listed} with a breast primary and "
            f"{unreported} whose primary is not reported; the patient list has {len(patients)} breast-carcinoma "
            f"patient(s), {operated} recorded as operated and {unknown} with surgery not reported. {verdict}")))
    return notes
