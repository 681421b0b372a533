"""The downloads: the whole dataset as JSON (the YAML's field names), series and patients as CSV,
and the references as BibTeX, RIS and CSL-JSON (all of them and one file per work)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from iscm_atlas.content import urls, wording
from iscm_atlas.data.model import Dataset, Finding, Patient, Source
from iscm_atlas.formats import citing


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
        "patients": [patient_record(p) for p in ds.patients],
        "group_statistics": [_with_notes({
            "id": g.id, "reference": g.reference, "patients": list(g.patients), "survival_months": g.survival_months,
            "source": _src(g.source)}, g.notes) for g in ds.group_statistics],
        "findings": [finding_record(f) for f in ds.findings],
        "certainty": [{"id": c.id, **({"finding": c.finding} if c.finding else {"later_topic": c.later_topic}),
                       "level": c.level, "reasons": c.reasons, "judged_on": c.judged_on} for c in ds.certainty],
        "vocabularies": {v.id: {"label": v.label, "terms": [
            {k: val for k, val in (("id", t.id), ("label", t.label), ("abbreviation", t.abbreviation)) if val}
            for t in v.terms]} for v in ds.vocabularies.values()},
    }


def patient_record(p: Patient) -> dict[str, Any]:
    """A patient as its YAML has it: the required fields always (null: not reported), the optional ones
    where given; a level derived from segments is not written back as if the source had printed it."""
    record: dict[str, Any] = {"id": p.id, "reference": p.reference, "age": p.age}
    if p.sex is not None:
        record["sex"] = p.sex
    if not p.level_derived:
        record["level"] = list(p.level) if p.level is not None else None
    if p.segments:
        record["segments"] = list(p.segments)
    record["primary_site"] = p.primary_site
    if p.histology is not None:
        record["histology"] = p.histology
    record.update({k: v for k, v in _modern(p, DISEASE_DETAIL).items() if v is not None})
    record.update({"surgery": p.surgery})
    if p.resection is not None:
        record["resection"] = p.resection
    record["radiotherapy"] = p.radiotherapy
    record.update({k: v for k, v in _modern(p, RADIOTHERAPY_DETAIL).items() if v is not None})
    record["chemotherapy"] = p.chemotherapy
    record.update({k: v for k, v in _modern(p, SYSTEMIC_DETAIL).items() if v is not None})
    record["outcome"] = p.outcome
    if p.neurological_grade:
        record["neurological_grade"] = dict(p.neurological_grade)
    record["survival_months"] = p.survival_months
    if p.survival_from is not None:
        record["survival_from"] = p.survival_from
    record["alive"] = p.alive
    if p.months_from_primary_diagnosis is not None:
        record["months_from_primary_diagnosis"] = p.months_from_primary_diagnosis
    if p.doubtful:
        record["doubtful"] = list(p.doubtful)
    record["source"] = _src(p.source)
    return _with_notes(record, p.notes)


# The optional fields of reports since 2009, in the order a record holds them (the YAML's own order).
DISEASE_DETAIL = ("first_sign_of_cancer", "brain_metastases", "leptomeningeal_disease", "multiple_intramedullary_lesions")
RADIOTHERAPY_DETAIL = ("radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions")
SYSTEMIC_DETAIL = ("targeted_therapy", "immunotherapy", "hormonal_therapy", "steroids")


def _modern(p: Patient, names) -> dict[str, Any]:
    return {name: getattr(p, name) for name in names}


def finding_record(f: Finding) -> dict[str, Any]:
    """A finding as its YAML has it, plus its anchor on the site (relative to the site's root)."""
    record: dict[str, Any] = {"id": f.id, "topic": f.topic, "label": f.label}
    if f.statement:
        record["statement"] = f.statement
    if f.values:
        record["values"] = [dict(v) for v in f.values]
    record["citations"] = list(f.citations)
    if f.sites:
        record["sites"] = list(f.sites)
    record["source"] = _src(f.source)
    if f.key_rank is not None:
        record["key_message"] = {"rank": f.key_rank, **({"home": True} if f.key_home else {})}
    if f.contrast:
        record["contrast"] = f.contrast
    record = _with_notes(record, f.notes)
    record["url"] = urls.finding(f.id, f.topic)
    return record


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
    ("sex", "female or male; empty if not reported."),
    ("level", "Spinal region ids, e.g. cervical;thoracic, as printed or derived from the segments; empty if not reported."),
    ("segments", "Exact spinal segments, e.g. C7;T10-T12; empty if not reported."),
    ("primary_site", "Primary site id; empty if not reported."),
    ("histology", "Histology id of this patient's tumour; empty if not reported."),
    ("first_sign_of_cancer", "true if the metastasis was the first sign of the cancer; empty if not reported."),
    ("brain_metastases", "Brain metastases at diagnosis of the metastasis: true or false; empty if not reported."),
    ("leptomeningeal_disease", "Leptomeningeal disease at diagnosis: true or false; empty if not reported."),
    ("multiple_intramedullary_lesions", "More than one intramedullary lesion: true or false; empty if not reported."),
    ("surgery", "true or false; empty if not reported."),
    ("resection", "Extent of resection id: gross-total, subtotal or biopsy; empty if not reported."),
    ("radiotherapy", "true or false; empty if not reported."),
    ("radiotherapy_technique", "Technique id: conventional or stereotactic; empty if not reported."),
    ("radiotherapy_dose_gy", "Total dose in Gy, as printed; empty if not reported."),
    ("radiotherapy_fractions", "Number of fractions, as printed; empty if not reported."),
    ("chemotherapy", "true or false; empty if not reported."),
    ("targeted_therapy", "true or false; empty if not reported."),
    ("immunotherapy", "true or false; empty if not reported."),
    ("hormonal_therapy", "true or false; empty if not reported."),
    ("steroids", "Corticosteroids: true or false; empty if not reported."),
    ("outcome", "Neurological outcome id: improvement, no-improvement or worsening; empty if not reported."),
    ("neurological_grade_scale", "Scale id of the neurological grades (e.g. mccormick); empty if not reported."),
    ("neurological_grade_before", "Grade before treatment, as printed; empty if not reported."),
    ("neurological_grade_after", "Grade after treatment, as printed; empty if not reported."),
    ("survival_months", "Survival in months (to death, or to last follow-up if alive); empty if not reported."),
    ("survival_from", "From when survival_months is counted (time-origin id); empty if the publication does not say."),
    ("alive", "true if alive at last follow-up, false if died; empty if not reported."),
    ("months_from_primary_diagnosis", "Months from diagnosis of the primary tumour to the metastasis; empty if not reported."),
    ("doubtful", "Fields whose printed value looks misprinted (e.g. a row perhaps shifted by a column): kept as printed, "
                 "counted by the atlas as not reported; separated by ';'."),
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


def _by_name(columns, records: list[dict[str, Any]]) -> str:
    """CSV whose cells are looked up by column name, so a column can never take another's value."""
    return _csv(columns, [[r[name] for name, _ in columns] for r in records])


def series_csv(ds: Dataset) -> str:
    return _by_name(SERIES_COLUMNS, [
        {"id": s.id, "reference": s.reference, "surgically_treated": s.surgically_treated,
         "primary_sites": _pairs(s.primary_sites), "primary_site_not_reported": s.unreported_sites,
         "histology": _pairs(s.histology), "source_document": s.source.document, "source_table": s.source.table,
         "source_row": s.source.row, "notes": " | ".join(s.notes)} for s in ds.series])


def patients_csv(ds: Dataset) -> str:
    def row(p: Patient) -> dict[str, Any]:
        return {"id": p.id, "reference": p.reference, "age": p.age, "sex": p.sex,
                "level": ";".join(p.level) if p.level else None, "segments": ";".join(p.segments or ()) or None,
                "primary_site": p.primary_site, "histology": p.histology, "surgery": p.surgery, "resection": p.resection,
                "radiotherapy": p.radiotherapy, "chemotherapy": p.chemotherapy, "outcome": p.outcome,
                "survival_months": p.survival_months, "alive": p.alive, "survival_from": p.survival_from,
                **_modern(p, (*DISEASE_DETAIL, *RADIOTHERAPY_DETAIL, *SYSTEMIC_DETAIL)),
                **{f"neurological_grade_{k}": (p.neurological_grade or {}).get(k) for k in ("scale", "before", "after")},
                "months_from_primary_diagnosis": p.months_from_primary_diagnosis,
                "doubtful": ";".join(p.doubtful) or None, "source_document": p.source.document,
                "source_table": p.source.table, "source_row": p.source.row, "notes": " | ".join(p.notes)}
    return _by_name(PATIENT_COLUMNS, [row(p) for p in ds.patients])


def figure_csv(figure) -> str:
    """The numbers an evidence figure shows, for download beside its SVG."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(figure.columns)
    writer.writerows(figure.rows)
    return out.getvalue()


def all_exports(ds: Dataset) -> dict[str, str]:
    """Every download except the dataset JSON and the figures' CSVs: site path -> content."""
    refs = [r for r in ds.references.values() if r.citable]  # a work known only by its number: nothing to cite

    def cited_in(ref):
        return wording.cited_in(ds, ref)

    files = {
        urls.REFERENCES_BIB: citing.references_bibtex(refs, cited_in),
        urls.REFERENCES_RIS: citing.references_ris(refs, cited_in),
        urls.REFERENCES_CSL: json.dumps([citing.csl_json_item(r) for r in refs], ensure_ascii=False, indent=1) + "\n",
        urls.SERIES_CSV: series_csv(ds),
        urls.PATIENTS_CSV: patients_csv(ds),
    }
    for ref in refs:
        files[urls.reference_bib(ref.id)] = citing.references_bibtex([ref], cited_in)
        files[urls.reference_ris(ref.id)] = citing.references_ris([ref], cited_in)
    return files
