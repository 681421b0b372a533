"""Fast unit tests of the pure data, content and format code, on small datasets built here.

No MkDocs build, no browser, no repo data: every record is written out below, and every expected
value is worked out by hand (or by a simple implementation in the test), never by the code under
test. These are the tests `make mutation` runs against mutants of the modules (scripts/mutation.py).

This file holds the small dataset the other tests/test_units_*.py files share, and the tests of
findings.py, segments.py, population.py and summary.py.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from iscm_atlas.content import findings, population, summary, wording
from iscm_atlas.data import segments
from iscm_atlas.data.model import Dataset, Finding, GroupStatistic, Patient, Reference, Series, Source, Term, Vocabulary

REVIEW = "review-2010"


# --- the small dataset -------------------------------------------------------------------------
# A collecting review (review-2010) tabulates alpha-1999 and beta-2004 (series in its Table 1,
# patients in its Table 2) and reports an own case; gamma-2012 was read from its own publication;
# review-2010-ref-7 is a work the review cites only by number. Hand-worked figures are in the tests.

def vocabularies() -> dict[str, Vocabulary]:
    def vocab(vid, label, *terms):
        return Vocabulary(vid, label, tuple(Term(*t) for t in terms))
    return {
        "primary-sites": vocab("primary-sites", "Primary site", ("lung", "Lung"), ("breast", "Breast"),
                               ("kidney", "Kidney"), ("oesophagus", "Oesophagus", None, ("esophagus",)),
                               ("melanoma", "Melanoma")),
        "spinal-levels": vocab("spinal-levels", "Level", ("cervical", "Cervical", "C"), ("thoracic", "Thoracic", "T"),
                               ("lumbar", "Lumbar", "L"), ("sacral", "Sacral"), ("conus", "Medullary conus", "conus"),
                               ("cauda-equina", "Cauda equina", "c.e.")),
        "outcomes": vocab("outcomes", "Neurological outcome", ("improvement", "Improvement"),
                          ("no-improvement", "No improvement"), ("worsening", "Worsening")),
        "histologies": vocab("histologies", "Histology", ("adenocarcinoma", "Adenocarcinoma"),
                             ("ductal-carcinoma", "Ductal carcinoma", None, ("IDC",))),
        "resections": vocab("resections", "Extent of resection", ("gross-total", "Gross total resection", "GTR"),
                            ("subtotal", "Subtotal resection", "STR"), ("biopsy", "Biopsy only")),
        "topics": vocab("topics", "Topic", ("epidemiology", "Epidemiology"),
                        ("survival-and-outcome", "Survival and outcome"), ("methods", "Methods")),
    }


def references() -> dict[str, Reference]:
    def ref(rid, iscm, **csl):
        return Reference(rid, {"id": rid, "type": "article-journal", **csl, "iscm": iscm})
    found = [
        ref("alpha-1999", {"review_ref": 3, "et_al": True, "metadata": {"confidence": "seed-only", "source": REVIEW}},
            author=[{"family": "Alpha", "given": "A. B."}], issued={"date-parts": [[1999]]},
            title="Spinal cord metastases in four patients", **{"container-title": "Spine Journal"}),
        ref("beta-2004", {"review_ref": 5, "metadata": {"confidence": "partial", "source": REVIEW}},
            author=[{"family": "Beta", "given": "B."}, {"family": "Delta", "given": "D."}],
            issued={"date-parts": [[2004]]}, title="Breast cancer in the cord", **{"container-title": "Neuro Letters"}),
        ref(REVIEW, {"metadata": {"confidence": "verified", "source": "https://example.org/review"},
                     "notes": ["Pages printed as 117-22."]},
            author=[{"family": "Rëview", "given": "R."}], issued={"date-parts": [[2010, 6]]},
            title="Metastases: a review", **{"container-title": "Review Journal"}, volume=154, issue=2, page="117-122"),
        ref("gamma-2012", {"metadata": {"confidence": "verified", "source": "https://example.org/gamma"}},
            author=[{"family": "Gamma", "given": "G."}, {"family": "Eta", "given": "E."}, {"family": "Theta", "given": "T."}],
            issued={"date-parts": [[2012]]}, title="Two lung cases"),
        ref("review-2010-ref-7", {"review_ref": 7, "metadata": {"confidence": "number-only", "source": REVIEW}}),
    ]
    return {r.id: r for r in sorted(found, key=lambda r: r.id)}


def patient(pid, ref, source, **fields) -> Patient:
    base = dict(age=None, level=None, primary_site=None, surgery=None, radiotherapy=None, chemotherapy=None,
                outcome=None, survival_months=None, alive=None)
    base.update(fields)
    return Patient(pid, ref, source=source, **base)


def make_ds(**changes) -> Dataset:
    """The small dataset; keyword arguments replace whole fields (e.g. patients=...)."""
    series = (
        Series("alpha-1999-s1", "alpha-1999", 4, {"lung": 2, "breast": 1}, Source(REVIEW, 1, 1)),
        Series("beta-2004-s1", "beta-2004", 3, {"breast": 3}, Source(REVIEW, 1, 2), {"ductal-carcinoma": 2},
               ("Printed as 4 in the source.",)),
        Series("review-2010-s1", REVIEW, 1, {"breast": 1}, Source(REVIEW, 1, 3)),
        Series("gamma-2012-s1", "gamma-2012", 2, {"lung": 2}, Source("gamma-2012")),
    )
    patients = (
        patient("alpha-1999-p1", "alpha-1999", Source(REVIEW, 2, 1), age=50, level=("cervical", "thoracic"),
                primary_site="breast", surgery=True, radiotherapy=False, outcome="improvement", survival_months=6,
                alive=False),
        patient("alpha-1999-p2", "alpha-1999", Source(REVIEW, 2, 2), primary_site="breast", surgery=False,
                radiotherapy=True, chemotherapy=True, outcome="worsening", survival_months=12, alive=True,
                notes=("Age not printed.",)),
        patient("beta-2004-p1", "beta-2004", Source(REVIEW, 2, 3), age=61, level=("cervical", "thoracic"),
                segments=("C7", "T10-T12"), level_derived=True, primary_site="breast", radiotherapy=True,
                chemotherapy=False, survival_months=3, alive=None, histology="ductal-carcinoma", sex="female"),
        patient("review-2010-p1", REVIEW, Source(REVIEW, 2, 4), age=45, level=("lumbar", "sacral"), primary_site="breast",
                surgery=True, resection="gross-total", radiotherapy=True, chemotherapy=False, outcome="improvement",
                survival_months=20, alive=False),
        patient("gamma-2012-p1", "gamma-2012", Source("gamma-2012", page="3"), age=70, level=("conus",),
                primary_site="lung", surgery=True, resection="subtotal", radiotherapy=False, chemotherapy=False,
                outcome="no-improvement", months_from_primary_diagnosis=14.5, sex="male"),
        patient("gamma-2012-p2", "gamma-2012", Source("gamma-2012", page="4"), age=66, level=("thoracic",),
                primary_site="lung", surgery=False, radiotherapy=True, chemotherapy=False, outcome="worsening",
                survival_months=8.0, alive=False, months_from_primary_diagnosis=24.0),
    )
    groups = (GroupStatistic("gamma-2012-g1", "gamma-2012", ("gamma-2012-p1",), {"median": 9, "min": 2, "max": 30},
                             Source("gamma-2012"), ("Only a group median is given.",)),)
    found = (
        Finding("f-incidence", "epidemiology", "Share of cancer patients", ({"low": 0.1, "high": 0.4, "unit": "percent"},),
                ("alpha-1999", "review-2010-ref-7"), (), Source(REVIEW, section="Introduction"), key_rank=1, key_home=True),
        Finding("f-kidney", "epidemiology", "Kidney share", ({"numerator": 1, "denominator": 3, "unit": "cases"},),
                (REVIEW,), ("kidney",), Source(REVIEW), ("Read from the text.",)),
        Finding("f-breast-half", "survival-and-outcome", "Breast patients operated",
                ({"words": "half", "unit": "share", "qualifier": "nearly"},), ("beta-2004",), ("breast",), Source(REVIEW),
                contrast="f-lung"),
        Finding("f-lung", "methods", "Lung first", (), ("gamma-2012",), ("lung", "breast"), Source(REVIEW),
                statement="Lung primaries come first."),
    )
    fields = dict(references=references(), series=series, patients=patients, group_statistics=groups,
                  vocabularies=vocabularies(), findings=found)
    fields.update(changes)
    return Dataset(**fields)


@pytest.fixture
def ds() -> Dataset:
    return make_ds()


def by_id(records, rid):
    return next(r for r in records if r.id == rid)


# --- findings.py ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    ({"value": 93, "unit": "percent"}, "93%"),
    ({"value": 50, "unit": "percent", "qualifier": "nearly"}, "nearly 50%"),
    ({"value": 2, "unit": "times", "qualifier": "nearly"}, "nearly 2 times"),
    ({"value": 1, "unit": "times"}, "1 time"),
    ({"low": 0.1, "high": 0.4, "unit": "percent"}, "0.1–0.4%"),
    ({"low": 3, "high": 4, "unit": "months", "label": "within"}, "within 3–4 months"),
    ({"low": 0.5, "high": 1, "unit": "months"}, "0.5–1 month"),
    ({"low": 1, "high": 2, "unit": "cases", "qualifier": "about"}, "about 1–2 cases"),
    ({"numerator": 4, "denominator": 22, "unit": "cases"}, "4 of 22 cases (18%)"),
    ({"numerator": 2, "denominator": 3, "unit": "cases"}, "2 of 3 cases (67%)"),
    ({"numerator": 3, "denominator": 3, "unit": "cases", "qualifier": "at least"}, "at least 3 of 3 cases (100%)"),
    ({"date": "2009-01", "unit": "date"}, "January 2009"),
    ({"date": "2010-12", "unit": "date"}, "December 2010"),
    ({"words": "half", "unit": "share", "qualifier": "nearly"}, "nearly half"),
    ({"words": "two thirds", "unit": "share"}, "two thirds"),
    ({"value": 1.0, "unit": "months", "label": "lung"}, "lung 1.0 month"),
    ({"value": 5.5, "unit": "months", "label": "breast"}, "breast 5.5 months"),
    ({"value": 1, "unit": "cases"}, "1 case"),
    ({"value": 27, "unit": "cases", "label": "reporting"}, "reporting 27 cases"),
    ({"value": 1, "unit": "references"}, "1 reference"),
    ({"value": 42, "unit": "references"}, "42 references"),
    ({"value": 0, "unit": "months"}, "0 months"),
    ({"value": 12, "unit": "count"}, "12"),
    ({"value": 1999, "unit": "year"}, "1999"),
    ({"value": 2, "unit": "times", "qualifier": "nearly", "label": "risk"}, "risk nearly 2 times"),
    ({"value": 89, "unit": "percent", "label": "of ISCM patients"}, "89% of ISCM patients"),
    ({"numerator": 2, "denominator": 70, "unit": "lesions", "label": "with cystic change"},
     "2 of 70 lesions (3%) with cystic change"),
    ({"numerator": 18, "denominator": 30, "unit": "count", "label": "improved"}, "improved 18 of 30 (60%)"),
    ({"value": 16, "unit": "Gy", "label": "median dose"}, "median dose 16 Gy"),
])
def test_format_value(value, text):
    assert findings.format_value(value) == text


def test_format_value_keeps_every_qualifier():
    for qualifier in ("nearly", "about", "at least", "at most"):
        assert findings.format_value({"value": 50, "unit": "percent", "qualifier": qualifier}) == f"{qualifier} 50%"
        assert findings.format_value({"words": "a third", "unit": "share", "qualifier": qualifier}) == f"{qualifier} a third"


def test_every_month_has_its_name():
    names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
    for number, name in enumerate(names, start=1):
        assert findings.format_value({"date": f"2001-{number:02d}", "unit": "date"}) == f"{name} 2001"


def test_format_finding_joins_values_or_states(ds):
    half = by_id(ds.findings, "f-breast-half")
    assert findings.format_finding(half) == "nearly half"
    several = replace(half, values=({"value": 66, "unit": "percent", "label": "improved"},
                                    {"value": 25, "unit": "percent", "label": "unchanged"}))
    assert findings.format_finding(several) == "improved 66%, unchanged 25%"
    assert findings.format_finding(by_id(ds.findings, "f-lung")) == "Lung primaries come first."
    assert findings.format_finding(replace(half, values=(), statement=None)) == ""


# --- segments.py ----------------------------------------------------------------------------------

@pytest.mark.parametrize("segment, covered", [
    ("C7", ["C7"]), ("T10-T12", ["T10", "T11", "T12"]), ("C8-T1", ["C8", "T1"]), ("L5-S2", ["L5", "S1", "S2"]),
    ("C1", ["C1"]), ("S5", ["S5"]), ("T1-T3", ["T1", "T2", "T3"]), ("conus", []), ("cauda-equina", []),
])
def test_span(segment, covered):
    assert segments.span(segment) == covered


def test_order_runs_cranial_to_caudal():
    expected = ([f"C{n}" for n in range(1, 9)] + [f"T{n}" for n in range(1, 13)] + [f"L{n}" for n in range(1, 6)]
                + [f"S{n}" for n in range(1, 6)])
    assert expected == segments.ORDER


@pytest.mark.parametrize("segment", ["C1", "C8", "T1", "T9", "T10", "T12", "L1", "L5", "S1", "S5", "C7-T2", "T12-L1",
                                     "C3-C3", "conus", "cauda-equina"])
def test_valid_segments_have_no_problem(segment):
    # cauda-equina has a hyphen but is no range (it once raised ValueError, crashing load_dataset)
    assert segments.problem(segment) is None


@pytest.mark.parametrize("segment, message", [
    ("c7", "'c7' is not a spinal segment as written; did you mean 'C7'?"),
    ("t10-t12", "'t10-t12' is not a spinal segment as written; did you mean 'T10-T12'?"),
    ("Conus", "'Conus' is not a spinal segment as written; did you mean 'conus'?"),
    ("cauda equina", "'cauda equina' is not a spinal segment as written; did you mean 'cauda-equina'?"),
    ("Cauda Equina", "'Cauda Equina' is not a spinal segment as written; did you mean 'cauda-equina'?"),
    ("T13", "'T13' is not a spinal segment; write one like C7, T10-T12, L1, S2, conus or cauda-equina "
            "(capital letter, number; a range with a hyphen)"),
    ("C9", "'C9' is not a spinal segment; write one like C7, T10-T12, L1, S2, conus or cauda-equina "
           "(capital letter, number; a range with a hyphen)"),
    ("C0", "'C0' is not a spinal segment; write one like C7, T10-T12, L1, S2, conus or cauda-equina "
           "(capital letter, number; a range with a hyphen)"),
    ("T12-T10", "the range 'T12-T10' runs upwards; write it cranial to caudal: T10-T12"),
    ("L1-T12", "the range 'L1-T12' runs upwards; write it cranial to caudal: T12-L1"),
])
def test_segment_problems(segment, message):
    assert segments.problem(segment) == message


@pytest.mark.parametrize("given, found", [
    (["C7", "T10-T12"], ("cervical", "thoracic")),
    (["T12", "C2"], ("cervical", "thoracic")),
    (["C1-C3"], ("cervical",)),
    (["C8-T1"], ("cervical", "thoracic")),
    (["S2", "cauda-equina", "L1", "conus"], ("lumbar", "conus", "cauda-equina", "sacral")),
    (["T11-L2"], ("thoracic", "lumbar")),
    (["conus"], ("conus",)),
    ([], ()),
])
def test_regions(given, found):
    assert segments.regions(given) == found


# --- population.py --------------------------------------------------------------------------------

def test_site_phrase(ds):
    p = {x.id: x for x in ds.patients}
    breast = [p["alpha-1999-p1"], p["alpha-1999-p2"]]
    assert population.site_phrase(ds, breast[:1]) == "patient with a breast primary"
    assert population.site_phrase(ds, breast) == "patients with a breast primary"
    assert population.site_phrase(ds, [*breast, p["gamma-2012-p1"]]) == "patients with a lung (1) or breast (2) primary"
    kidney = replace(p["gamma-2012-p2"], primary_site="kidney")
    assert (population.site_phrase(ds, [kidney, *breast, p["gamma-2012-p1"]])
            == "patients with a lung (1), breast (2) or kidney (1) primary")
    oesophagus = replace(p["gamma-2012-p2"], primary_site="oesophagus")
    assert population.site_phrase(ds, [oesophagus]) == "patient with an oesophagus primary"
    unknown = replace(p["gamma-2012-p2"], primary_site=None)
    assert population.site_phrase(ds, [unknown, unknown]) == "patients with an unreported primary"
    assert population.site_phrase(ds, [unknown, p["gamma-2012-p1"]]) == "patients with a lung (1) or unreported (1) primary"
    assert population.site_phrase(ds, []) == "patients"


def test_short_site_label(ds):
    p = {x.id: x for x in ds.patients}
    assert population.short_site_label(ds, [p["alpha-1999-p1"], p["beta-2004-p1"]]) == "Breast primary"
    assert population.short_site_label(ds, [p["alpha-1999-p1"], p["gamma-2012-p1"]]) == "Lung or breast primary"
    kidney = replace(p["gamma-2012-p2"], primary_site="kidney")
    assert (population.short_site_label(ds, [kidney, p["alpha-1999-p1"], p["gamma-2012-p1"]])
            == "Lung, breast or kidney primary")
    assert population.short_site_label(ds, []) == "Any primary"
    assert population.short_site_label(ds, [replace(kidney, primary_site=None)]) == "Unreported primary"


def test_plural():
    assert population.plural(1, "case") == "1 case"
    assert population.plural(0, "case") == "0 cases"
    assert population.plural(2, "publication") == "2 publications"
    assert population.plural(2, "is", "are") == "2 are"
    assert population.plural(1, "is", "are") == "1 is"


def test_sources_phrase_with_counts(ds):
    p = {x.id: x for x in ds.patients}
    s = {x.id: x for x in ds.series}
    assert population.sources_phrase(ds, [p["alpha-1999-p1"], p["beta-2004-p1"]]) == "Table 2 of Rëview R 2010"
    # the review's own case is read from the review: its table, not "their own publication"
    assert (population.sources_phrase(ds, [p["review-2010-p1"]])
            == "Table 2 of Rëview R 2010, including 1 own case of Rëview R 2010")
    assert population.sources_phrase(ds, [p["review-2010-p1"]], own_cases=False) == "Table 2 of Rëview R 2010"
    assert population.sources_phrase(ds, [p["gamma-2012-p1"]]) == "their own publication"
    assert population.sources_phrase(ds, [p["gamma-2012-p1"], p["gamma-2012-p2"]]) == "their own publication"  # two patients of one publication
    assert (population.sources_phrase(ds, [s["alpha-1999-s1"], p["alpha-1999-p1"], p["alpha-1999-p2"]])
            == "Table 1 of Rëview R 2010: 1; Table 2 of Rëview R 2010: 2")
    assert (population.sources_phrase(ds, list(ds.series))
            == "Table 1 of Rëview R 2010: 3, including 1 own case of Rëview R 2010; their own publication: 1")
    no_table = replace(p["alpha-1999-p1"], source=Source(REVIEW))
    assert population.sources_phrase(ds, [no_table]) == "Rëview R 2010"
    assert population.sources_phrase(ds, [no_table, p["alpha-1999-p2"]]) == "Rëview R 2010: 1; Table 2 of Rëview R 2010: 1"


def test_sources_phrase_read_from_another_document_that_is_not_collecting(ds):
    """A record read from another work names that work, even when it tabulates no one else."""
    moved = replace(by_id(ds.patients, "gamma-2012-p2"), source=Source("alpha-1999", 4))
    small = make_ds(patients=(moved,), series=())
    assert population.sources_phrase(small, [moved]) == "Table 4 of Alpha AB et al. 1999"


def test_sources_phrase_without_counts(ds):
    p = {x.id: x for x in ds.patients}
    records = [*ds.series, *ds.patients]
    assert population.sources_phrase(ds, records, counts=False) == "Tables 1 and 2 of Rëview R 2010; their own publications"
    assert population.sources_phrase(ds, [p["alpha-1999-p1"]], counts=False) == "Table 2 of Rëview R 2010"
    assert population.sources_phrase(ds, [p["gamma-2012-p1"]], counts=False) == "their own publications"
    three = [p["alpha-1999-p1"], replace(p["alpha-1999-p2"], source=Source(REVIEW, 3)),
             replace(p["beta-2004-p1"], source=Source(REVIEW, 1))]
    assert population.sources_phrase(ds, three, counts=False) == "Tables 1, 2 and 3 of Rëview R 2010"
    four = [*three, replace(p["review-2010-p1"], source=Source(REVIEW, 4))]
    assert population.sources_phrase(ds, four, counts=False) == "Tables 1, 2, 3 and 4 of Rëview R 2010"
    assert population.sources_phrase(ds, [replace(p["alpha-1999-p1"], source=Source(REVIEW))], counts=False) == "Rëview R 2010"


def test_own_case_phrase(ds):
    p = {x.id: x for x in ds.patients}
    assert population.own_case_phrase(ds, [p["alpha-1999-p1"], p["gamma-2012-p1"]]) == ""
    assert population.own_case_phrase(ds, list(ds.patients)) == ", including 1 own case of Rëview R 2010"
    second = replace(p["review-2010-p1"], id="review-2010-p2")
    assert (population.own_case_phrase(ds, [p["review-2010-p1"], second, p["alpha-1999-p1"]])
            == ", including 2 own cases of Rëview R 2010")


def test_describe_patients(ds):
    usable = [p for p in ds.patients if p.survival_months is not None]
    assert (population.describe_patients(ds, usable, list(ds.patients), "and reported survival")
            == "5 of 6 patients with a lung (2) or breast (4) primary and reported survival (Table 2 of Rëview R 2010: 4, "
               "including 1 own case of Rëview R 2010; their own publication: 2)")  # the own case beside its table
    breast = [p for p in ds.patients if p.primary_site == "breast" and p.id != "review-2010-p1"]
    assert population.describe_patients(ds, breast) == "3 patients with a breast primary (Table 2 of Rëview R 2010)"
    assert (population.describe_patients(ds, breast[:1], breast, "and surgery")
            == "1 of 3 patients with a breast primary and surgery (Table 2 of Rëview R 2010)")


def test_describe_series(ds):
    assert (population.describe_series(ds, list(ds.series))
            == "10 surgically treated cases in 4 publications (Table 1 of Rëview R 2010: 3, including 1 own case of "
               "Rëview R 2010; their own publication: 1)")
    assert (population.describe_series(ds, [by_id(ds.series, "review-2010-s1")])
            == "1 surgically treated case in 1 publication (Table 1 of Rëview R 2010, including 1 own case of Rëview R 2010)")
    assert (population.describe_series(ds, [by_id(ds.series, "alpha-1999-s1"), by_id(ds.series, "beta-2004-s1")])
            == "7 surgically treated cases in 2 publications (Table 1 of Rëview R 2010)")


def test_patient_sources_note(ds):
    assert population.patient_sources_note(ds) == (
        "Individual patient records come only from Table 2 of Rëview R 2010 (patients with a breast primary); "
        "their own publication (patients with a lung primary); for other primary sites the sources give counts of "
        "cases, not patients.")
    p = {x.id: x for x in ds.patients}
    mixed = make_ds(patients=(p["gamma-2012-p1"], replace(p["gamma-2012-p2"], primary_site="kidney"),
                              replace(p["alpha-1999-p1"], primary_site=None)))
    note = population.patient_sources_note(mixed)
    assert note.startswith("Individual patient records come only from their own publication (patients with a lung or "
                           "kidney primary); Table 2 of Rëview R 2010 (patients with a")
    assert note.endswith("unreported primary); for other primary sites the sources give counts of cases, not patients.")


# --- model.py (labels) ----------------------------------------------------------------------------

def test_reference_labels(ds):
    r = ds.references
    assert r["alpha-1999"].label == "Alpha AB et al."
    assert r["beta-2004"].label == "Beta B and Delta D"
    assert r["gamma-2012"].label == "Gamma G et al."
    assert r[REVIEW].citation_label == "Rëview R 2010"
    assert r["review-2010-ref-7"].citation_label == "Review ref. 7"
    assert (r["alpha-1999"].year, r[REVIEW].year, r["review-2010-ref-7"].year) == (1999, 2010, None)


# --- summary.py -----------------------------------------------------------------------------------

def test_collecting_documents_and_review_label(ds):
    assert wording.collecting_documents(ds) == {REVIEW}
    assert wording.review_label(ds) == "Rëview R 2010"
    alone = make_ds(series=(by_id(ds.series, "gamma-2012-s1"),), patients=(by_id(ds.patients, "gamma-2012-p2"),))
    assert wording.collecting_documents(alone) == set()
    assert wording.review_label(alone) == "the review"
    two = make_ds(series=(*ds.series, replace(by_id(ds.series, "gamma-2012-s1"), id="x", source=Source("beta-2004", 1))))
    assert wording.review_label(two) == "Beta B and Delta D 2004 and Rëview R 2010"


def test_is_own_case(ds):
    collecting = {REVIEW}
    assert summary.is_own_case(by_id(ds.patients, "review-2010-p1"), collecting)
    assert not summary.is_own_case(by_id(ds.patients, "alpha-1999-p1"), collecting)
    assert not summary.is_own_case(by_id(ds.patients, "gamma-2012-p1"), collecting)  # own publication, not collecting


@pytest.mark.parametrize("part, whole, text", [(1, 3, "33%"), (2, 3, "67%"), (9, 87, "10%"), (0, 5, "0%"), (5, 5, "100%"),
                                               (0, 0, "n.a."), (1, 8, "12%"), (4, 7, "57%")])
def test_percent(part, whole, text):
    assert summary.percent(part, whole) == text


def test_summary_figures(ds):
    computed = summary.figures(ds)
    assert {fid: f.value for fid, f in computed.items()} == {
        "surgical-publications": 2,      # alpha-1999, beta-2004 (read from the review, not its own case)
        "surgical-cases": 7,             # 4 + 3
        "surgical-own-cases": 1,
        "surgical-cases-all": 10,        # 4 + 3 + 1 + 2
        "surgical-publications-all": 4,
        "breast-publications": 2,        # alpha-1999, beta-2004
        "breast-patients": 3,            # alpha p1, p2, beta p1
        "breast-own-patients": 1,
        "breast-patients-all": 4,
        "patients-all": 6,               # every patient record
        "patients-publications-all": 4,  # alpha, beta, review, gamma
        "breast-resected": 4,            # 1 + 3
        "breast-resected-share": "57%",  # 4 of 7
        "breast-operated-patients": 1,   # alpha p1
    }
    assert computed["surgical-cases"].label == "Surgically treated cases in those publications, in Table 1 of Rëview R 2010"
    assert computed["breast-patients"].label == "Patients with ISCM of breast carcinoma, in Table 2 of Rëview R 2010"
    assert "its own case (Rëview R 2010) is counted apart" in computed["surgical-cases"].how
    assert computed["surgical-own-cases"].how.endswith(": Rëview R 2010.")
    assert all(f.id == fid for fid, f in computed.items())


def test_summary_figures_without_a_review(ds):
    alone = make_ds(series=(by_id(ds.series, "gamma-2012-s1"),), patients=(by_id(ds.patients, "gamma-2012-p2"),))
    computed = summary.figures(alone)
    assert computed["surgical-cases"].value == 0 and computed["surgical-cases-all"].value == 2
    assert computed["breast-resected-share"].value == "n.a."
    assert computed["surgical-cases"].label.endswith("in no source")
    assert "its own case (none) is counted apart" in computed["surgical-cases"].how


def test_summary_figures_name_every_table_read(ds):
    moved = replace(by_id(ds.series, "beta-2004-s1"), source=Source(REVIEW, 3, 1))
    untabled = replace(by_id(ds.series, "alpha-1999-s1"), source=Source(REVIEW))
    computed = summary.figures(make_ds(series=(untabled, moved)))
    assert computed["surgical-publications"].label == ("Publications reporting surgically treated ISCM, in "
                                                        "Table 3 of Rëview R 2010 and Rëview R 2010")


def test_data_notes(ds):
    notes = summary.data_notes(ds)
    assert [n.reference for n in notes] == ["beta-2004"]
    assert notes[0].text == (
        "The surgical series lists 3 surgically treated case(s), 3 with a breast primary and 0 whose primary is not "
        "reported; the patient list has 1 breast-carcinoma patient(s), 0 recorded as operated and 1 with surgery not "
        "reported. The two lists disagree: the counts cannot both be right; check the source.")


def test_data_note_of_compatible_lists(ds):
    """Schiff's pattern: no site listed for the series, breast patients whose surgery is not reported."""
    series = (Series("beta-2004-s1", "beta-2004", 5, {}, Source(REVIEW, 1, 2)),)
    patients = tuple(patient(f"beta-2004-p{i}", "beta-2004", Source(REVIEW, 2, i), primary_site="breast",
                             surgery=None if i > 1 else True) for i in (1, 2, 3))
    notes = summary.data_notes(make_ds(series=series, patients=patients))
    assert [n.text for n in notes] == [
        "The surgical series lists 5 surgically treated case(s), 0 with a breast primary and 5 whose primary is not "
        "reported; the patient list has 3 breast-carcinoma patient(s), 1 recorded as operated and 2 with surgery not "
        "reported. The two lists do not contradict each other, but the source does not say which patient is which "
        "case, so their rows cannot be linked."]
    # more operated than the series can hold: a contradiction
    too_many = tuple(replace(p, surgery=True) for p in patients)
    series_small = (Series("beta-2004-s1", "beta-2004", 2, {}, Source(REVIEW, 1, 2)),)
    [note] = summary.data_notes(make_ds(series=series_small, patients=too_many))
    assert note.text.endswith("The two lists disagree: the counts cannot both be right; check the source.")
    # exactly as many operated as listed, none unknown: nothing to say
    agree = (Series("beta-2004-s1", "beta-2004", 3, {"breast": 3}, Source(REVIEW, 1, 2)),)
    assert summary.data_notes(make_ds(series=agree, patients=too_many)) == []
    # edges of "compatible": operated == listed + unreported, and listed == operated + unknown
    edge = (Series("beta-2004-s1", "beta-2004", 3, {"breast": 1}, Source(REVIEW, 1, 2)),)
    edge_patients = (replace(patients[0], surgery=True), replace(patients[1], surgery=True), replace(patients[2], surgery=True))
    [note] = summary.data_notes(make_ds(series=edge, patients=edge_patients))
    assert "do not contradict" in note.text
    edge_unknown = (Series("beta-2004-s1", "beta-2004", 2, {"breast": 2}, Source(REVIEW, 1, 2)),)
    lists = (replace(patients[0], surgery=True), replace(patients[1], surgery=None), replace(patients[2], surgery=False))
    [note] = summary.data_notes(make_ds(series=edge_unknown, patients=lists))
    assert "do not contradict" in note.text and "1 recorded as operated and 1 with surgery not reported" in note.text


def test_sources_phrase_own_publications_first(ds):
    records = [by_id(ds.patients, "gamma-2012-p1"), *ds.series[:1], by_id(ds.patients, "alpha-1999-p1")]
    assert population.sources_phrase(ds, records, counts=False) == "their own publications; Tables 1 and 2 of Rëview R 2010"


def two_collecting_reviews() -> Dataset:
    """beta-2004 also tabulates another publication and reports an own case."""
    ds = make_ds()
    series = (*ds.series, Series("beta-2004-s2", "beta-2004", 1, {"lung": 1}, Source("beta-2004", 2, 1)),
              Series("gamma-2012-s2", "gamma-2012", 1, {}, Source("beta-2004", 2, 2)))
    return make_ds(series=series)


def test_own_cases_of_two_reviews():
    ds = two_collecting_reviews()
    assert (population.own_case_phrase(ds, list(ds.series))
            == ", including 1 own case of Beta B and Delta D 2004 and 1 own case of Rëview R 2010")
    how = summary.figures(ds)["surgical-own-cases"].how
    assert how == ("Series read from a collecting review that reports its own case: Beta B and Delta D 2004, "
                   "Rëview R 2010.")
