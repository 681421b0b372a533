"""What a generated page shows: one per reference and one per primary site.

Python gathers everything each page needs (tables, backlinks, counts); the templates
`reference-page.md.j2` and `site-page.md.j2` only lay it out.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from iscm_atlas.content import tables, urls
from iscm_atlas.content.citations import CitationRegister
from iscm_atlas.content.fieldref import END, KINDS, START
from iscm_atlas.content.indexes import findings_citing, numbered_works, site_records, used_sites
from iscm_atlas.content.population import describe_patients, patient_sources_note, plural, sources_phrase
from iscm_atlas.content.summary import is_own_case
from iscm_atlas.content.tables import Link, Table
from iscm_atlas.content.wording import NOT_REPORTED, a_primary, collecting_documents, metadata_words, review_label, yes_no
from iscm_atlas.data.model import Dataset, Reference
from iscm_atlas.data.names import name_vancouver


@dataclass(frozen=True)
class Field:
    label: str
    text: str
    href: str | None = None
    searchable: bool = True  # False: apparatus the same on every page, kept out of the search index


@dataclass(frozen=True)
class Backlink:
    text: str
    href: str


RECORD_TITLE = "Atlas record of"  # a reference page is the atlas's record of a work, not the work itself


@dataclass(frozen=True)
class ReferencePage:
    label: str  # the work's citation label: the page's title after its lead, and the title of its search entry
    fields: tuple[Field, ...]
    downloads: tuple[Backlink, ...]
    notes: tuple[str, ...]
    tables: tuple[Table, ...]
    cited_on: tuple[Backlink, ...]
    rows: tuple[Backlink, ...]
    sites: tuple[Backlink, ...]
    own_cases: tuple[str, ...] = ()
    cited_by_number: tuple[Backlink, ...] = ()  # works this one cites only by number, each with its page
    cited_by_number_anchor: str = urls.CITED_BY_NUMBER
    record_ids: tuple[tuple[str, str], ...] = ()  # ("surgical series", "lee-2007-s1"), ...: where a record's id is found
    lead: str = RECORD_TITLE  # out of the search entry's title: the same words on thousands of pages find nothing

    @property
    def title(self) -> str:
        return f"{self.lead} {self.label}"


def _metadata_fields(ds: Dataset, ref: Reference, link: Link) -> list[Field]:
    csl, iscm = ref.csl, ref.csl["iscm"]
    fields = []
    authors = ", ".join(name_vancouver(a) for a in ref.authors) + (", et al." if ref.et_al else "") if ref.authors else ""
    if authors:
        fields.append(Field("Authors", authors))
    for key, label in (("title", "Title"), ("container-title", "Journal")):
        if key in csl:
            fields.append(Field(label, csl[key]))
    if ref.year:
        fields.append(Field("Year", str(ref.year)))
    fields.append(Field("Atlas id", ref.id))
    locator = volume_issue_pages(csl)
    if locator:
        fields.append(Field("Volume, issue, pages", locator, searchable=False))
    if "DOI" in csl:
        fields.append(Field("DOI", csl["DOI"], f"https://doi.org/{quote(csl['DOI'], safe='/:;().,-_')}"))
    if "PMID" in csl:
        fields.append(Field("PubMed", csl["PMID"], f"https://pubmed.ncbi.nlm.nih.gov/{csl['PMID']}/"))
    if ref.review_ref:
        fields.append(Field(f"Cited in {review_label(ds)} as", f"reference {ref.review_ref}", searchable=False))
    if "printed_as" in iscm:  # searchable where it adds words to the entry's, authors and label (a misspelling)
        printed = iscm["printed_as"]
        known = _words(authors) | _words(ref.citation_label)
        fields.append(Field("Printed in the review as", printed, searchable=not _words(printed) <= known))
    if iscm.get("design"):
        fields.append(Field("Study design", iscm["design"].replace("-", " "), searchable=False))
    meta = iscm["metadata"]
    if meta.get("text"):
        read = "the full text" if meta["text"] == "full-text" else "the abstract only"
        fields.append(Field("Case data read from", f"{read}{', on ' + meta['read_on'] if meta.get('read_on') else ''}",
                            searchable=False))
    extraction = iscm.get("extraction")
    if extraction:
        fields.append(Field("Readings", f"{extraction['readings']} independent readings; {extraction['agreed']} of "
                                        f"{extraction['values']} values alike at first", searchable=False))
    fields.append(Field("Bibliographic record", f"{metadata_words(meta['confidence'])}"
                                                f"{' (secondary citation)' if meta.get('secondary') else ''}",
                        searchable=False))
    source = meta["source"]
    if source in ds.references:  # read from another work of the atlas, e.g. the citing review
        fields.append(Field("Read from", ds.references[source].citation_label, link(urls.reference(source)), False))
    else:
        fields.append(Field("Read from", source, searchable=False))
    return fields


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def volume_issue_pages(csl: dict) -> str | None:
    """"154(2):117-122" from whichever of volume, issue and pages are known."""
    text = str(csl.get("volume", ""))
    if "issue" in csl:
        text += f"({csl['issue']})"
    pages = csl.get("page") or csl.get("page-first")
    if pages:
        text += f":{pages}"
    return text or None


def reference_page(ds: Dataset, ref_id: str, link: Link, register: CitationRegister,
                   row_page: Callable[[str, str], str] = lambda page, anchor: page) -> ReferencePage:
    """`row_page(page, anchor)`: the page that shows a row of `page`'s table (itself, unless the table is cut)."""
    ref = ds.references[ref_id]
    own_series = ds.series_by_reference.get(ref_id, [])
    own_patients = ds.patients_by_reference.get(ref_id, [])
    page_tables = []
    if own_series:  # the publication's data notes are printed once, under its notes, not under each of its tables
        page_tables.append(tables.surgical_series_table(ds, link, own_series, with_data_notes=False))
    if own_patients:
        page_tables.append(tables.patients_table(ds, link, own_patients, "Patients reported in this publication",
                                                 with_data_notes=False))
    appraisal = tables.appraisal_table(ds, ref)
    if appraisal is not None:
        page_tables.append(appraisal)
    citing_findings = findings_citing(ds).get(ref_id, [])
    if citing_findings:
        page_tables.append(tables.findings_table(ds, link, citing_findings, "Findings that cite this work", "citing-findings"))
    cited_on = [Backlink(c.title, link(c.page_url)) for c in register.citing(ref_id)]
    rows = [Backlink(f"{'Surgical series table (the review’s Table 1)' if tables.from_review(ds, s) else 'Series from other publications'}"
                     f", row of {ref.citation_label}", link(_row(row_page, urls.SURGICAL_SERIES, urls.series_anchor(s.id))))
            for s in own_series]
    rows += [Backlink(f"Breast-carcinoma table (the review’s Table 2), patient {p.id}",
                      link(_row(row_page, urls.BREAST_CARCINOMA, urls.patient_anchor(p.id))))
             for p in own_patients if p.primary_site == tables.BREAST and tables.from_review(ds, p)]
    rows += [Backlink(f"All patients table, patient {p.id}", link(_row(row_page, urls.ALL_PATIENTS, urls.patient_anchor(p.id))))
             for p in own_patients]
    rows += [Backlink(f"Key figures: {f.label}", link(urls.finding(f.id, f.topic))) for f in citing_findings]
    site_ids = {k for s in own_series for k in s.primary_sites} | {p.primary_site for p in own_patients}
    labels = ds.vocabularies["primary-sites"]
    sites = [Backlink(labels.label_of(s), link(urls.site(s))) for s in used_sites(ds) if s in site_ids]
    downloads = (Backlink("BibTeX", link(urls.reference_bib(ref_id))), Backlink("RIS", link(urls.reference_ris(ref_id)))) \
        if ref.citable else ()
    numbered = numbered_works(ds).get(ref_id, [])
    notes = (*ref.notes, *tables.data_notes_of(ds, ref_id))
    return ReferencePage(ref.citation_label, tuple(_metadata_fields(ds, ref, link)), downloads, notes, tuple(page_tables),
                         tuple(cited_on), tuple(rows), tuple(sites), own_cases(ds, own_patients),
                         tuple(Backlink(f"Reference {r.review_ref}", link(urls.reference(r.id))) for r in numbered),
                         record_ids=_record_ids(own_series, own_patients))


def _row(row_page: Callable[[str, str], str], page: str, anchor: str) -> str:
    return f"{row_page(page, anchor)}#{anchor}"


def _record_ids(series, patients) -> tuple[tuple[str, str], ...]:
    """The ids of a work's records, each kind with its ids, as text on its page: search finds a record by its id
    there (the kinds' names are left out of the index: the same words on thousands of pages find nothing)."""
    parts = []
    if series:
        parts.append(("surgical series", ", ".join(s.id for s in series)))
    if patients:
        parts.append((f"patient{'s' if len(patients) > 1 else ''}", ", ".join(p.id for p in patients)))
    return tuple(parts)


def contribute_page(guide_markdown: str, schema_dir, table_html) -> str:
    """CONTRIBUTING.md as a site page; its field reference block is shown as the site's tables (sortable,
    each field with its own anchor) instead of the Markdown tables the file carries."""
    parts = []
    for kind, title, path in KINDS:
        parts.append(f"### {title}\n\nPath: `{path}`\n\n{table_html(tables.field_reference_table(schema_dir, kind, title))}\n")
    if START not in guide_markdown or END not in guide_markdown:
        raise ValueError(f"CONTRIBUTING.md lost its {START} ... {END} markers")
    head, rest = guide_markdown.split(START, 1)
    return head + "\n".join(parts) + rest.split(END, 1)[1]


@dataclass(frozen=True)
class SitePage:
    title: str
    counts: tuple[str, ...]  # sentences, each naming what it counts and where the records come from
    own_cases: tuple[str, ...]
    tables: tuple[Table, ...]
    all_patients: Backlink | None = None  # the All patients table narrowed to this site (its facet in the address)


def own_case_text(ds: Dataset, patient) -> str:
    """A collecting review's own patient told in a sentence, every fact from the record."""
    ref = ds.references[patient.reference]
    levels = ds.vocabularies["spinal-levels"]
    where = " and ".join(levels.label_of(level).lower() for level in patient.level) if patient.level else NOT_REPORTED
    outcome = ds.vocabularies["outcomes"].label_of(patient.outcome).lower() if patient.outcome else NOT_REPORTED
    if patient.survival_months is None:
        survival = NOT_REPORTED
    elif patient.alive:
        survival = f"alive at {patient.survival_months:g} months at last follow-up"
    else:
        survival = f"{patient.survival_months:g} months, read as death at that time"
    age = f"aged {patient.age}" if patient.age is not None else f"age {NOT_REPORTED}"
    return (f"{ref.citation_label} reports one patient of its own beside the literature it collects: {age}, with the "
            f"metastasis at the {where}; surgery of the metastasis: {yes_no(patient.surgery)}; radiotherapy: "
            f"{yes_no(patient.radiotherapy)}; chemotherapy: {yes_no(patient.chemotherapy)}; neurological outcome: "
            f"{outcome}; survival: {survival}.")


def own_cases(ds: Dataset, patients) -> tuple[str, ...]:
    collecting = collecting_documents(ds)
    return tuple(own_case_text(ds, p) for p in patients if is_own_case(p, collecting))


def site_page(ds: Dataset, site_id: str, link: Link) -> SitePage:
    records = site_records(ds)[site_id]
    series, patients, findings = list(records.series), list(records.patients), list(records.findings)
    label = ds.vocabularies["primary-sites"].label_of(site_id).lower()
    counts = []
    if series:
        cases = records.cases
        counts.append(f"{plural(cases, 'surgically treated case')} with {a_primary(label)} in {plural(records.publications, 'publication')} "
                      f"({sources_phrase(ds, series)}).")
    else:
        counts.append(f"No surgically treated series in the data names {a_primary(label)}.")
    if patients:
        counts.append(f"{describe_patients(ds, patients)}, one row each.")
    elif ds.patients:
        counts.append("The data holds no individual patient record with this primary site. " + patient_sources_note(ds))
    page_tables = []
    if series:
        page_tables.append(tables.surgical_series_table(ds, link, series))
    if patients:
        page_tables.append(tables.patients_table(ds, link, patients))
    if findings:
        page_tables.append(tables.findings_table(ds, link, findings, "Findings about this primary site", "site-findings"))
    these = "This patient record" if len(patients) == 1 else f"These {len(patients)} patient records"
    everyone = Backlink(f"{these} in the All patients table, with every other primary site a click away", f"{link(urls.ALL_PATIENTS)}?site={quote(site_id)}") if patients else None
    return SitePage(ds.vocabularies["primary-sites"].label_of(site_id), tuple(counts), own_cases(ds, patients),
                    tuple(page_tables), everyone)
