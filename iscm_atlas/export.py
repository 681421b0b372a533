"""The downloads: the whole dataset as JSON (the YAML's field names), series and patients as CSV,
and the references as BibTeX, RIS and CSL-JSON (all of them and one file per work)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from . import citing, urls
from .model import Dataset, Source


def _src(source: Source) -> dict[str, Any]:
    return source.as_dict()


def _with_notes(record: dict[str, Any], notes) -> dict[str, Any]:
    if notes:
        record["notes"] = list(notes)
    return record


def dataset_dict(ds: Dataset) -> dict[str, Any]:
    return {
        "references": [ref.csl for ref in ds.references.values()],
        "series": [_with_notes({
            "id": s.id, "reference": s.reference, "surgically_treated": s.surgically_treated,
            "primary_sites": s.primary_sites, **({"histology": s.histology} if s.histology else {}),
            "source": _src(s.source)}, s.notes) for s in ds.series],
        "patients": [_with_notes({
            "id": p.id, "reference": p.reference, "age": p.age, "level": list(p.level) if p.level is not None else None,
            "primary_site": p.primary_site, "surgery": p.surgery, "radiotherapy": p.radiotherapy,
            "chemotherapy": p.chemotherapy, "outcome": p.outcome, "survival_months": p.survival_months,
            "alive": p.alive, "source": _src(p.source)}, p.notes) for p in ds.patients],
        "group_statistics": [_with_notes({
            "id": g.id, "reference": g.reference, "patients": list(g.patients), "survival_months": g.survival_months,
            "source": _src(g.source)}, g.notes) for g in ds.group_statistics],
        "findings": [],
        "vocabularies": {v.id: {"label": v.label, "terms": [
            {k: val for k, val in (("id", t.id), ("label", t.label), ("abbreviation", t.abbreviation)) if val}
            for t in v.terms]} for v in ds.vocabularies.values()},
    }


def dataset_json(ds: Dataset) -> str:
    return json.dumps(dataset_dict(ds), ensure_ascii=False, indent=1) + "\n"


# Columns of the CSV exports: (name, what it holds). The /downloads/ page documents them from here.
SERIES_COLUMNS = (
    ("id", "Permanent id of the series (anchor #series-<id> on the surgical series page)."),
    ("reference", "Id of the publication (references.bib key, /references/<id>/)."),
    ("surgically_treated", "Number of patients whose metastasis was operated on."),
    ("primary_sites", "Primary site ids with counts, e.g. lung=2;breast=1 (vocabulary in iscm-dataset.json)."),
    ("primary_site_not_reported", "Cases of the series whose primary site the publication does not give."),
    ("histology", "Histology ids with counts, where reported, e.g. sarcoma=1."),
    ("source_document", "Id of the document the record was read from."),
    ("source_table", "Table of that document."),
    ("source_row", "Printed data row of that table, counted from 1."),
    ("notes", "Remarks, e.g. what the source printed where it is corrected; separated by ' | '."),
)
PATIENT_COLUMNS = (
    ("id", "Permanent id of the patient record (anchor #patient-<id> on the case pages)."),
    ("reference", "Id of the publication (references.bib key, /references/<id>/)."),
    ("age", "Age in years; empty if not reported."),
    ("level", "Spinal level ids, e.g. cervical;thoracic; empty if not reported."),
    ("primary_site", "Primary site id; empty if not reported."),
    ("surgery", "true or false; empty if not reported."),
    ("radiotherapy", "true or false; empty if not reported."),
    ("chemotherapy", "true or false; empty if not reported."),
    ("outcome", "Neurological outcome id: improvement, no-improvement or worsening; empty if not reported."),
    ("survival_months", "Survival in months (to death, or to last follow-up if alive); empty if not reported."),
    ("alive", "true if alive at last follow-up, false if died; empty if not reported."),
    ("source_document", "Id of the document the record was read from."),
    ("source_table", "Table of that document."),
    ("source_row", "Printed data row of that table, counted from 1."),
    ("notes", "Remarks; separated by ' | '."),
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pairs(counts: dict[str, int]) -> str:
    return ";".join(f"{k}={v}" for k, v in counts.items())


def _csv(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


def series_csv(ds: Dataset) -> str:
    return _csv(SERIES_COLUMNS, [
        (s.id, s.reference, s.surgically_treated, _pairs(s.primary_sites), s.unreported_sites, _pairs(s.histology),
         s.source.document, s.source.table, s.source.row, " | ".join(s.notes)) for s in ds.series])


def patients_csv(ds: Dataset) -> str:
    return _csv(PATIENT_COLUMNS, [
        (p.id, p.reference, p.age, ";".join(p.level) if p.level else None, p.primary_site, p.surgery, p.radiotherapy,
         p.chemotherapy, p.outcome, p.survival_months, p.alive, p.source.document, p.source.table, p.source.row,
         " | ".join(p.notes)) for p in ds.patients])


def figure_csv(figure) -> str:
    """The numbers an evidence figure shows, for download beside its SVG."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(figure.columns)
    writer.writerows(figure.rows)
    return out.getvalue()


def all_exports(ds: Dataset) -> dict[str, str]:
    """Every download except the dataset JSON and the figures' CSVs: site path -> content."""
    refs = list(ds.references.values())
    files = {
        urls.REFERENCES_BIB: citing.references_bibtex(refs),
        urls.REFERENCES_RIS: citing.references_ris(refs),
        urls.REFERENCES_CSL: json.dumps([citing.csl_json_item(r) for r in refs], ensure_ascii=False, indent=1) + "\n",
        urls.SERIES_CSV: series_csv(ds),
        urls.PATIENTS_CSV: patients_csv(ds),
    }
    for ref in refs:
        files[urls.reference_bib(ref.id)] = citing.references_bibtex([ref])
        files[urls.reference_ris(ref.id)] = citing.references_ris([ref])
    return files
