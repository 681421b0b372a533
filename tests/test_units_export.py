"""Unit tests of export.py: the CSVs read back with the csv module, column by column against the
records; the dataset JSON against the records and the vocabularies as written."""
from __future__ import annotations

import csv
import io
import json

import pytest
from test_units import REVIEW, by_id, make_ds, patient

from iscm_atlas.content import figures
from iscm_atlas.data.model import Source
from iscm_atlas.formats import export


@pytest.fixture
def ds():
    return make_ds()


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def cell(value) -> str:
    """How the downloads page says a value is written: empty for not reported, true/false, whole numbers bare,
    lists joined by ';'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def record_value(record, column: str):
    """The record field a CSV column is named after (source_table is record.source.table, and so on)."""
    if column.startswith("source_"):
        return getattr(record.source, column.removeprefix("source_"))
    if column == "notes":
        return " | ".join(record.notes)
    if column.startswith("neurological_grade_"):
        return (record.neurological_grade or {}).get(column.removeprefix("neurological_grade_"))
    return getattr(record, column)


PATIENT_HEADER = ["id", "reference", "age", "sex", "level", "segments", "primary_site", "histology", "first_sign_of_cancer",
                  "brain_metastases", "leptomeningeal_disease", "multiple_intramedullary_lesions", "surgery", "resection",
                  "radiotherapy", "radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions",
                  "chemotherapy", "targeted_therapy", "immunotherapy", "hormonal_therapy", "steroids", "outcome",
                  "neurological_grade_scale", "neurological_grade_before", "neurological_grade_after", "survival_months",
                  "survival_from", "alive", "months_from_primary_diagnosis", "doubtful", "source_document", "source_table",
                  "source_row", "notes"]
MODERN = dict(first_sign_of_cancer=True, brain_metastases=False, leptomeningeal_disease=None,
              multiple_intramedullary_lesions=False, radiotherapy=True, radiotherapy_technique="stereotactic",
              radiotherapy_dose_gy=24, radiotherapy_fractions=3, targeted_therapy=True, immunotherapy=False,
              hormonal_therapy=None, steroids=True, neurological_grade={"scale": "mccormick", "before": "III"},
              survival_months=7, survival_from="first-symptom", alive=False)
SERIES_HEADER = ["id", "reference", "surgically_treated", "primary_sites", "primary_site_not_reported", "histology",
                 "source_document", "source_table", "source_row", "notes"]


def test_patients_csv_every_column_is_the_record_field_of_its_name(ds):
    header, rows = read_csv(export.patients_csv(ds))
    assert header == PATIENT_HEADER
    assert header == [name for name, _ in export.PATIENT_COLUMNS]
    assert [r["id"] for r in rows] == [p.id for p in ds.patients]
    for p, row in zip(ds.patients, rows):
        for column in header:
            assert row[column] == cell(record_value(p, column)), (p.id, column)


def test_patients_csv_by_hand(ds):
    rows = {r["id"]: r for r in read_csv(export.patients_csv(ds))[1]}
    assert rows["beta-2004-p1"] == {
        "id": "beta-2004-p1", "reference": "beta-2004", "age": "61", "sex": "female", "level": "cervical;thoracic",
        "segments": "C7;T10-T12", "primary_site": "breast", "histology": "ductal-carcinoma", "surgery": "", "resection": "",
        "radiotherapy": "true", "chemotherapy": "false", "outcome": "", "survival_months": "3", "alive": "",
        "months_from_primary_diagnosis": "", "doubtful": "", "source_document": REVIEW, "source_table": "2", "source_row": "3", "notes": "",
        **dict.fromkeys(PATIENT_HEADER[8:12] + ["radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions",
                                                "targeted_therapy", "immunotherapy", "hormonal_therapy", "steroids",
                                                "neurological_grade_scale", "neurological_grade_before",
                                                "neurological_grade_after", "survival_from"], "")}

    assert (rows["alpha-1999-p2"]["source_table"], rows["alpha-1999-p2"]["source_row"]) == ("2", "2")
    assert (rows["review-2010-p1"]["source_table"], rows["review-2010-p1"]["source_row"]) == ("2", "4")
    assert rows["alpha-1999-p2"]["notes"] == "Age not printed."
    assert rows["gamma-2012-p1"]["months_from_primary_diagnosis"] == "14.5"
    assert rows["gamma-2012-p2"]["months_from_primary_diagnosis"] == "24"
    assert rows["gamma-2012-p1"]["resection"] == "subtotal" and rows["gamma-2012-p1"]["level"] == "conus"
    assert rows["alpha-1999-p2"]["level"] == "" and rows["alpha-1999-p2"]["alive"] == "true"


def test_the_fields_of_reports_since_2009_reach_both_exports(ds):
    """Each optional field is in patients.csv and the JSON as given; one not reported stays empty (CSV) or absent
    (JSON), never "false"."""
    modern = patient("gamma-2012-p3", "gamma-2012", Source("gamma-2012", page="5"), primary_site="kidney", **MODERN)
    small = make_ds(patients=(modern,))
    row = read_csv(export.patients_csv(small))[1][0]
    assert {k: row[k] for k in ("first_sign_of_cancer", "brain_metastases", "leptomeningeal_disease",
                                "radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions",
                                "targeted_therapy", "immunotherapy", "hormonal_therapy", "steroids",
                                "neurological_grade_scale", "neurological_grade_before", "neurological_grade_after",
                                "survival_from")} == {
        "first_sign_of_cancer": "true", "brain_metastases": "false", "leptomeningeal_disease": "",
        "radiotherapy_technique": "stereotactic", "radiotherapy_dose_gy": "24", "radiotherapy_fractions": "3",
        "targeted_therapy": "true", "immunotherapy": "false", "hormonal_therapy": "", "steroids": "true",
        "neurological_grade_scale": "mccormick", "neurological_grade_before": "III", "neurological_grade_after": "",
        "survival_from": "first-symptom"}
    record = json.loads(export.dataset_json(small))["patients"][0]
    assert record["radiotherapy_technique"] == "stereotactic" and record["neurological_grade"] == {
        "scale": "mccormick", "before": "III"}
    assert "leptomeningeal_disease" not in record and "hormonal_therapy" not in record
    assert record["brain_metastases"] is False and record["survival_from"] == "first-symptom"


def test_series_csv_every_column(ds):
    header, rows = read_csv(export.series_csv(ds))
    assert header == SERIES_HEADER == [name for name, _ in export.SERIES_COLUMNS]
    pairs = {"alpha-1999-s1": ("lung=2;breast=1", "1", ""), "beta-2004-s1": ("breast=3", "0", "ductal-carcinoma=2"),
             "review-2010-s1": ("breast=1", "0", ""), "gamma-2012-s1": ("lung=2", "0", "")}
    for s, row in zip(ds.series, rows):
        assert (row["primary_sites"], row["primary_site_not_reported"], row["histology"]) == pairs[s.id]
        for column in ("id", "reference", "surgically_treated", "source_document", "source_table", "source_row", "notes"):
            assert row[column] == cell(record_value(s, column)), (s.id, column)
    assert [(r["source_table"], r["source_row"]) for r in rows] == [("1", "1"), ("1", "2"), ("1", "3"), ("", "")]
    assert rows[1]["notes"] == "Printed as 4 in the source."


def test_notes_joined(ds):
    p = by_id(ds.patients, "alpha-1999-p2")
    from dataclasses import replace
    two = make_ds(patients=(replace(p, notes=("One.", "Two, with a comma.")),))
    assert read_csv(export.patients_csv(two))[1][0]["notes"] == "One. | Two, with a comma."


def test_cell():
    assert export._cell(None) == "" and export._cell(True) == "true" and export._cell(False) == "false"
    assert export._cell(3.0) == "3" and export._cell(3.5) == "3.5" and export._cell(0) == "0" and export._cell("x") == "x"


def test_dataset_dict_vocabularies_keep_abbreviations(ds):
    vocabularies = export.dataset_dict(ds)["vocabularies"]
    assert vocabularies["spinal-levels"] == {"label": "Level", "terms": [
        {"id": "cervical", "label": "Cervical", "abbreviation": "C"},
        {"id": "thoracic", "label": "Thoracic", "abbreviation": "T"},
        {"id": "lumbar", "label": "Lumbar", "abbreviation": "L"},
        {"id": "sacral", "label": "Sacral"},
        {"id": "conus", "label": "Medullary conus", "abbreviation": "conus"},
        {"id": "cauda-equina", "label": "Cauda equina", "abbreviation": "c.e."}]}
    assert vocabularies["resections"]["terms"][0] == {"id": "gross-total", "label": "Gross total resection",
                                                      "abbreviation": "GTR"}
    assert list(vocabularies) == list(ds.vocabularies)


def test_dataset_dict_records(ds):
    data = export.dataset_dict(ds)
    assert list(data) == ["references", "series", "patients", "group_statistics", "findings", "certainty", "vocabularies"]
    assert data["references"] == [r.csl for r in ds.references.values()]
    assert data["series"][0] == {"id": "alpha-1999-s1", "reference": "alpha-1999", "surgically_treated": 4,
                                 "primary_sites": {"lung": 2, "breast": 1}, "source": {"document": REVIEW, "table": 1, "row": 1}}
    assert data["series"][1] == {"id": "beta-2004-s1", "reference": "beta-2004", "surgically_treated": 3,
                                 "primary_sites": {"breast": 3}, "histology": {"ductal-carcinoma": 2},
                                 "source": {"document": REVIEW, "table": 1, "row": 2},
                                 "notes": ["Printed as 4 in the source."]}
    assert data["group_statistics"] == [{"id": "gamma-2012-g1", "reference": "gamma-2012", "patients": ["gamma-2012-p1"],
                                         "survival_months": {"median": 9, "min": 2, "max": 30},
                                         "source": {"document": "gamma-2012"}, "notes": ["Only a group median is given."]}]


def test_patient_records_as_their_yaml_has_them(ds):
    records = {r["id"]: r for r in export.dataset_dict(ds)["patients"]}
    assert list(records) == [p.id for p in ds.patients]
    alpha = records["alpha-1999-p1"]
    assert alpha == {"id": "alpha-1999-p1", "reference": "alpha-1999", "age": 50, "level": ["cervical", "thoracic"],
                     "primary_site": "breast", "surgery": True, "radiotherapy": False, "chemotherapy": None,
                     "outcome": "improvement", "survival_months": 6, "alive": False,
                     "source": {"document": REVIEW, "table": 2, "row": 1}}
    assert list(alpha) == ["id", "reference", "age", "level", "primary_site", "surgery", "radiotherapy", "chemotherapy",
                           "outcome", "survival_months", "alive", "source"]
    beta = records["beta-2004-p1"]  # level derived from the segments: not written back
    assert list(beta) == ["id", "reference", "age", "sex", "segments", "primary_site", "histology", "surgery",
                          "radiotherapy", "chemotherapy", "outcome", "survival_months", "alive", "source"]
    assert beta["segments"] == ["C7", "T10-T12"] and beta["sex"] == "female" and beta["alive"] is None
    gamma = records["gamma-2012-p1"]
    assert list(gamma) == ["id", "reference", "age", "sex", "level", "primary_site", "surgery", "resection", "radiotherapy",
                           "chemotherapy", "outcome", "survival_months", "alive", "months_from_primary_diagnosis", "source"]
    assert (gamma["resection"], gamma["months_from_primary_diagnosis"], gamma["source"]) == \
        ("subtotal", 14.5, {"document": "gamma-2012", "page": "3"})
    assert records["alpha-1999-p2"]["level"] is None and records["alpha-1999-p2"]["notes"] == ["Age not printed."]


def test_findings_exported_with_values_citations_and_url(ds):
    records = {r["id"]: r for r in export.dataset_dict(ds)["findings"]}
    assert records["f-incidence"] == {
        "id": "f-incidence", "topic": "epidemiology", "label": "Share of cancer patients",
        "values": [{"low": 0.1, "high": 0.4, "unit": "percent"}], "citations": ["alpha-1999", "review-2010-ref-7"],
        "source": {"document": REVIEW, "section": "Introduction"}, "key_message": {"rank": 1, "home": True},
        "url": "topics/epidemiology/#finding-f-incidence"}
    assert records["f-lung"] == {
        "id": "f-lung", "topic": "methods", "label": "Lung first", "statement": "Lung primaries come first.",
        "citations": ["gamma-2012"], "sites": ["lung", "breast"], "source": {"document": REVIEW},
        "url": "methods/#finding-f-lung"}
    assert records["f-breast-half"]["contrast"] == "f-lung"
    assert records["f-breast-half"]["values"] == [{"words": "half", "unit": "share", "qualifier": "nearly"}]
    assert records["f-kidney"]["notes"] == ["Read from the text."]
    assert list(records["f-kidney"])[-1] == "url"
    ranked = export.finding_record(by_id(make_ds().findings, "f-kidney").__class__(
        "k", "epidemiology", "K", (), ("alpha-1999",), (), Source(REVIEW), key_rank=2))
    assert ranked["key_message"] == {"rank": 2}


def test_dataset_json(ds):
    text = export.dataset_json(ds)
    assert json.loads(text) == json.loads(json.dumps(export.dataset_dict(ds)))
    assert "Rëview" in text and text.endswith("}\n")
    assert text.splitlines()[1].startswith(' "references"')


def test_figure_csv(ds):
    fig = figures.outcome_by_treatment(ds)
    header, rows = read_csv(export.figure_csv(fig))
    assert header == list(fig.columns)
    assert [tuple(r.values()) for r in rows] == list(fig.rows)


def test_all_exports(ds):
    files = export.all_exports(ds)
    citable = [rid for rid, ref in ds.references.items() if ref.authors or ref.csl.get("title")]  # not number-only
    assert len(citable) < len(ds.references)
    per_work = {f"downloads/references/{rid}.{kind}" for rid in citable for kind in ("bib", "ris")}
    assert set(files) == {"downloads/references.bib", "downloads/references.ris", "downloads/references.json",
                          "downloads/series.csv", "downloads/patients.csv"} | per_work
    assert files["downloads/series.csv"] == export.series_csv(ds)
    assert files["downloads/patients.csv"] == export.patients_csv(ds)
    assert [i["id"] for i in json.loads(files["downloads/references.json"])] == citable
    assert "Spinal cord metastases in four patients" in files["downloads/references/alpha-1999.bib"]
    assert "Breast cancer in the cord" not in files["downloads/references/alpha-1999.bib"]
    assert "Breast cancer in the cord" in files["downloads/references/beta-2004.ris"]


def test_exports_end_lines_with_newline_only(ds):
    from dataclasses import replace
    two_notes = make_ds(series=(replace(ds.series[1], notes=("One.", "Two.")),))
    for text in (export.series_csv(two_notes), export.patients_csv(ds), export.figure_csv(figures.by_year(ds))):
        assert "\r" not in text and text.endswith("\n")
    assert read_csv(export.series_csv(two_notes))[1][0]["notes"] == "One. | Two."


def test_patient_histology_exported(ds):
    records = {r["id"]: r for r in export.dataset_dict(ds)["patients"]}
    assert records["beta-2004-p1"]["histology"] == "ductal-carcinoma"


def test_references_csl_json_is_readable_text(ds):
    text = export.all_exports(ds)["downloads/references.json"]
    assert "Rëview" in text and "\\u" not in text
    assert text.startswith("[\n {\n") and text.endswith("]\n")
