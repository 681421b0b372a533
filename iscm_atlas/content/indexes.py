"""Indexes over the dataset that several parts of the site need, computed once per dataset: which primary
sites have a page, and each site's records (its series, cases, patients and findings)."""
from __future__ import annotations

from dataclasses import dataclass

from iscm_atlas.data.memo import per_dataset
from iscm_atlas.data.model import Dataset, Finding, Patient, Series


@per_dataset
def used_sites(ds: Dataset) -> list[str]:
    """Primary sites that any series, patient or finding mentions, in vocabulary order."""
    used = {k for s in ds.series for k in s.primary_sites} | {p.primary_site for p in ds.patients} | \
           {site for f in ds.findings for site in f.sites}
    return [t.id for t in ds.vocabularies["primary-sites"].terms if t.id in used]


@dataclass(frozen=True)
class SiteRecords:
    site: str
    series: tuple[Series, ...]  # surgically treated series that name the site
    patients: tuple[Patient, ...]
    findings: tuple[Finding, ...]

    @property
    def cases(self) -> int:
        """Surgically treated cases with this primary site."""
        return sum(s.primary_sites[self.site] for s in self.series)

    @property
    def publications(self) -> int:
        """Publications whose surgical series name this site."""
        return len({s.reference for s in self.series})


@per_dataset
def site_records(ds: Dataset) -> dict[str, SiteRecords]:
    """Every used site's records, for the sites table and the site pages alike (counted once, in one way)."""
    return {site: SiteRecords(site, tuple(s for s in ds.series if site in s.primary_sites),
                              tuple(p for p in ds.patients if p.primary_site == site),
                              tuple(f for f in ds.findings if site in f.sites)) for site in used_sites(ds)}


@per_dataset
def numbered_works(ds: Dataset) -> dict[str, list]:
    """The works known only by their number in another work's reference list, by that work's id, in number order
    (a reference page lists them: looked up per page, never by scanning every reference)."""
    listed: dict[str, list] = {}
    for ref in ds.references.values():
        if ref.review_ref and not ref.authors:
            listed.setdefault(ref.csl["iscm"]["metadata"].get("source"), []).append(ref)
    return {source: sorted(refs, key=lambda r: r.review_ref) for source, refs in listed.items()}


@per_dataset
def findings_citing(ds: Dataset) -> dict[str, list[Finding]]:
    """The findings that cite each work, in the findings' order."""
    citing: dict[str, list[Finding]] = {}
    for finding in ds.findings:
        for ref_id in dict.fromkeys(finding.citations):
            citing.setdefault(ref_id, []).append(finding)
    return citing
