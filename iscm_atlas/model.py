"""Typed, read-only records of the evidence, built once the files have passed every check."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a record was read: a document (a reference id) and, where it has them, table and row."""

    document: str
    table: int | None = None
    row: int | None = None
    page: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("document", self.document), ("table", self.table), ("row", self.row), ("page", self.page)) if v is not None}


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
    def year(self) -> int:
        return self.csl["issued"]["date-parts"][0][0]

    @property
    def first_author(self) -> dict[str, str]:
        return self.csl["author"][0]

    @property
    def review_ref(self) -> int | None:
        return self.csl["iscm"].get("review_ref")

    @property
    def et_al(self) -> bool:
        return self.csl["iscm"].get("et_al", False) or len(self.csl["author"]) > 1

    @property
    def label(self) -> str:
        """Vancouver-style first author, as the review's tables print it: "Connolly ES Jr et al."."""
        author = self.first_author
        initials = "".join(ch for ch in author.get("given", "") if ch.isupper())
        parts = [author["family"], initials, author.get("suffix", "")]
        name = " ".join(p for p in parts if p)
        return f"{name} et al." if self.et_al else name

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
class Dataset:
    """Everything in data/, cross-checked. Lists are in a stable display order."""

    references: dict[str, Reference]
    series: tuple[Series, ...]
    patients: tuple[Patient, ...]
    group_statistics: tuple[GroupStatistic, ...]
    vocabularies: dict[str, Vocabulary]

    def reference(self, ref_id: str) -> Reference:
        return self.references[ref_id]
