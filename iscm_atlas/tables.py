"""Turn the Dataset into display tables: which columns, which rows, what each cell says.

All sorting, joining and wording happens here; `templates/table.html.j2` only lays the result out,
and every table on the site goes through that one template.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import urls
from .model import Dataset, Patient, Series
from .summary import BREAST, data_notes, figures

NOT_REPORTED = "n.a."
Link = Callable[[str], str]  # site path -> href relative to the page being rendered


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    sort: str | int | float | None = None
    notes: tuple[int, ...] = ()  # numbers of the table's footnotes this cell points to


@dataclass(frozen=True)
class Row:
    anchor: str | None
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    legend: tuple[str, ...] = field(default_factory=tuple)
    footnotes: tuple[str, ...] = ()  # footnote n is footnotes[n - 1]


class Footnotes:
    """Numbers each distinct note once per table, so a note shared by many rows is printed once."""

    def __init__(self):
        self.texts: list[str] = []

    def cell(self, texts) -> Cell:
        numbers = []
        for text in texts:
            if text not in self.texts:
                self.texts.append(text)
            numbers.append(self.texts.index(text) + 1)
        return Cell("", notes=tuple(numbers))


def _yes_no(value: bool | None) -> Cell:
    return Cell(NOT_REPORTED if value is None else ("yes" if value else "no"))


def _number(value) -> Cell:
    if value is None:
        return Cell(NOT_REPORTED, sort="")
    text = str(int(value)) if float(value).is_integer() else str(value)
    return Cell(text, sort=value)


def _counts(ds: Dataset, counts: dict[str, int], vocab: str) -> str:
    labels = ds.vocabularies[vocab]
    return ", ".join(f"{labels.label_of(k)} {n}" for k, n in counts.items())


def _reference_cells(ds: Dataset, ref_id: str, link: Link) -> dict[str, Cell]:
    ref = ds.references[ref_id]
    return {
        "reference": Cell(ref.label, href=link(urls.reference(ref_id)), sort=ref.label),
        "review_ref": _number(ref.review_ref) if ref.review_ref else Cell("", sort=""),
        "year": Cell(str(ref.year), sort=ref.year),
    }


REFERENCE_COLUMNS = (Column("reference", "Reference"), Column("review_ref", "Ref.", numeric=True),
                     Column("year", "Year", numeric=True))


def _notes_by_reference(ds: Dataset) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for note in data_notes(ds):
        notes.setdefault(note.reference, []).append("Data note: " + note.text)
    return notes


def series_sites_text(ds: Dataset, series: Series) -> str:
    parts = []
    if series.primary_sites:
        parts.append(_counts(ds, series.primary_sites, "primary-sites"))
    if series.unreported_sites:
        parts.append(f"{NOT_REPORTED} {series.unreported_sites}" if series.primary_sites else NOT_REPORTED)
    text = ", ".join(parts)
    if series.histology:
        text += f" (histology: {_counts(ds, series.histology, 'histologies')})"
    return text


def surgical_series_table(ds: Dataset, link: Link) -> Table:
    data_note_text = _notes_by_reference(ds)
    footnotes = Footnotes()
    rows = []
    for s in ds.series:
        cells = _reference_cells(ds, s.reference, link)
        cells["surgically_treated"] = _number(s.surgically_treated)
        cells["primary_sites"] = Cell(series_sites_text(ds, s))
        cells["notes"] = footnotes.cell((*s.notes, *data_note_text.get(s.reference, [])))
        rows.append(Row(urls.series_anchor(s.id), cells))
    columns = (*REFERENCE_COLUMNS, Column("surgically_treated", "Surgically treated", numeric=True),
               Column("primary_sites", "Primary site (or histology)"), Column("notes", "Notes"))
    legend = (f"{NOT_REPORTED}: not available (not reported by the source).",
              "Ref.: the number under which the 2010 review cites the publication.")
    return Table("surgical-series", "Surgically treated ISCM by publication", columns, tuple(rows), legend,
                 tuple(footnotes.texts))


def _survival(patient: Patient) -> Cell:
    cell = _number(patient.survival_months)
    if patient.alive is True and patient.survival_months is not None:
        return Cell(f"alive at {cell.text}", sort=cell.sort)
    return cell


def _level_legend(ds: Dataset) -> str:
    terms = ds.vocabularies["spinal-levels"].terms
    return "Level: " + ", ".join(f"{t.abbreviation or t.id}: {t.label}" for t in terms) + "."


def breast_carcinoma_table(ds: Dataset, link: Link) -> Table:
    levels = ds.vocabularies["spinal-levels"]
    outcomes = ds.vocabularies["outcomes"]
    group_notes: dict[str, list[str]] = {}
    for group in ds.group_statistics:
        stats = group.survival_months
        span = f", range {stats['min']:g}–{stats['max']:g}" if "min" in stats and "max" in stats else ""
        text = f"Survival reported for the group of {len(group.patients)} only: median {stats['median']:g} months{span}."
        for pid in group.patients:
            group_notes.setdefault(pid, []).append(text)
    data_note_text = _notes_by_reference(ds)
    footnotes = Footnotes()
    rows = []
    for p in ds.patients:
        if p.primary_site != BREAST:
            continue
        cells = _reference_cells(ds, p.reference, link)
        level_text = ", ".join(levels.term(l).abbreviation or levels.label_of(l) for l in p.level) if p.level else NOT_REPORTED
        cells.update({
            "age": _number(p.age),
            "level": Cell(level_text),
            "surgery": _yes_no(p.surgery),
            "radiotherapy": _yes_no(p.radiotherapy),
            "chemotherapy": _yes_no(p.chemotherapy),
            "outcome": Cell(outcomes.label_of(p.outcome).lower() if p.outcome else NOT_REPORTED),
            "survival": _survival(p),
            "notes": footnotes.cell((*p.notes, *group_notes.get(p.id, []), *data_note_text.get(p.reference, []))),
        })
        rows.append(Row(urls.patient_anchor(p.id), cells))
    columns = (*REFERENCE_COLUMNS, Column("age", "Age (years)", numeric=True), Column("level", "Level"),
               Column("surgery", "Surgery"), Column("radiotherapy", "RT"), Column("chemotherapy", "ChT"),
               Column("outcome", "Outcome"), Column("survival", "Survival (months)", numeric=True), Column("notes", "Notes"))
    legend = (f"{NOT_REPORTED}: not available (not reported by the source).", "RT: radiotherapy. ChT: chemotherapy.",
              "Outcome: neurological status after treatment.", _level_legend(ds),
              "Survival: months to death, or “alive at N” months at last follow-up.")
    return Table("breast-carcinoma", "ISCM of breast carcinoma, patient by patient", columns, tuple(rows), legend,
                 tuple(footnotes.texts))


def summary_table(ds: Dataset) -> Table:
    rows = tuple(Row(f"figure-{f.id}", {"label": Cell(f.label), "value": Cell(str(f.value), sort=str(f.value)),
                                         "how": Cell(f.how)}) for f in figures(ds).values())
    columns = (Column("label", "Figure"), Column("value", "Value", numeric=True), Column("how", "How it is counted"))
    return Table("summary", "Summary figures, computed from the case data", columns, rows)


TABLES = {"surgical-series": surgical_series_table, "breast-carcinoma": breast_carcinoma_table}


@dataclass(frozen=True)
class BibliographyEntry:
    anchor: str
    label: str
    year: int
    review_ref: int | None
    authors: str
    title: str | None
    container: str | None
    locator: str | None
    doi_url: str | None
    doi: str | None
    pubmed_url: str | None
    pmid: str | None
    confidence: str
    source: str
    notes: tuple[str, ...]
    series: int
    patients: int


def _locator(csl: dict) -> str | None:
    """"154(2):117-122" from whichever of volume, issue and pages are known."""
    text = str(csl.get("volume", ""))
    if "issue" in csl:
        text += f"({csl['issue']})"
    pages = csl.get("page") or csl.get("page-first")
    if pages:
        text += f":{pages}"
    return text or None


def bibliography_entries(ds: Dataset) -> list[BibliographyEntry]:
    entries = []
    for ref in sorted(ds.references.values(), key=lambda r: (r.first_author["family"].lower(), r.year, r.id)):
        csl, meta = ref.csl, ref.csl["iscm"]["metadata"]
        names = [" ".join(p for p in (a["family"], "".join(c for c in a.get("given", "") if c.isupper()), a.get("suffix", "")) if p)
                 for a in csl["author"]]
        authors = ", ".join(names) + (", et al." if csl["iscm"].get("et_al") else "")
        entries.append(BibliographyEntry(
            anchor=f"ref-{ref.id}", label=ref.label, year=ref.year, review_ref=ref.review_ref, authors=authors,
            title=csl.get("title"), container=csl.get("container-title"), locator=_locator(csl),
            doi_url=f"https://doi.org/{csl['DOI']}" if "DOI" in csl else None, doi=csl.get("DOI"),
            pubmed_url=f"https://pubmed.ncbi.nlm.nih.gov/{csl['PMID']}/" if "PMID" in csl else None, pmid=csl.get("PMID"),
            confidence=meta["confidence"], source=meta["source"], notes=ref.notes,
            series=sum(1 for s in ds.series if s.reference == ref.id),
            patients=sum(1 for p in ds.patients if p.reference == ref.id)))
    return entries
