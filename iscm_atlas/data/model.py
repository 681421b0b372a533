"""Typed, read-only records of the evidence, built once the files have passed every check."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from iscm_atlas.data.names import name_vancouver


@dataclass(frozen=True)
class Source:
    """Where a record was read: a document (a reference id) and, where it has them, table and row."""

    document: str
    table: int | None = None
    row: int | None = None
    page: str | None = None
    section: str | None = None

    def as_dict(self) -> dict[str, Any]:
        fields = (("document", self.document), ("table", self.table), ("row", self.row), ("page", self.page),
                  ("section", self.section))
        return {k: v for k, v in fields if v is not None}


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    abbreviation: str | None = None
    printed_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    id: str
    label: str
    terms: tuple[Term, ...]

    def __contains__(self, term_id: str) -> bool:
        return any(t.id == term_id for t in self.terms)

    def term(self, term_id: str) -> Term:
        return next(t for t in self.terms if t.id == term_id)

    def label_of(self, term_id: str) -> str:
        return self.term(term_id).label


@dataclass(frozen=True)
class Reference:
    """One work. `csl` is the file's mapping as written (CSL-JSON names plus the `iscm` namespace)."""

    id: str
    csl: dict[str, Any]

    @property
    def year(self) -> int | None:
        issued = self.csl.get("issued")
        return issued["date-parts"][0][0] if issued else None

    @property
    def authors(self) -> list[dict[str, str]]:
        return self.csl.get("author", [])

    @property
    def review_ref(self) -> int | None:
        return self.csl["iscm"].get("review_ref")

    @property
    def confidence(self) -> str:
        return self.csl["iscm"]["metadata"]["confidence"]

    @property
    def et_al(self) -> bool:
        return self.csl["iscm"].get("et_al", False)

    @property
    def citable(self) -> bool:
        """A work with something to cite it by (an author or a title); one known only by its number in a review has
        nothing: it stays out of head tags and bibliography files (the downloads page says so)."""
        return bool(self.authors or self.csl.get("title"))

    @cached_property  # asked for hundreds of thousands of times at 100x (every row, caption and link names a work)
    def label(self) -> str:
        """First author as the review's tables print it ("Connolly ES Jr et al."); a work known
        only by its number in the review is "Review ref. 18"."""
        if not self.authors:
            return f"Review ref. {self.review_ref}"
        names = [name_vancouver(a) for a in self.authors]
        if len(names) == 2 and not self.et_al:
            return f"{names[0]} and {names[1]}"
        return f"{names[0]} et al." if self.et_al or len(names) > 1 else names[0]

    @cached_property
    def citation_label(self) -> str:
        """Label and year, as in-text citations show it ("Schiff D et al. 1996")."""
        return f"{self.label} {self.year}" if self.year else self.label

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self.csl["iscm"].get("notes", ()))




@dataclass(frozen=True)
class Series:
    """A publication's surgically treated series: how many cases, and their primary sites."""

    id: str
    reference: str
    surgically_treated: int
    primary_sites: dict[str, int]
    source: Source
    histology: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def unreported_sites(self) -> int:
        """Cases whose primary site the publication does not give."""
        return self.surgically_treated - sum(self.primary_sites.values())


@dataclass(frozen=True)
class Patient:
    """One patient as a publication reports them; None means "not reported", never "no"."""

    id: str
    reference: str
    age: int | None
    level: tuple[str, ...] | None
    primary_site: str | None
    surgery: bool | None
    radiotherapy: bool | None
    chemotherapy: bool | None
    outcome: str | None
    survival_months: float | None
    alive: bool | None
    source: Source
    notes: tuple[str, ...] = ()
    sex: str | None = None
    segments: tuple[str, ...] | None = None  # exact segments as published ("C7", "T10-T12")
    histology: str | None = None
    resection: str | None = None  # extent: gross-total, subtotal, biopsy
    months_from_primary_diagnosis: float | None = None
    level_derived: bool = False  # level (the region) computed from the segments, not given
    # What reports since 2009 give; each None when the publication does not report it (never "no").
    first_sign_of_cancer: bool | None = None
    brain_metastases: bool | None = None
    leptomeningeal_disease: bool | None = None
    multiple_intramedullary_lesions: bool | None = None
    radiotherapy_technique: str | None = None  # conventional, stereotactic
    radiotherapy_dose_gy: float | None = None
    radiotherapy_fractions: int | None = None
    targeted_therapy: bool | None = None
    immunotherapy: bool | None = None
    hormonal_therapy: bool | None = None
    steroids: bool | None = None
    neurological_grade: dict | None = None  # {scale, before, after} as printed
    survival_from: str | None = None  # time origin of survival_months; None: the publication does not say
    doubtful: tuple[str, ...] = ()  # fields printed so in the source but looking misprinted (e.g. a shifted row)

    def reported(self, field: str):
        """A field's value for counting: None (not reported) where the printed value is doubtful."""
        return None if field in self.doubtful else getattr(self, field)

    @property
    def time_origin(self) -> str:
        """The time origin of the survival figure, "not-stated" where the publication does not say."""
        return self.survival_from or "not-stated"


@dataclass(frozen=True)
class GroupStatistic:
    """A figure a publication gives only for several patients together (e.g. median survival)."""

    id: str
    reference: str
    patients: tuple[str, ...]
    survival_months: dict[str, float]
    source: Source
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A quantitative statement of a source: its values, its topic page and what it cites."""

    id: str
    topic: str
    label: str
    values: tuple[dict[str, Any], ...]
    citations: tuple[str, ...]
    sites: tuple[str, ...]
    source: Source
    notes: tuple[str, ...] = ()
    statement: str | None = None  # a conclusion in the atlas's words, for findings without (or before) values
    key_rank: int | None = None  # position among its topic page's key messages; None: not a key message
    key_home: bool = False  # also a key message of the home page
    contrast: str | None = None  # id of a finding whose sources pull the other way


@dataclass(frozen=True)
class Search:
    """One run of the atlas's literature search."""

    id: str
    date: str  # YYYY-MM-DD
    source: str
    query: str
    hits: int
    notes: tuple[str, ...] = ()
    purpose: str = "identification"  # or retrieval: finding the text of a work already found (not counted)


@dataclass(frozen=True)
class Screened:
    """One work the search found, screened against the eligibility criteria: included (with its reference) or
    excluded with one reason."""

    id: str
    address: str
    title: str
    found_by: tuple[str, ...]
    decision: str  # included, excluded
    reason: str | None = None
    reference: str | None = None
    year: int | None = None
    notes: tuple[str, ...] = ()


GRADE_LEVELS = ("high", "moderate", "low", "very-low")


def level_words(level: str) -> str:
    """A GRADE level as a reader reads it: "very low"."""
    return level.replace("-", " ")
GRADE_DOMAINS = (("study_design", "Study design"), ("risk_of_bias", "Risk of bias"), ("inconsistency", "Inconsistency"),
                 ("indirectness", "Indirectness"), ("imprecision", "Imprecision"), ("publication_bias", "Publication bias"))


@dataclass(frozen=True)
class Certainty:
    """How certain the evidence behind a key message (or a topic's later findings) is, in GRADE's four levels,
    with a reason per domain: a judgement kept as data, dated, so that it can be re-judged as evidence is added."""

    id: str
    finding: str | None  # the key message judged
    later_topic: str | None  # or: the topic whose findings from later reports are judged together
    level: str  # high, moderate, low, very-low
    reasons: dict[str, str]  # GRADE domain -> reason
    judged_on: str
    notes: tuple[str, ...] = ()

    @property
    def level_words(self) -> str:
        return level_words(self.level)


@dataclass(frozen=True)
class Dataset:
    """Everything in data/, cross-checked. Lists are in a stable display order."""

    references: dict[str, Reference]
    series: tuple[Series, ...]
    patients: tuple[Patient, ...]
    group_statistics: tuple[GroupStatistic, ...]
    vocabularies: dict[str, Vocabulary]
    findings: tuple[Finding, ...] = ()
    searches: tuple[Search, ...] = ()  # the atlas's own search runs, oldest first
    screened: tuple[Screened, ...] = ()  # every work those searches found and were screened
    certainty: tuple[Certainty, ...] = ()  # GRADE judgements of key messages and of topics' later findings

    def reference(self, ref_id: str) -> Reference:
        return self.references[ref_id]

    @cached_property
    def series_by_reference(self) -> dict[str, list[Series]]:
        return _group(self.series)

    @cached_property
    def patients_by_reference(self) -> dict[str, list[Patient]]:
        return _group(self.patients)


def _group(records) -> dict:
    """Records by their reference id, each list in the dataset's display order."""
    grouped: dict = {}
    for record in records:
        grouped.setdefault(record.reference, []).append(record)
    return grouped
