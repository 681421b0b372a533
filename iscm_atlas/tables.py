"""Turn the Dataset into display tables: which columns, which rows, what each cell says.

All sorting, joining and wording happens here; `templates/table.html.j2` only lays the result out,
and every table on the site goes through that one template.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import urls
from .fieldref import field_docs
from .findings import format_finding
from .memo import per_dataset
from .model import Dataset, Finding, Patient, Series
from .summary import BREAST, data_notes, figures, review_label

NOT_REPORTED = "n.a."
Link = Callable[[str], str]  # site path -> href relative to the page being rendered


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    sortable: bool = True
    code: bool = False  # show the cell text as code (field names, ids)


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    sort: str | int | float | None = None
    notes: tuple[int, ...] = ()  # numbers of the table's footnotes this cell points to
    links: tuple[tuple[str, str], ...] = ()  # (text, href) pairs, shown after the text, separated by "; "


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
        "year": Cell(str(ref.year or NOT_REPORTED), sort=ref.year or ""),
    }


REFERENCE_COLUMNS = (Column("reference", "Reference"), Column("review_ref", "Ref.", numeric=True),
                     Column("year", "Year", numeric=True))
NOTES_COLUMN = Column("notes", "Notes", sortable=False)


@per_dataset
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


def surgical_series_table(ds: Dataset, link: Link, series: list[Series] | None = None) -> Table:
    """Table 1 of the review, and any series added since; or only the `series` given (e.g. one reference's)."""
    data_note_text = _notes_by_reference(ds)
    footnotes = Footnotes()
    rows = []
    for s in ds.series if series is None else series:
        cells = _reference_cells(ds, s.reference, link)
        cells["surgically_treated"] = _number(s.surgically_treated)
        cells["primary_sites"] = Cell(series_sites_text(ds, s))
        cells["notes"] = footnotes.cell((*s.notes, *data_note_text.get(s.reference, [])))
        rows.append(Row(urls.series_anchor(s.id), cells))
    columns = (*REFERENCE_COLUMNS, Column("surgically_treated", "Surgically treated", numeric=True),
               Column("primary_sites", "Primary site (or histology)"), NOTES_COLUMN)
    legend = (f"{NOT_REPORTED}: not available (not reported by the source).",
              f"Ref.: the number under which {review_label(ds)} cites the publication.")
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


def patients_table(ds: Dataset, link: Link, patients: list[Patient] | None = None,
                   caption: str = "Patients, one by one", table_id: str = "patients") -> Table:
    """Patient records with treatment, outcome and survival: all of them, or the `patients` given."""
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
    for p in ds.patients if patients is None else patients:
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
               Column("outcome", "Outcome"), Column("survival", "Survival (months)", numeric=True), NOTES_COLUMN)
    legend = (f"{NOT_REPORTED}: not available (not reported by the source).", "RT: radiotherapy. ChT: chemotherapy.",
              "Outcome: neurological status after treatment.", _level_legend(ds),
              "Survival: months to death, or “alive at N” months at last follow-up.")
    return Table(table_id, caption, columns, tuple(rows), legend, tuple(footnotes.texts))


def breast_carcinoma_table(ds: Dataset, link: Link) -> Table:
    """Table 2 of the review, and any breast-carcinoma patient added since."""
    return patients_table(ds, link, [p for p in ds.patients if p.primary_site == BREAST],
                          "ISCM of breast carcinoma, patient by patient", "breast-carcinoma")


def summary_table(ds: Dataset) -> Table:
    rows = tuple(Row(f"figure-{f.id}", {"label": Cell(f.label), "value": Cell(str(f.value), sort=str(f.value)),
                                         "how": Cell(f.how)}) for f in figures(ds).values())
    columns = (Column("label", "Figure"), Column("value", "Value", numeric=True), Column("how", "How it is counted"))
    return Table("summary", "Summary figures, computed from the case data", columns, rows)


def citation_links(ds: Dataset, ref_ids, link: Link) -> tuple[tuple[str, str], ...]:
    return tuple((ds.references[r].citation_label, link(urls.reference(r))) for r in ref_ids)


def findings_table(ds: Dataset, link: Link, findings: list[Finding], caption: str = "Key figures",
                   table_id: str = "key-figures") -> Table:
    """The findings of a topic (or of a site, or citing a reference), each with its anchor and citations."""
    footnotes = Footnotes()
    rows = tuple(Row(urls.finding_anchor(f.id), {
        "label": Cell(f.label, href=None),
        "value": Cell(format_finding(f)),
        "cited": Cell("", links=citation_links(ds, f.citations, link)),
        "notes": footnotes.cell(f.notes),
    }) for f in findings)
    columns = (Column("label", "Finding"), Column("value", "Value"), Column("cited", "Cited works", sortable=False),
               NOTES_COLUMN)
    return Table(table_id, caption, columns, rows, (), tuple(footnotes.texts))


def _author_order(ref) -> tuple:
    """First author, then year; works known only by number come last, in number order."""
    if not ref.authors:
        return ("~", f"{ref.review_ref or 0:06d}")
    return (ref.authors[0]["family"].lower(), str(ref.year or ""))


def bibliography_table(ds: Dataset, link: Link) -> Table:
    """Every reference, sortable by author and year; each links to its own page."""
    rows = []
    for ref in sorted(ds.references.values(), key=_author_order):
        csl = ref.csl
        rows.append(Row(f"ref-{ref.id}", {
            "reference": Cell(ref.label, href=link(urls.reference(ref.id)), sort="|".join(map(str, _author_order(ref)))),
            "year": Cell(str(ref.year or NOT_REPORTED), sort=ref.year or ""),
            "title": Cell(csl.get("title", NOT_REPORTED)),
            "journal": Cell(csl.get("container-title", NOT_REPORTED)),
            "review_ref": _number(ref.review_ref) if ref.review_ref else Cell("", sort=""),
            "metadata": Cell(ref.confidence),
        }))
    columns = (Column("reference", "First author"), Column("year", "Year", numeric=True), Column("title", "Title"),
               Column("journal", "Journal"), Column("review_ref", "Ref.", numeric=True), Column("metadata", "Metadata"))
    legend = (f"Ref.: the number under which {review_label(ds)} cites the work.",
              "Metadata: number-only (the review gives only its number), seed-only (only what the review's tables print), "
              "partial or verified (read from the public record named on the reference's page).",
              f"{NOT_REPORTED}: not known yet.")
    return Table("bibliography", "All references", tuple(columns), tuple(rows), legend)


@per_dataset
def used_sites(ds: Dataset) -> list[str]:
    """Primary sites that any series, patient or finding mentions, in vocabulary order."""
    used = {k for s in ds.series for k in s.primary_sites} | {p.primary_site for p in ds.patients} | \
           {site for f in ds.findings for site in f.sites}
    return [t.id for t in ds.vocabularies["primary-sites"].terms if t.id in used]


def sites_table(ds: Dataset, link: Link) -> Table:
    """One row per primary site with its counts; each links to the site's page."""
    labels = ds.vocabularies["primary-sites"]
    rows = []
    for site_id in used_sites(ds):
        series = [s for s in ds.series if site_id in s.primary_sites]
        rows.append(Row(f"site-{site_id}", {
            "site": Cell(labels.label_of(site_id), href=link(urls.site(site_id)), sort=labels.label_of(site_id)),
            "cases": _number(sum(s.primary_sites[site_id] for s in series)),
            "publications": _number(len({s.reference for s in series})),
            "patients": _number(sum(1 for p in ds.patients if p.primary_site == site_id)),
            "findings": _number(sum(1 for f in ds.findings if site_id in f.sites)),
        }))
    columns = (Column("site", "Primary site"), Column("cases", "Surgically treated cases", numeric=True),
               Column("publications", "Publications (surgical)", numeric=True),
               Column("patients", "Patient records", numeric=True), Column("findings", "Findings", numeric=True))
    legend = (f"Counts include the own case of {review_label(ds)}. A series whose primary sites are not reported counts under no site.",)
    return Table("sites", "Primary sites", columns, tuple(rows), legend)


def field_reference_table(schema_dir, kind: str, title: str) -> Table:
    """One file kind's fields, straight from its JSON Schema (see iscm_atlas/fieldref.py)."""
    rows = tuple(Row(f"field-{kind}-{re.sub(r'[^a-z0-9]+', '-', d.path.lower()).strip('-')}", {
        "field": Cell(d.path), "required": Cell("yes" if d.required else "no"), "type": Cell(d.type),
        "description": Cell(d.description)}) for d in field_docs(schema_dir, kind))
    columns = (Column("field", "Field", code=True), Column("required", "Required"), Column("type", "Type"),
               Column("description", "What to write"))
    return Table(f"fields-{kind}", title, columns, rows)


def columns_table(kind: str, columns) -> Table:
    """The documented columns of a CSV export."""
    rows = tuple(Row(f"column-{kind}-{name.replace('_', '-')}", {"name": Cell(name), "description": Cell(text)})
                 for name, text in columns)
    return Table(f"columns-{kind}", f"Columns of {kind}.csv", (Column("name", "Column", code=True, sortable=False),
                 Column("description", "What it holds", sortable=False)), rows)


def figure_table(figure) -> Table:
    """The numbers an evidence figure shows, as a table under it."""
    labels = 2 if figure.kind == "stacked" else 1  # leading columns that name the row; the rest are numbers
    columns = tuple(Column(f"c{i}", name, numeric=i >= labels) for i, name in enumerate(figure.columns))
    rows = tuple(Row(None, {f"c{i}": Cell(v) for i, v in enumerate(row)}) for row in figure.rows)
    return Table(f"figure-data-{figure.id}", f"Numbers behind: {figure.title}", columns, rows)


TABLES = {"surgical-series": surgical_series_table, "breast-carcinoma": breast_carcinoma_table}
