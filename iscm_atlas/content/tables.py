"""Turn the Dataset into display tables: which columns, which rows, what each cell says.

All sorting, joining and wording happens here; `templates/table.html.j2` only lays the result out,
and every table on the site goes through that one template.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from iscm_atlas.content import urls
from iscm_atlas.content.citations import citation_links
from iscm_atlas.content.fieldref import field_docs
from iscm_atlas.content.findings import format_finding
from iscm_atlas.content.indexes import site_records
from iscm_atlas.content.population import describe_series, patient_sources_note
from iscm_atlas.content.summary import BREAST, data_notes, figures, percent
from iscm_atlas.content.wording import NOT_AVAILABLE, NOT_AVAILABLE_LEGEND, collecting_documents, metadata_words, review_label
from iscm_atlas.data.memo import per_dataset
from iscm_atlas.data.model import GRADE_DOMAINS, GRADE_LEVELS, Dataset, Finding, GroupStatistic, Patient, Series, level_words

NOT_REPORTED = NOT_AVAILABLE  # what a cell shows for a value the source does not report
Link = Callable[[str], str]  # site path -> href relative to the page being rendered


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header as shown: compact where space is short ("Surg.")
    numeric: bool = False
    sortable: bool = True
    code: bool = False  # show the cell text as code (field names, ids)
    full: str | None = None  # the header spelled out, for the legend, the tooltip and the phone layout
    explain: str | None = None  # what the column means, printed in the legend only when the column is shown

    @property
    def name(self) -> str:
        """The column's full name: what a cell is labelled with where the header is out of sight."""
        return self.full or self.label


@dataclass(frozen=True)
class Facet:
    """A filter over a table's rows by one field's exact values (e.g. surgery: yes, no, n.a.)."""

    key: str  # also the URL parameter (?surgery=yes)
    label: str
    options: tuple[tuple[str, str, int], ...]  # (value, label, rows with it), in display order


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
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet key -> this row's values
    sources: tuple[str, ...] = ()  # ids of the works the row's facts were first published in (to cite them)


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    legend: tuple[str, ...] = field(default_factory=tuple)
    footnotes: tuple[str, ...] = ()  # footnote n is footnotes[n - 1]
    facets: tuple[Facet, ...] = ()
    counted: tuple[str, str] = ("row", "rows")  # what a row is, for the counts beside each filter's options

    def count_words(self, n: int) -> str:
        """"15 publication rows", "1 patient record": a filter option's count says what it counts."""
        return f"{n} {self.counted[0] if n == 1 else self.counted[1]}"

    @property
    def legend_lines(self) -> tuple[str, ...]:
        """The legend of the columns shown: abbreviations spelled out, what a column means, then the
        table's own lines. A dropped column takes its explanation with it."""
        lines = []
        for c in self.columns:
            if c.full and c.full != c.label:
                lines.append(f"{c.label}: {c.full[0].lower() + c.full[1:]}" + (f"; {c.explain}" if c.explain else "."))
            elif c.explain:
                lines.append(f"{c.label}: {c.explain}")
        return (*lines, *self.legend)

    def parts(self, size: int) -> tuple[Table, ...]:
        """The table cut into parts of at most `size` rows (a page a phone can hold), each with every column,
        facet, legend line and note of the whole table."""
        whole = self.without_empty_columns()
        return tuple(replace(whole, rows=whole.rows[i:i + size]) for i in range(0, len(whole.rows), size)) or (whole,)

    def without_empty_columns(self) -> Table:
        """The table less every column in which no row says anything (e.g. no work has a review number)."""
        def empty(column):
            return all(not (r.cells[column.key].text.strip() or r.cells[column.key].href or r.cells[column.key].links
                            or r.cells[column.key].notes) for r in self.rows)
        keep = tuple(c for c in self.columns if not empty(c))
        if len(keep) == len(self.columns) or not self.rows:
            return self
        return replace(self, columns=keep)


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


DOUBTFUL = "as printed, doubtful"  # a value the source prints but that looks misprinted (Patient.doubtful)


def _yes_no(value: bool | None, doubtful: bool = False) -> Cell:
    text = NOT_REPORTED if value is None else ("yes" if value else "no")
    return Cell(f"{text} ({DOUBTFUL})" if doubtful else text)


def _yes_no_facet(value: bool | None) -> tuple[str, ...]:
    return (NOT_REPORTED_VALUE if value is None else ("yes" if value else "no"),)


NOT_REPORTED_VALUE = "not-reported"  # the facet value of "n.a.": never the same as "no"
YES_NO_OPTIONS = (("yes", "yes"), ("no", "no"), (NOT_REPORTED_VALUE, NOT_REPORTED))


def _number(value) -> Cell:
    if value is None:
        return Cell(NOT_REPORTED, sort="")
    text = str(int(value)) if float(value).is_integer() else str(value)
    return Cell(text, sort=value)


def _counts(ds: Dataset, counts: dict[str, int], vocab: str) -> str:
    labels = ds.vocabularies[vocab]
    return ", ".join(f"{labels.label_of(k)} {n}" for k, n in counts.items())


def make_facets(rows, specs) -> tuple[Facet, ...]:
    """Facets over `rows`: for each (key, label, options) spec, the options some row has, with counts. A
    facet with fewer than two options would filter nothing and is left out (so is every facet of a table
    of one row)."""
    facets = []
    for key, label, options in specs:
        counted = tuple((value, text, sum(1 for r in rows if value in r.facets.get(key, ()))) for value, text in options)
        present = tuple(o for o in counted if o[2])
        if len(present) > 1 and len(rows) > 1:
            facets.append(Facet(key, label, present))
    return tuple(facets)


def _site_options(ds: Dataset) -> tuple[tuple[str, str], ...]:
    return (*((t.id, t.label) for t in ds.vocabularies["primary-sites"].terms), (NOT_REPORTED_VALUE, NOT_REPORTED))


def _reference_cells(ds: Dataset, ref_id: str, link: Link) -> dict[str, Cell]:
    ref = ds.references[ref_id]
    return {
        "reference": Cell(ref.label, href=link(urls.reference(ref_id)), sort=ref.label),
        "review_ref": _number(ref.review_ref) if ref.review_ref else Cell("", sort=""),
        "year": Cell(str(ref.year or NOT_REPORTED), sort=ref.year or ""),
    }


def _reference_columns(ds: Dataset) -> tuple[Column, ...]:
    return (Column("reference", "Reference"),
            Column("review_ref", "Ref.", numeric=True, full=f"Reference number in {review_label(ds)}",
                   explain=f"the number under which {review_label(ds)} cites the publication."),
            Column("year", "Year", numeric=True))


NOTES_COLUMN = Column("notes", "Notes", sortable=False)
NOT_REPORTED_LEGEND = NOT_AVAILABLE_LEGEND


def data_notes_of(ds: Dataset, ref_id: str) -> list[str]:
    """The data notes about one publication's records, as its tables print them."""
    return list(_notes_by_reference(ds).get(ref_id, []))


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


def _series_site_values(series: Series) -> tuple[str, ...]:
    return (*series.primary_sites, *((NOT_REPORTED_VALUE,) if series.unreported_sites else ()))


def surgical_series_table(ds: Dataset, link: Link, series: list[Series] | None = None,
                          caption: str = "Surgically treated ISCM by publication", table_id: str = "surgical-series",
                          with_data_notes: bool = True) -> Table:
    """Table 1 of the review, and any series added since; or only the `series` given (e.g. one reference's).
    `with_data_notes=False` where the page prints the publication's data notes once itself (a reference page)."""
    data_note_text = _notes_by_reference(ds) if with_data_notes else {}
    footnotes = Footnotes()
    rows = []
    for s in ds.series if series is None else series:
        cells = _reference_cells(ds, s.reference, link)
        cells["surgically_treated"] = _number(s.surgically_treated)
        cells["primary_sites"] = Cell(series_sites_text(ds, s))
        cells["notes"] = footnotes.cell((*s.notes, *data_note_text.get(s.reference, [])))
        rows.append(Row(urls.series_anchor(s.id), cells, {"site": _series_site_values(s)}, (s.reference,)))
    columns = (*_reference_columns(ds), Column("surgically_treated", "Operated", numeric=True,
                                               full="Surgically treated (patients)"),
               Column("primary_sites", "Primary site (or histology)"), NOTES_COLUMN)
    return Table(table_id, caption, columns, tuple(rows), (NOT_REPORTED_LEGEND,),
                 tuple(footnotes.texts), make_facets(rows, (("site", "Primary site", _site_options(ds)),)),
                 ("publication row", "publication rows"))


@per_dataset
def _groups_by_patient(ds: Dataset) -> dict[str, GroupStatistic]:
    """Patient id -> the group statistic that gives the survival of that patient's group."""
    return {pid: group for group in ds.group_statistics for pid in group.patients}


def group_survival_text(group: GroupStatistic) -> str:
    """"median 13 (2–27)": a group's survival as the source gives it."""
    stats = group.survival_months
    span = f" ({stats['min']:g}–{stats['max']:g})" if "min" in stats and "max" in stats else ""
    return f"median {stats['median']:g}{span}"


def _survival(patient: Patient, group: GroupStatistic | None) -> Cell:
    cell = _number(patient.survival_months)
    if patient.alive is True and patient.survival_months is not None:
        return Cell(f"alive at {cell.text}", sort=cell.sort)
    if patient.survival_months is None and group is not None and "median" in group.survival_months:
        return Cell(f"{NOT_REPORTED}; group of {len(group.patients)}: {group_survival_text(group)}", sort="")
    return cell


MODERN_COLUMNS = ("disease", "technique", "systemic", "grade", "origin")


def _flag(value: bool | None, words: str) -> str | None:
    return None if value is None else f"{words}: {'yes' if value else 'no'}"


def _modern_cells(ds: Dataset, p: Patient) -> dict[str, Cell]:
    """The fields reports since 2009 give; empty where the publication says nothing (never "no")."""
    disease = [_flag(p.brain_metastases, "brain metastases"), _flag(p.leptomeningeal_disease, "leptomeningeal disease"),
               _flag(p.multiple_intramedullary_lesions, "more than one intramedullary lesion"),
               _flag(p.first_sign_of_cancer, "first sign of the cancer")]
    technique = _lower_first(ds.vocabularies["radiotherapy-techniques"].label_of(p.radiotherapy_technique)) \
        if p.radiotherapy_technique else ""
    dose = " in ".join(x for x in (f"{p.radiotherapy_dose_gy:g} Gy" if p.radiotherapy_dose_gy is not None else "",
                                   plural_fractions(p.radiotherapy_fractions)) if x)
    systemic = [_flag(p.targeted_therapy, "targeted"), _flag(p.immunotherapy, "immunotherapy"),
                _flag(p.hormonal_therapy, "hormonal"), _flag(p.steroids, "steroids")]
    grade = p.neurological_grade or {}
    grade_text = ""
    if grade:
        grade_text = (f"{ds.vocabularies['neurological-scales'].label_of(grade['scale'])} "
                      f"{grade.get('before', NOT_REPORTED)} → {grade.get('after', NOT_REPORTED)}")
    origin = ds.vocabularies["time-origins"].label_of(p.survival_from).lower() if p.survival_from else ""
    return {"disease": Cell("; ".join(d for d in disease if d)), "technique": Cell(", ".join(x for x in (technique, dose) if x)),
            "systemic": Cell("; ".join(s for s in systemic if s)), "grade": Cell(grade_text), "origin": Cell(origin)}


def _lower_first(label: str) -> str:
    """"Stereotactic (radiosurgery or SBRT)" -> "stereotactic (radiosurgery or SBRT)": abbreviations keep their case."""
    return label[:1].lower() + label[1:]


def plural_fractions(n: int | None) -> str:
    return "" if n is None else f"{n} fraction{'s' if n != 1 else ''}"


def _survival_explain(patients) -> str:
    stated = sum(1 for p in patients if p.survival_months is not None and p.survival_from not in (None, "not-stated"))
    start = ("the column “Counted from” gives from when, where the publication states it"
             if stated else "it does not say from when")
    return (f"months as the source reports them ({start}); a bare number is read as death at that time, "
            "“alive at N” as alive at last follow-up.")


def _decade(year: int | None) -> str:
    return f"{year // 10 * 10}s" if year else NOT_REPORTED_VALUE


def _period_options(rows) -> tuple[tuple[str, str], ...]:
    decades = sorted({v for r in rows for v in r.facets.get("period", ()) if v != NOT_REPORTED_VALUE})
    return (*((d, f"published in the {d}") for d in decades), (NOT_REPORTED_VALUE, NOT_REPORTED))


def _technique_facet(p: Patient) -> tuple[str, ...]:
    if p.radiotherapy is None:
        return (NOT_REPORTED_VALUE,)
    if not p.radiotherapy:
        return ("none",)
    return (p.radiotherapy_technique or "technique-not-reported",)


def technique_options(ds: Dataset) -> tuple[tuple[str, str], ...]:
    return (*((t.id, t.label.lower()) for t in ds.vocabularies["radiotherapy-techniques"].terms),
            ("technique-not-reported", "given, technique not reported"), ("none", "not given"),
            (NOT_REPORTED_VALUE, NOT_REPORTED))


SYSTEMIC_KINDS = (("chemotherapy", "chemotherapy"), ("targeted_therapy", "targeted therapy"),
                  ("immunotherapy", "immunotherapy"), ("hormonal_therapy", "hormonal therapy"))
SYSTEMIC_OPTIONS = (*((k, f"{label} given") for k, label in SYSTEMIC_KINDS),
                    ("none-given", "none reported as given"), (NOT_REPORTED_VALUE, NOT_REPORTED))


def _systemic_facet(p: Patient) -> tuple[str, ...]:
    """The kinds of systemic therapy given; "none-given" only where some kind is reported as not given and none as
    given; not reported where the publication says nothing of any."""
    values = {k: p.reported(k) if k == "chemotherapy" else getattr(p, k) for k, _ in SYSTEMIC_KINDS}
    given = tuple(k for k, v in values.items() if v is True)
    if given:
        return given
    return ("none-given",) if any(v is False for v in values.values()) else (NOT_REPORTED_VALUE,)


def _vital(patient: Patient) -> tuple[str, ...]:
    return (NOT_REPORTED_VALUE if patient.alive is None else ("alive" if patient.alive else "died"),)


def _level_legend(ds: Dataset, patients) -> str | None:
    """The abbreviations of the levels these patients have, spelled out."""
    used = {level for p in patients if not p.segments for level in (p.level or ())}
    terms = [t for t in ds.vocabularies["spinal-levels"].terms if t.id in used and t.abbreviation]
    text = ", ".join(f"{t.abbreviation}: {t.label}" for t in terms) + "." if terms else ""
    if any(p.segments for p in patients):
        text += " Exact segments (e.g. C7, T10-T12) where the publication gives them."
    return text.strip() or None


def patients_table(ds: Dataset, link: Link, patients: list[Patient] | None = None,
                   caption: str = "Patients, one by one", table_id: str = "patients", every_facet: bool = False,
                   with_data_notes: bool = True) -> Table:
    """Patient records with treatment, outcome and survival: all of them, or the `patients` given.
    A primary-site column is shown when the patients have more than one."""
    patients = list(ds.patients if patients is None else patients)
    levels = ds.vocabularies["spinal-levels"]
    outcomes = ds.vocabularies["outcomes"]
    sites = ds.vocabularies["primary-sites"]
    groups = _groups_by_patient(ds)
    data_note_text = _notes_by_reference(ds) if with_data_notes else {}
    footnotes = Footnotes()
    rows = []
    for p in patients:
        cells = _reference_cells(ds, p.reference, link)
        if p.segments:
            level_text = ", ".join(p.segments)
        else:
            level_text = ", ".join(levels.term(level).abbreviation or levels.label_of(level) for level in p.level) if p.level else NOT_REPORTED
        group = groups.get(p.id)
        cells.update(_modern_cells(ds, p))
        cells.update({
            "site": Cell(sites.label_of(p.primary_site) if p.primary_site else NOT_REPORTED),
            "age": _number(p.age),
            "sex": Cell(p.sex or ""),
            "level": Cell(level_text),
            "histology": Cell(ds.vocabularies["histologies"].label_of(p.histology) if p.histology else ""),
            "resection": Cell(ds.vocabularies["resections"].label_of(p.resection) if p.resection else ""),
            "from_primary": Cell("" if p.months_from_primary_diagnosis is None else _number(p.months_from_primary_diagnosis).text,
                                 sort=p.months_from_primary_diagnosis if p.months_from_primary_diagnosis is not None else ""),
            "surgery": _yes_no(p.surgery, "surgery" in p.doubtful),
            "radiotherapy": _yes_no(p.radiotherapy, "radiotherapy" in p.doubtful),
            "chemotherapy": _yes_no(p.chemotherapy, "chemotherapy" in p.doubtful),
            "outcome": Cell(outcomes.label_of(p.outcome).lower() if p.outcome else NOT_REPORTED),
            "survival": _survival(p, group),
            "notes": footnotes.cell((*p.notes, *(group.notes if group else ()), *data_note_text.get(p.reference, []))),
        })
        rows.append(Row(urls.patient_anchor(p.id), cells, {
            "site": (p.primary_site or NOT_REPORTED_VALUE,),
            "period": (_decade(ds.references[p.reference].year),),
            "surgery": _yes_no_facet(p.reported("surgery")), "radiotherapy": _yes_no_facet(p.reported("radiotherapy")),
            "technique": _technique_facet(p), "chemotherapy": _yes_no_facet(p.reported("chemotherapy")), "systemic": _systemic_facet(p),
            "outcome": (p.outcome or NOT_REPORTED_VALUE,), "vital": _vital(p)}, (p.reference,)))
    site_column = (Column("site", "Primary site"),) if len({p.primary_site for p in patients}) > 1 else ()
    columns = (*_reference_columns(ds), *site_column, Column("age", "Age", numeric=True, full="Age (years)"),
               Column("sex", "Sex", explain="as the publication reports it; empty where it does not."),
               Column("level", "Level", explain=_level_legend(ds, patients)),
               Column("histology", "Histology", explain="of this patient's tumour, where reported."),
               Column("disease", "Other CNS disease", full="Other disease at diagnosis of the metastasis",
                      explain="brain metastases, leptomeningeal disease, more than one intramedullary lesion, and "
                              "whether the metastasis was the first sign of the cancer, where the publication says."),
               Column("surgery", "Surg.", full="Surgery of the metastasis"),
               Column("resection", "Extent", full="Extent of resection", explain="where the publication reports it."), Column("radiotherapy", "RT", full="Radiotherapy"),
               Column("technique", "RT technique", full="Radiotherapy technique",
                      explain="conventional or stereotactic, with dose and fractions as printed, where reported."),
               Column("chemotherapy", "ChT", full="Chemotherapy"),
               Column("systemic", "Other systemic", full="Other systemic therapy and steroids",
                      explain="targeted therapy, immunotherapy, hormonal therapy and steroids, each only where the "
                              "publication says whether it was given."),
               Column("outcome", "Outcome", explain="neurological status after treatment."),
               Column("grade", "Grade", full="Neurological grade before → after treatment",
                      explain="on the scale the publication uses, as printed."),
               Column("from_primary", "Dx→ISCM", numeric=True, full="Months from primary diagnosis to the metastasis"),
               Column("survival", "Surv.", numeric=True, full="Survival (months)", explain=_survival_explain(patients)),
               Column("origin", "Counted from", full="Survival counted from",
                      explain="the time origin of the survival figure, where the publication states it."),
               NOTES_COLUMN)
    # The fields reports since 2009 give are columns only where a row says something in them: the review's tables keep
    # their printed columns.
    columns = tuple(c for c in columns if c.key not in MODERN_COLUMNS or any(r.cells[c.key].text for r in rows))
    dropped = set(MODERN_COLUMNS) - {c.key for c in columns}
    rows = [replace(r, cells={k: v for k, v in r.cells.items() if k not in dropped}) for r in rows]
    outcome_options = (*((t.id, t.label.lower()) for t in outcomes.terms), (NOT_REPORTED_VALUE, NOT_REPORTED))
    vital = ("vital", "Vital status", (("alive", "alive at last follow-up"), ("died", "recorded as died"),
                                       (NOT_REPORTED_VALUE, NOT_REPORTED)))
    if every_facet:  # the All patients table: every kind of record, so every way to narrow it down
        specs = (("site", "Primary site", _site_options(ds)), ("period", "Period of publication", _period_options(rows)),
                 ("surgery", "Surgery", YES_NO_OPTIONS), ("technique", "Radiotherapy", technique_options(ds)),
                 ("systemic", "Systemic therapy", SYSTEMIC_OPTIONS), ("outcome", "Outcome", outcome_options), vital)
    else:
        specs = (("site", "Primary site", _site_options(ds)), ("surgery", "Surgery", YES_NO_OPTIONS),
                 ("radiotherapy", "Radiotherapy", YES_NO_OPTIONS), ("chemotherapy", "Chemotherapy", YES_NO_OPTIONS),
                 ("outcome", "Outcome", outcome_options), vital)
    return Table(table_id, caption, columns, tuple(rows), (NOT_REPORTED_LEGEND,), tuple(footnotes.texts),
                 make_facets(rows, specs), ("patient record", "patient records"))


def from_review(ds: Dataset, record) -> bool:
    """A record read from a collecting review's table (its own case included), not from a later report."""
    return record.source.document in collecting_documents(ds)


def breast_carcinoma_table(ds: Dataset, link: Link) -> Table:
    """Table 2 of the review, as printed: its breast-carcinoma patients only (later ones are in All patients)."""
    return patients_table(ds, link, [p for p in ds.patients if p.primary_site == BREAST and from_review(ds, p)],
                          f"ISCM of breast carcinoma, patient by patient (Table 2 of {review_label(ds)})",
                          "breast-carcinoma")


def review_series_table(ds: Dataset, link: Link) -> Table:
    """Table 1 of the review, as printed: the series read from it (later ones are in their own table)."""
    return surgical_series_table(ds, link, [s for s in ds.series if from_review(ds, s)],
                                 f"Surgically treated ISCM by publication (Table 1 of {review_label(ds)})")


def later_series_table(ds: Dataset, link: Link) -> Table:
    """Surgically treated series read from their own publications, not from the review."""
    return surgical_series_table(ds, link, [s for s in ds.series if not from_review(ds, s)],
                                 "Surgically treated series from other publications", "later-series")


def all_patients_table(ds: Dataset, link: Link) -> Table:
    """Every patient record, any primary site and any source, with every field case reports give."""
    return patients_table(ds, link, None, "All patients, one row per patient record", "all-patients", every_facet=True)


def summary_table(ds: Dataset) -> Table:
    rows = tuple(Row(f"figure-{f.id}", {"label": Cell(f.label), "value": Cell(str(f.value), sort=str(f.value)),
                                         "how": Cell(f.how)}) for f in figures(ds).values())
    columns = (Column("label", "Figure"), Column("value", "Value", numeric=True), Column("how", "How it is counted"))
    return Table("summary", "Summary figures, computed from the case data", columns, rows)


def _finding_text(f: Finding, with_statement: bool) -> str:
    """The finding's name, and where asked its statement (what the values are of, in the order they are given)."""
    if with_statement and f.statement and f.values:
        return f"{f.label}: {f.statement}"
    return f.label


def findings_table(ds: Dataset, link: Link, findings: list[Finding], caption: str = "Key figures",
                   table_id: str = "key-figures", with_statement: bool = False) -> Table:
    """The findings of a topic (or of a site, or citing a reference), each with its anchor and citations;
    `with_statement` adds each finding's statement to its name (a later report's findings, read from the report)."""
    footnotes = Footnotes()
    rows = tuple(Row(urls.finding_anchor(f.id), {
        "label": Cell(_finding_text(f, with_statement), href=None),
        "value": Cell(format_finding(f)),
        "cited": Cell("", links=citation_links(ds, f.citations, link)),
        "notes": footnotes.cell(f.notes),
    }, sources=f.citations) for f in findings)
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
            "metadata": Cell(metadata_words(ref.confidence), sort=ref.confidence),
        }))
    columns = (Column("reference", "First author"), Column("year", "Year", numeric=True), Column("title", "Title"),
               Column("journal", "Journal"), Column("review_ref", "Ref.", numeric=True), Column("metadata", "Record"))
    legend = (f"Ref.: the number under which {review_label(ds)} cites the work.",
              "Record: what the atlas knows of the work's bibliographic record, and where from (named on its page).",
              f"{NOT_REPORTED}: not known yet.")
    return Table("bibliography", "All references", tuple(columns), tuple(rows), legend)


def sites_table(ds: Dataset, link: Link) -> Table:
    """One row per primary site, most surgically treated cases first, with its share of them; each links
    to the site's page. Where a site has no patient rows, the legend says where patient rows come from."""
    labels = ds.vocabularies["primary-sites"]
    total = sum(s.surgically_treated for s in ds.series)
    counted = sorted(site_records(ds).values(), key=lambda c: (-c.cases, -len(c.patients), labels.label_of(c.site)))
    rows = []
    for c in counted:
        rows.append(Row(f"site-{c.site}", {
            "site": Cell(labels.label_of(c.site), href=link(urls.site(c.site)), sort=labels.label_of(c.site)),
            "cases": _number(c.cases),
            "share": Cell(percent(c.cases, total), sort=c.cases),
            "publications": _number(c.publications),
            "patients": _number(len(c.patients)),
            "findings": _number(len(c.findings)),
        }))
    unreported = sum(s.unreported_sites for s in ds.series)
    columns = (Column("site", "Primary site"), Column("cases", "Surgically treated cases", numeric=True),
               Column("share", "Share", numeric=True, full="Share of all surgically treated cases",
                      explain=f"out of {describe_series(ds, list(ds.series))}; {unreported} of these have no "
                              "reported primary site and count under none."),
               Column("publications", "Publications (surgical)", numeric=True),
               Column("patients", "Patient records", numeric=True,
                      explain=f"individual patients, one row each. {patient_sources_note(ds)}"
                      if len({p.primary_site for p in ds.patients}) < len(counted) else "individual patients, one row each."),
               Column("findings", "Findings", numeric=True, explain="findings of the literature that concern the site."))
    return Table("sites", "Primary sites, most surgically treated cases first", columns, tuple(rows))


def field_reference_table(schema_dir, kind: str, title: str) -> Table:
    """One file kind's fields, straight from its JSON Schema (see iscm_atlas/content/fieldref.py)."""
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


def appraisal_table(ds: Dataset, ref) -> Table | None:
    """A work's critical appraisal: each item of its JBI checklist, the answer and why; None without an appraisal."""
    appraisal = ref.csl["iscm"].get("appraisal")
    if not appraisal or appraisal["checklist"] not in ds.vocabularies:
        return None
    checklist = ds.vocabularies[appraisal["checklist"]]
    rows = tuple(Row(f"appraisal-{ref.id}-{term.id}", {"item": Cell(f"{n}. {term.label}", sort=n),
                                                        "answer": Cell(item["answer"].replace("-", " ")),
                                                        "reason": Cell(item["reason"])})
                 for n, (term, item) in enumerate(zip(checklist.terms, appraisal["items"]), 1))
    columns = (Column("item", "Item"), Column("answer", "Answer"), Column("reason", "Why"))
    return Table("appraisal", f"Critical appraisal: {checklist.label}", columns, rows,
                 ("Answers: yes, no, unclear or not applicable, from what the work reports.",))


def searches_table(ds: Dataset) -> Table:
    """Every run of the atlas's literature search, oldest first: when, what was searched, the query as typed, hits."""
    rows = tuple(Row(f"search-{s.id}", {"date": Cell(s.date, sort=s.date), "source": Cell(s.source),
                                        "query": Cell(s.query), "purpose": Cell(s.purpose), "hits": _number(s.hits)},
                     {"purpose": (s.purpose,)}) for s in ds.searches)
    columns = (Column("date", "Date"), Column("source", "Searched"), Column("query", "Query, as typed", code=True),
               Column("purpose", "Purpose", explain="identification: a search for works, counted in the flow; retrieval: "
                                                    "a search for the text of a work already found, not counted."),
               Column("hits", "Records", numeric=True, full="Records returned"))
    return Table("searches", "The atlas's search runs", columns, rows, (), (),
                 make_facets(list(rows), (("purpose", "Purpose", (("identification", "identification"),
                                                                  ("retrieval", "retrieval"))),)),
                 ("search run", "search runs"))


def screening_table(ds: Dataset, link: Link) -> Table:
    """Every work the searches found, with the decision and, for an excluded one, its reason."""
    from iscm_atlas.content.prisma import REASONS

    rows = []
    for w in ds.screened:
        title = Cell(w.title, href=link(urls.reference(w.reference)) if w.reference else w.address, sort=w.title)
        rows.append(Row(f"screened-{w.id}", {
            "title": title, "year": Cell(str(w.year) if w.year else NOT_REPORTED, sort=w.year or ""),
            "decision": Cell(w.decision.replace("-", " ")), "reason": Cell(REASONS.get(w.reason, "") if w.reason else ""),
            "found_by": Cell(", ".join(w.found_by))}, {"decision": (w.decision,)}))
    columns = (Column("title", "Work"), Column("year", "Year", numeric=True), Column("decision", "Decision"),
               Column("reason", "Reason for exclusion"), Column("found_by", "Found by", code=True))
    options = (("included", "included"), ("excluded", "excluded"), ("awaiting-extraction", "awaiting two readings"))
    return Table("screening", "Works screened", columns, tuple(rows), (), (),
                 make_facets(rows, (("decision", "Decision", options),)), ("work", "works"))


TABLES = {"surgical-series": review_series_table, "later-series": later_series_table,
          "breast-carcinoma": breast_carcinoma_table, "all-patients": all_patients_table}


def certainty_table(ds: Dataset, link: Link) -> Table:
    """Every GRADE judgement: what it is of (a key message, or a topic's later findings), its level, and the reason
    given for each domain."""
    by_id = {f.id: f for f in ds.findings}
    topics = ds.vocabularies["topics"]
    rows = []
    for c in ds.certainty:
        if c.finding:
            f = by_id[c.finding]
            subject = Cell(f"{topics.label_of(f.topic)}: {f.label}", href=link(urls.finding(f.id, f.topic)))
        else:
            subject = Cell(f"{topics.label_of(c.later_topic)}: findings of reports since the review",
                           href=link(urls.topic(c.later_topic)) + "#" + LATER_CERTAINTY_ANCHOR)
        cells = {"subject": subject, "level": Cell(c.level_words, sort=GRADE_LEVELS.index(c.level))}
        cells.update({key: Cell(c.reasons.get(key, "")) for key, _ in GRADE_DOMAINS})
        rows.append(Row(f"certainty-{c.id}", cells, {"level": (c.level,)}))
    columns = (Column("subject", "Judged"), Column("level", "Certainty"),
               *(Column(key, label) for key, label in GRADE_DOMAINS))
    return Table("certainty", "Certainty of the evidence (GRADE)", columns, tuple(rows),
                 ("Certainty: GRADE's four levels (high, moderate, low, very low); each judgement is dated in its data file.",),
                 (), make_facets(rows, (("level", "Certainty", tuple((lv, level_words(lv)) for lv in GRADE_LEVELS)),)),
                 ("judgement", "judgements"))


LATER_CERTAINTY_ANCHOR = "certainty-of-later-reports"
