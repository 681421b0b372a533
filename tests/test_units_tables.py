"""Unit tests of tables.py (every cell of the display tables against the records) and pages.py (what a
reference page and a site page gather), on the small dataset of test_units.py."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from test_units import REVIEW, by_id, make_ds, patient

from iscm_atlas.content import citations, figures, indexes, pages, tables
from iscm_atlas.content.citations import CitationRegister
from iscm_atlas.content.tables import Cell, Column, Footnotes, Row, Table
from iscm_atlas.data.model import Reference, Source
from iscm_atlas.formats import export

NA = "n.a."


def link(path: str) -> str:
    return "/" + path


@pytest.fixture
def ds():
    return make_ds()


def texts(row: Row) -> dict[str, str]:
    return {key: cell.text for key, cell in row.cells.items()}


BETA_NOTE = ("Data note: The surgical series lists 3 surgically treated case(s), 3 with a breast primary and 0 whose "
             "primary is not reported; the patient list has 1 breast-carcinoma patient(s), 0 recorded as operated and 1 "
             "with surgery not reported. The two lists disagree: the counts cannot both be right; check the source.")

# --- patients table -------------------------------------------------------------------------------

PATIENT_KEYS = ("reference", "review_ref", "year", "site", "age", "sex", "level", "histology", "surgery", "resection",
                "radiotherapy", "chemotherapy", "outcome", "from_primary", "survival", "notes")
PATIENT_ROWS = {  # worked out by hand from the records in test_units.make_ds
    "alpha-1999-p1": ("Alpha AB et al.", "3", "1999", "Breast", "50", "", "C, T", "", "yes", "", "no", NA, "improvement",
                      "", "6", ""),
    "alpha-1999-p2": ("Alpha AB et al.", "3", "1999", "Breast", NA, "", NA, "", "no", "", "yes", "yes", "worsening", "",
                      "alive at 12", ""),
    "beta-2004-p1": ("Beta B and Delta D", "5", "2004", "Breast", "61", "female", "C7, T10-T12", "Ductal carcinoma", NA,
                     "", "yes", "no", NA, "", "3", ""),
    "review-2010-p1": ("Rëview R", "", "2010", "Breast", "45", "", "L, Sacral", "", "yes", "Gross total resection", "yes",
                       "no", "improvement", "", "20", ""),
    "gamma-2012-p1": ("Gamma G et al.", "", "2012", "Lung", "70", "male", "conus", "", "yes", "Subtotal resection", "no",
                      "no", "no improvement", "14.5", f"{NA}; group of 1: median 9 (2–30)", ""),
    "gamma-2012-p2": ("Gamma G et al.", "", "2012", "Lung", "66", "", "T", "", "no", "", "yes", "no", "worsening", "24",
                      "8", ""),
}


def test_patients_table_every_cell(ds):
    table = tables.patients_table(ds, link)
    assert (table.id, table.caption) == ("patients", "Patients, one by one")
    assert tuple(c.key for c in table.columns) == PATIENT_KEYS
    assert [r.anchor for r in table.rows] == [f"patient-{pid}" for pid in PATIENT_ROWS]
    for row, (pid, want) in zip(table.rows, PATIENT_ROWS.items()):
        assert texts(row) == dict(zip(PATIENT_KEYS, want)), pid
        ref = pid.rsplit("-", 1)[0]
        assert row.cells["reference"].href == f"/references/{ref}/"
    notes = [r.cells["notes"].notes for r in table.rows]
    assert notes == [(), (1,), (2,), (), (3,), ()]
    assert table.footnotes == ("Age not printed.", BETA_NOTE, "Only a group median is given.")
    assert table.legend == (tables.NOT_REPORTED_LEGEND,)


def test_patients_table_sort_values(ds):
    rows = tables.patients_table(ds, link).rows
    assert [r.cells["age"].sort for r in rows] == [50, "", 61, 45, 70, 66]
    assert [r.cells["survival"].sort for r in rows] == [6, 12, 3, 20, "", 8.0]
    assert [r.cells["from_primary"].sort for r in rows] == ["", "", "", "", 14.5, 24.0]
    assert [r.cells["year"].sort for r in rows] == [1999, 1999, 2004, 2010, 2012, 2012]
    assert [r.cells["reference"].sort for r in rows][:3] == ["Alpha AB et al.", "Alpha AB et al.", "Beta B and Delta D"]
    assert [r.cells["review_ref"].sort for r in rows] == [3, 3, 5, "", "", ""]


def test_patients_table_facets(ds):
    table = tables.patients_table(ds, link)
    assert [r.facets for r in table.rows][:3] == [
        {"site": ("breast",), "period": ("1990s",), "surgery": ("yes",), "radiotherapy": ("no",), "technique": ("none",),
         "chemotherapy": ("not-reported",), "systemic": ("not-reported",), "outcome": ("improvement",),
         "vital": ("died",)},
        {"site": ("breast",), "period": ("1990s",), "surgery": ("no",), "radiotherapy": ("yes",),
         "technique": ("technique-not-reported",), "chemotherapy": ("yes",), "systemic": ("chemotherapy",),
         "outcome": ("worsening",), "vital": ("alive",)},
        {"site": ("breast",), "period": ("2000s",), "surgery": ("not-reported",), "radiotherapy": ("yes",),
         "technique": ("technique-not-reported",), "chemotherapy": ("no",), "systemic": ("none-given",),
         "outcome": ("not-reported",), "vital": ("not-reported",)},
    ]
    facets = {f.key: (f.label, f.options) for f in table.facets}
    assert facets == {
        "site": ("Primary site", (("lung", "Lung", 2), ("breast", "Breast", 4))),
        "surgery": ("Surgery", (("yes", "yes", 3), ("no", "no", 2), ("not-reported", NA, 1))),
        "radiotherapy": ("Radiotherapy", (("yes", "yes", 4), ("no", "no", 2))),
        "chemotherapy": ("Chemotherapy", (("yes", "yes", 1), ("no", "no", 4), ("not-reported", NA, 1))),
        "outcome": ("Outcome", (("improvement", "improvement", 2), ("no-improvement", "no improvement", 1),
                                ("worsening", "worsening", 2), ("not-reported", NA, 1))),
        "vital": ("Vital status", (("alive", "alive at last follow-up", 1), ("died", "recorded as died", 3),
                                   ("not-reported", NA, 2))),
    }


def test_patients_table_shows_every_level_and_segment():
    ds = make_ds()
    p = by_id(ds.patients, "alpha-1999-p1")
    three = replace(p, level=("cervical", "thoracic", "lumbar"))
    segs = replace(p, segments=("C2", "C5-C7", "T4"), level=("cervical", "thoracic"))
    rows = tables.patients_table(ds, link, [three, segs]).rows
    assert [r.cells["level"].text for r in rows] == ["C, T, L", "C2, C5-C7, T4"]


def test_patients_table_of_one_site_has_no_site_column(ds):
    breast = [p for p in ds.patients if p.primary_site == "breast"]
    table = tables.patients_table(ds, link, breast, "Mine", "mine")
    assert (table.id, table.caption) == ("mine", "Mine")
    assert "site" not in [c.key for c in table.columns]
    assert [r.anchor for r in table.rows] == [f"patient-{p.id}" for p in breast]
    assert tables.breast_carcinoma_table(ds, link).rows == tables.patients_table(ds, link, breast).rows
    assert tables.breast_carcinoma_table(ds, link).id == "breast-carcinoma"
    assert tables.TABLES["breast-carcinoma"] is tables.breast_carcinoma_table


def test_survival_cell_of_a_group_without_range(ds):
    group = replace(ds.group_statistics[0], survival_months={"median": 9.5}, patients=("gamma-2012-p1", "gamma-2012-p2"))
    small = make_ds(group_statistics=(group,))
    row = tables.patients_table(small, link).rows[4]
    assert row.cells["survival"].text == f"{NA}; group of 2: median 9.5"
    assert tables.group_survival_text(replace(group, survival_months={"median": 9, "min": 2})) == "median 9"
    assert tables.group_survival_text(replace(group, survival_months={"median": 9, "min": 2.5, "max": 30})) == "median 9 (2.5–30)"
    # a patient with no reported survival and no group: plain n.a.
    assert tables.patients_table(make_ds(group_statistics=()), link).rows[4].cells["survival"].text == NA
    # alive with no survival is not "alive at n.a."
    alive = replace(by_id(ds.patients, "alpha-1999-p2"), survival_months=None)
    assert tables.patients_table(ds, link, [alive]).rows[0].cells["survival"].text == NA


def test_patients_table_legend(ds):
    lines = tables.patients_table(ds, link).legend_lines
    assert lines[0] == "Ref.: reference number in Rëview R 2010; the number under which Rëview R 2010 cites the publication."
    assert "Age: age (years)." in lines
    assert "Sex: as the publication reports it; empty where it does not." in lines
    assert ("Level: C: Cervical, T: Thoracic, L: Lumbar, conus: Medullary conus. Exact segments (e.g. C7, T10-T12) where "
            "the publication gives them.") in lines
    assert "Surg.: surgery of the metastasis." in lines
    assert "Extent: extent of resection; where the publication reports it." in lines
    assert "Dx→ISCM: months from primary diagnosis to the metastasis." in lines
    assert lines[-1] == tables.NOT_REPORTED_LEGEND
    assert [line.split(":")[0] for line in lines[:-1]] == ["Ref.", "Age", "Sex", "Level", "Histology", "Surg.", "Extent",
                                                          "RT", "ChT", "Outcome", "Dx→ISCM", "Surv."]


def test_level_legend(ds):
    p = {x.id: x for x in ds.patients}
    assert tables._level_legend(ds, [p["beta-2004-p1"]]) == "Exact segments (e.g. C7, T10-T12) where the publication gives them."
    assert tables._level_legend(ds, [p["alpha-1999-p2"]]) is None
    assert tables._level_legend(ds, [p["review-2010-p1"]]) == "L: Lumbar."  # sacral has no abbreviation
    assert tables._level_legend(ds, [p["gamma-2012-p2"], p["alpha-1999-p1"]]) == "C: Cervical, T: Thoracic."


# --- series table ---------------------------------------------------------------------------------

SERIES_KEYS = ("reference", "review_ref", "year", "surgically_treated", "primary_sites", "notes")
SERIES_ROWS = {
    "alpha-1999-s1": ("Alpha AB et al.", "3", "1999", "4", "Lung 2, Breast 1, n.a. 1", ""),
    "beta-2004-s1": ("Beta B and Delta D", "5", "2004", "3", "Breast 3 (histology: Ductal carcinoma 2)", ""),
    "review-2010-s1": ("Rëview R", "", "2010", "1", "Breast 1", ""),
    "gamma-2012-s1": ("Gamma G et al.", "", "2012", "2", "Lung 2", ""),
}


def test_series_table_every_cell(ds):
    table = tables.surgical_series_table(ds, link)
    assert (table.id, table.caption) == ("surgical-series", "Surgically treated ISCM by publication")
    assert tuple(c.key for c in table.columns) == SERIES_KEYS
    assert [r.anchor for r in table.rows] == [f"series-{sid}" for sid in SERIES_ROWS]
    for row, want in zip(table.rows, SERIES_ROWS.values()):
        assert texts(row) == dict(zip(SERIES_KEYS, want))
    assert [r.cells["notes"].notes for r in table.rows] == [(), (1, 2), (), ()]
    assert table.footnotes == ("Printed as 4 in the source.", BETA_NOTE)
    assert [r.facets for r in table.rows] == [{"site": ("lung", "breast", "not-reported")}, {"site": ("breast",)},
                                              {"site": ("breast",)}, {"site": ("lung",)}]
    assert [(f.key, f.label, f.options) for f in table.facets] == [
        ("site", "Primary site", (("lung", "Lung", 2), ("breast", "Breast", 3), ("not-reported", NA, 1)))]
    assert [r.cells["surgically_treated"].sort for r in table.rows] == [4, 3, 1, 2]
    assert "Operated: surgically treated (patients)." in table.legend_lines
    assert table.legend_lines[-1] == tables.NOT_REPORTED_LEGEND
    only = tables.surgical_series_table(ds, link, [by_id(ds.series, "gamma-2012-s1")])
    assert [texts(r) for r in only.rows] == [dict(zip(SERIES_KEYS, SERIES_ROWS["gamma-2012-s1"]))]
    # the review's Table 1 holds the rows read from it (its own case included); later series have their own table
    assert tables.TABLES["surgical-series"] is tables.review_series_table
    review = tables.review_series_table(ds, link)
    assert [r.anchor for r in review.rows] == ["series-alpha-1999-s1", "series-beta-2004-s1", "series-review-2010-s1"]
    assert review.id == "surgical-series" and review.caption.endswith("(Table 1 of Rëview R 2010)")
    later = tables.later_series_table(ds, link)
    assert (later.id, [r.anchor for r in later.rows]) == ("later-series", ["series-gamma-2012-s1"])


def test_series_sites_text(ds):
    s = by_id(ds.series, "alpha-1999-s1")
    assert tables.series_sites_text(ds, replace(s, primary_sites={})) == NA
    assert tables.series_sites_text(ds, replace(s, primary_sites={}, histology={"adenocarcinoma": 2})) == \
        f"{NA} (histology: Adenocarcinoma 2)"
    assert tables.series_sites_text(ds, replace(s, surgically_treated=3)) == "Lung 2, Breast 1"
    assert tables.series_sites_text(ds, replace(s, histology={"adenocarcinoma": 1, "ductal-carcinoma": 2})) == \
        "Lung 2, Breast 1, n.a. 1 (histology: Adenocarcinoma 1, Ductal carcinoma 2)"


# --- findings, summary, bibliography, sites ---------------------------------------------------------

@pytest.mark.parametrize("numbers, text", [([1, 2, 4, 5, 6], "1, 2, 4–6"), ([3], "3"), ([5, 3, 4, 4], "3–5"),
                                           ([1, 3], "1, 3"), ([], ""), ([7, 8], "7, 8"), ([1, 2, 3, 9, 10], "1–3, 9, 10"),
                                           ([10, 2, 1], "1, 2, 10")])
def test_number_ranges(numbers, text):
    assert citations.number_ranges(numbers) == text


def numbered(n):
    return Reference(f"review-2010-ref-{n}", {"id": f"review-2010-ref-{n}", "iscm": {"review_ref": n, "metadata": {
        "confidence": "number-only", "source": REVIEW}}})


def test_citation_links(ds):
    """A work the review cites is credited through it ("as cited in"); a work read itself stands alone."""
    assert citations.citation_links(ds, ["alpha-1999", "review-2010-ref-7"], link) == (
        ("Alpha AB et al. 1999", "/references/alpha-1999/", "; "),
        ("as cited in Rëview R 2010", "/references/review-2010/", ", "),
        ("ref. 7 in Rëview R 2010", "/references/review-2010/#cited-by-number", "; "))
    more = make_ds(references={**ds.references, **{f"review-2010-ref-{n}": numbered(n) for n in (8, 9, 11)}})
    ids = ["review-2010-ref-11", "review-2010-ref-9", "gamma-2012", "review-2010-ref-7", "review-2010-ref-8"]
    assert citations.citation_links(more, ids, link) == (
        ("Gamma G et al. 2012", "/references/gamma-2012/", "; "),
        ("refs. 7–9, 11 in Rëview R 2010", "/references/review-2010/#cited-by-number", "; "))
    # the review named beside a work it cites is named once, by the "as cited in"
    assert citations.citation_links(ds, [REVIEW, "alpha-1999"], link) == (
        ("Alpha AB et al. 1999", "/references/alpha-1999/", "; "),
        ("as cited in Rëview R 2010", "/references/review-2010/", ", "))
    assert citations.citation_links(ds, [REVIEW], link) == (("Rëview R 2010", "/references/review-2010/", "; "),)
    # a numbered work whose metadata names no work of the atlas is known through the one collecting review
    orphan = Reference("other-ref-2", {"id": "other-ref-2", "iscm": {"review_ref": 2, "metadata": {
        "confidence": "number-only", "source": "elsewhere"}}})
    alone = make_ds(references={**ds.references, "other-ref-2": orphan})
    assert citations.citation_links(alone, ["other-ref-2"], link) == (
        ("ref. 2 in Rëview R 2010", "/references/review-2010/#cited-by-number", "; "),)


def test_findings_table(ds):
    table = tables.findings_table(ds, link, list(ds.findings))
    assert (table.id, table.caption) == ("key-figures", "Key figures")
    assert [r.anchor for r in table.rows] == ["finding-f-incidence", "finding-f-kidney", "finding-f-breast-half",
                                              "finding-f-lung"]
    assert [texts(r) for r in table.rows] == [
        {"label": "Share of cancer patients", "value": "0.1–0.4%", "cited": "", "notes": ""},
        {"label": "Kidney share", "value": "1 of 3 cases (33%)", "cited": "", "notes": ""},
        {"label": "Breast patients operated", "value": "nearly half", "cited": "", "notes": ""},
        {"label": "Lung first", "value": "Lung primaries come first.", "cited": "", "notes": ""},
    ]
    assert table.rows[0].cells["cited"].links == (("Alpha AB et al. 1999", "/references/alpha-1999/", "; "),
                                                  ("as cited in Rëview R 2010", "/references/review-2010/", ", "),
                                                  ("ref. 7 in Rëview R 2010", "/references/review-2010/#cited-by-number", "; "))
    assert table.rows[2].cells["cited"].links == (("Beta B and Delta D 2004", "/references/beta-2004/", "; "),
                                                  ("as cited in Rëview R 2010", "/references/review-2010/", ", "))
    assert [r.cells["notes"].notes for r in table.rows] == [(), (1,), (), ()]
    assert table.footnotes == ("Read from the text.",)
    assert [c.key for c in table.columns] == ["label", "value", "cited", "notes"]
    assert tables.findings_table(ds, link, [], "Other", "other").id == "other"


def test_summary_table(ds):
    from iscm_atlas.content.summary import figures as summary_figures
    table = tables.summary_table(ds)
    expected = summary_figures(ds)
    assert [r.anchor for r in table.rows] == [f"figure-{fid}" for fid in expected]
    row = {r.anchor: r for r in table.rows}["figure-breast-resected-share"]
    assert texts(row) == {"label": expected["breast-resected-share"].label, "value": "57%",
                          "how": expected["breast-resected-share"].how}
    assert {r.anchor: r.cells["value"].text for r in table.rows}["figure-surgical-cases-all"] == "10"
    assert {r.anchor: r.cells["value"].sort for r in table.rows}["figure-surgical-cases-all"] == "10"


BIB_ROWS = [  # (anchor, reference, year, title, journal, ref., metadata): first author, then year; numbers last
    ("ref-alpha-1999", "Alpha AB et al.", "1999", "Spinal cord metastases in four patients", "Spine Journal", "3", "only what the review prints (author, year)"),
    ("ref-beta-2004", "Beta B and Delta D", "2004", "Breast cancer in the cord", "Neuro Letters", "5", "partly read from a public record"),
    ("ref-gamma-2012", "Gamma G et al.", "2012", "Two lung cases", NA, "", "read from a public record"),
    ("ref-review-2010", "Rëview R", "2010", "Metastases: a review", "Review Journal", "", "read from a public record"),
    ("ref-review-2010-ref-7", "Review ref. 7", NA, NA, NA, "7", "its number in the review only"),
]


def test_bibliography_title_and_journal(ds):
    table = tables.bibliography_table(ds, link)
    keys = ("reference", "year", "title", "journal", "review_ref", "metadata")
    assert [c.key for c in table.columns] == list(keys)
    assert [c.label for c in table.columns] == ["First author", "Year", "Title", "Journal", "Ref.", "Record"]
    assert [(r.anchor, *(texts(r)[k] for k in keys)) for r in table.rows] == BIB_ROWS
    assert [r.cells["reference"].href for r in table.rows][0] == "/references/alpha-1999/"
    assert [r.cells["reference"].sort for r in table.rows] == ["alpha|1999", "beta|2004", "gamma|2012", "rëview|2010",
                                                               "~|000007"]
    assert table.legend[0] == "Ref.: the number under which Rëview R 2010 cites the work."


def test_bibliography_orders_numbers_and_years(ds):
    refs = {**ds.references, **{f"review-2010-ref-{n}": numbered(n) for n in (12, 2)}}
    later = Reference("alpha-2001", {**ds.references["alpha-1999"].csl, "id": "alpha-2001", "issued": {"date-parts": [[2001]]}})
    refs["alpha-2001"] = later
    table = tables.bibliography_table(make_ds(references=refs), link)
    assert [r.anchor for r in table.rows] == ["ref-alpha-1999", "ref-alpha-2001", "ref-beta-2004", "ref-gamma-2012",
                                              "ref-review-2010", "ref-review-2010-ref-2", "ref-review-2010-ref-7",
                                              "ref-review-2010-ref-12"]


def test_used_sites(ds):
    assert indexes.used_sites(ds) == ["lung", "breast", "kidney"]
    only_findings = make_ds(series=(), patients=())
    assert indexes.used_sites(only_findings) == ["lung", "breast", "kidney"]
    none = make_ds(series=(), patients=(), findings=())
    assert indexes.used_sites(none) == []
    assert indexes.used_sites(make_ds(findings=())) == ["lung", "breast"]


def test_sites_table(ds):
    table = tables.sites_table(ds, link)
    keys = ("site", "cases", "share", "publications", "patients", "findings")
    assert [c.key for c in table.columns] == list(keys)
    # breast: 1+3+1 cases in 3 publications, 4 patients, 2 findings; lung: 2+2 in 2, 2 patients, 1 finding;
    # kidney: only a finding
    assert [(r.anchor, *(texts(r)[k] for k in keys)) for r in table.rows] == [
        ("site-breast", "Breast", "5", "50%", "3", "4", "2"),
        ("site-lung", "Lung", "4", "40%", "2", "2", "1"),
        ("site-kidney", "Kidney", "0", "0%", "0", "0", "1"),
    ]
    assert [r.cells["site"].href for r in table.rows] == ["/sites/breast/", "/sites/lung/", "/sites/kidney/"]
    assert [r.cells["share"].sort for r in table.rows] == [5, 4, 0]
    explain = {c.key: c.explain for c in table.columns}
    assert explain["share"] == ("out of 10 surgically treated cases in 4 publications (Table 1 of Rëview R 2010: 3, including "
                                "1 own case of Rëview R 2010; their own publication: 1); 1 of these have no "
                                "reported primary site and count under none.")
    assert explain["patients"].startswith("individual patients, one row each. Individual patient records come only from")
    everywhere = make_ds(findings=())
    assert {c.key: c.explain for c in tables.sites_table(everywhere, link).columns}["patients"] == \
        "individual patients, one row each."


def test_sites_table_ties_sorted_by_patients_then_name(ds):
    series = (replace(ds.series[0], primary_sites={"lung": 1, "breast": 1, "kidney": 1}),)
    p = by_id(ds.patients, "gamma-2012-p2")
    patients = (replace(p, primary_site="kidney"), replace(p, id="y", primary_site="kidney"), replace(p, id="z"))
    table = tables.sites_table(make_ds(series=series, patients=patients, findings=()), link)
    assert [r.anchor for r in table.rows] == ["site-kidney", "site-lung", "site-breast"]


# --- Table, Footnotes, small tables ----------------------------------------------------------------

def test_footnotes_number_each_text_once():
    notes = Footnotes()
    assert notes.cell(["a", "b"]) == Cell("", notes=(1, 2))
    assert notes.cell(["b", "c"]).notes == (2, 3)
    assert notes.cell([]).notes == ()
    assert notes.cell(["a"]).notes == (1,)
    assert notes.texts == ["a", "b", "c"]


def make_table(rows, legend=()):
    columns = (Column("a", "A"), Column("b", "B", full="Bravo column", explain="what b means."),
               Column("c", "C", explain="what c means."), Column("d", "D", full="D"))
    return Table("t", "T", columns, rows, legend)


def test_without_empty_columns():
    rows = (Row(None, {"a": Cell("x"), "b": Cell("  "), "c": Cell(""), "d": Cell("")}),
            Row(None, {"a": Cell(""), "b": Cell(""), "c": Cell("", href="/h"), "d": Cell("")}))
    table = make_table(rows)
    assert [c.key for c in table.without_empty_columns().columns] == ["a", "c"]
    for kind in ({"links": (("t", "/u"),)}, {"notes": (1,)}, {"href": "/x"}, {"text": "y"}):
        row = Row(None, {"a": Cell("x"), "b": Cell("", **{k: v for k, v in kind.items() if k != "text"}) if "text" not in kind
                         else Cell(kind["text"]), "c": Cell("z"), "d": Cell("w")})
        full = make_table((row,))
        assert full.without_empty_columns() is full, kind
    assert make_table(()).without_empty_columns().columns == make_table(()).columns
    dropped = make_table(rows, ("own line",)).without_empty_columns()
    assert dropped.rows == rows and dropped.legend == ("own line",) and dropped.id == "t"


def test_legend_lines_only_for_shown_columns():
    rows = (Row(None, {"a": Cell("x"), "b": Cell("y"), "c": Cell("z"), "d": Cell("w")}),)
    table = make_table(rows, ("Table line.",))
    assert table.legend_lines == ("B: bravo column; what b means.", "C: what c means.", "Table line.")
    empty_b = (Row(None, {"a": Cell("x"), "b": Cell(""), "c": Cell("z"), "d": Cell("w")}),)
    assert make_table(empty_b, ("Table line.",)).without_empty_columns().legend_lines == ("C: what c means.", "Table line.")
    only_full = Table("t", "T", (Column("s", "Surg.", full="Surgery of the metastasis"),), ())
    assert only_full.legend_lines == ("Surg.: surgery of the metastasis.",)


def test_column_name():
    assert Column("s", "Surg.", full="Surgery").name == "Surgery"
    assert Column("s", "Surg.").name == "Surg."


def test_figure_table():
    ds = make_ds()
    stacked = tables.figure_table(figures.outcome_by_treatment(ds))
    assert stacked.id == "figure-data-outcome-by-treatment"
    assert stacked.caption == "Numbers behind: " + figures.outcome_by_treatment(ds).title
    assert [c.numeric for c in stacked.columns] == [False, False, True, True, True, True, True]
    assert [c.key for c in stacked.columns] == [f"c{i}" for i in range(7)]
    assert texts(stacked.rows[0]) == {"c0": "Surgery", "c1": "yes", "c2": "2", "c3": "1", "c4": "0", "c5": "0", "c6": "3"}
    bars = tables.figure_table(figures.primary_sites_surgical(ds))
    assert [c.numeric for c in bars.columns] == [False, True]
    assert [r.anchor for r in bars.rows] == [None, None, None]


def test_columns_table():
    table = tables.columns_table("patients", export.PATIENT_COLUMNS)
    assert table.id == "columns-patients" and table.caption == "Columns of patients.csv"
    assert [r.anchor for r in table.rows][:3] == ["column-patients-id", "column-patients-reference", "column-patients-age"]
    assert "column-patients-source-table" in [r.anchor for r in table.rows]
    assert texts(table.rows[0]) == {"name": "id", "description": export.PATIENT_COLUMNS[0][1]}
    assert [c.code for c in table.columns] == [True, False]


def test_field_reference_table(tmp_path):
    schema = {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string", "description": "The id."},
        "patients": {"type": "array", "description": "Patients.", "items": {"type": "object", "required": ["age"],
                     "properties": {"age": {"type": ["integer", "null"], "description": "Age | years."}}}}}}
    (tmp_path / "case.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    table = tables.field_reference_table(tmp_path, "case", "Case file")
    assert (table.id, table.caption) == ("fields-case", "Case file")
    assert [(r.anchor, *texts(r).values()) for r in table.rows] == [
        ("field-case-id", "id", "yes", "text", "The id."),
        ("field-case-patients", "patients", "no", "list", "Patients."),
        ("field-case-patients-age", "patients[].age", "yes", "whole number or null", "Age | years."),
    ]


# --- pages.py -------------------------------------------------------------------------------------

def test_reference_page_sites_are_the_reference_s_own(ds):
    page = pages.reference_page(ds, "alpha-1999", link, CitationRegister())
    assert [(b.text, b.href) for b in page.sites] == [("Lung", "/sites/lung/"), ("Breast", "/sites/breast/")]
    page = pages.reference_page(ds, "gamma-2012", link, CitationRegister())
    assert [b.text for b in page.sites] == ["Lung"]
    assert pages.reference_page(ds, "review-2010-ref-7", link, CitationRegister()).sites == ()


def test_reference_page_gathers_tables_rows_and_citing_pages(ds):
    register = CitationRegister()
    register.record("topics/treatment/", "Treatment", ["alpha-1999", "beta-2004"])
    register.record("topics/epidemiology/", "Epidemiology", ["alpha-1999"])
    page = pages.reference_page(ds, "alpha-1999", link, register)
    assert page.title.endswith("Alpha AB et al. 1999")  # the page's wording around the label may change
    assert [t.id for t in page.tables] == ["surgical-series", "patients", "citing-findings"]
    assert [len(t.rows) for t in page.tables] == [1, 2, 1]
    assert [(b.text, b.href) for b in page.cited_on] == [("Epidemiology", "/topics/epidemiology/"),
                                                         ("Treatment", "/topics/treatment/")]
    assert [(b.text, b.href) for b in page.rows] == [
        ("Surgical series table (the review’s Table 1), row of Alpha AB et al. 1999",
         "/cases/surgical-series/#series-alpha-1999-s1"),
        ("Breast-carcinoma table (the review’s Table 2), patient alpha-1999-p1",
         "/cases/breast-carcinoma/#patient-alpha-1999-p1"),
        ("Breast-carcinoma table (the review’s Table 2), patient alpha-1999-p2",
         "/cases/breast-carcinoma/#patient-alpha-1999-p2"),
        ("All patients table, patient alpha-1999-p1", "/cases/all-patients/#patient-alpha-1999-p1"),
        ("All patients table, patient alpha-1999-p2", "/cases/all-patients/#patient-alpha-1999-p2"),
        ("Key figures: Share of cancer patients", "/topics/epidemiology/#finding-f-incidence")]
    assert [(b.text, b.href) for b in page.downloads] == [("BibTeX", "/downloads/references/alpha-1999.bib"),
                                                          ("RIS", "/downloads/references/alpha-1999.ris")]
    fields = {f.label: (f.text, f.href) for f in page.fields}
    assert fields["Title"] == ("Spinal cord metastases in four patients", None)
    assert fields["Journal"] == ("Spine Journal", None)
    assert fields["Authors"] == ("Alpha AB, et al.", None)
    assert fields["Cited in Rëview R 2010 as"] == ("reference 3", None)
    assert fields["Read from"] == ("Rëview R 2010", "/references/review-2010/")
    assert page.own_cases == ()


def test_review_page_lists_its_own_case_and_numbered_works(ds):
    page = pages.reference_page(ds, REVIEW, link, CitationRegister())
    assert [(b.text, b.href) for b in page.cited_by_number] == [("Reference 7", "/references/review-2010-ref-7/")]
    assert len(page.own_cases) == 1
    assert page.own_cases[0] == (
        "Rëview R 2010 reports one patient of its own beside the literature it collects: aged 45, with the metastasis at "
        "the lumbar and sacral; surgery of the metastasis: yes; radiotherapy: yes; chemotherapy: no; neurological "
        "outcome: improvement; survival: 20 months, read as death at that time.")
    fields = {f.label: f.text for f in page.fields}
    assert fields["Volume, issue, pages"] == "154(2):117-122"
    assert page.notes == ("Pages printed as 117-22.",)


def test_site_page(ds):
    page = pages.site_page(ds, "breast", link)
    assert page.title == "Breast"
    assert page.counts[0] == ("5 surgically treated cases with a breast primary in 3 publications (Table 1 of Rëview R "
                              "2010, including 1 own case of Rëview R 2010).")
    assert page.counts[1] == ("4 patients with a breast primary (Table 2 of Rëview R 2010, including 1 own case of "
                              "Rëview R 2010), one row each.")
    assert [t.id for t in page.tables] == ["surgical-series", "patients", "site-findings"]
    kidney = pages.site_page(ds, "kidney", link)
    assert kidney.counts[0] == "No surgically treated series in the data names a kidney primary."
    assert kidney.counts[1].startswith("The data holds no individual patient record with this primary site. ")
    assert [t.id for t in kidney.tables] == ["site-findings"]


# --- what a reader sees around the cells: headers, ids, captions, legends ---------------------------

def header(table: Table) -> list[tuple]:
    """(key, header, numeric, sortable, code, full name) of each column."""
    return [(c.key, c.label, c.numeric, c.sortable, c.code, c.full) for c in table.columns]


REFERENCE_COLUMNS = [("reference", "Reference", False, True, False, None),
                     ("review_ref", "Ref.", True, True, False, "Reference number in Rëview R 2010"),
                     ("year", "Year", True, True, False, None)]
NOTES = ("notes", "Notes", False, False, False, None)


def test_patients_table_header(ds):
    assert header(tables.patients_table(ds, link)) == [
        *REFERENCE_COLUMNS, ("site", "Primary site", False, True, False, None),
        ("age", "Age", True, True, False, "Age (years)"), ("sex", "Sex", False, True, False, None),
        ("level", "Level", False, True, False, None), ("histology", "Histology", False, True, False, None),
        ("surgery", "Surg.", False, True, False, "Surgery of the metastasis"),
        ("resection", "Extent", False, True, False, "Extent of resection"),
        ("radiotherapy", "RT", False, True, False, "Radiotherapy"), ("chemotherapy", "ChT", False, True, False, "Chemotherapy"),
        ("outcome", "Outcome", False, True, False, None),
        ("from_primary", "Dx→ISCM", True, True, False, "Months from primary diagnosis to the metastasis"),
        ("survival", "Surv.", True, True, False, "Survival (months)"), NOTES]
    assert tables.patients_table(ds, link).legend_lines == (
        "Ref.: reference number in Rëview R 2010; the number under which Rëview R 2010 cites the publication.",
        "Age: age (years).",
        "Sex: as the publication reports it; empty where it does not.",
        "Level: C: Cervical, T: Thoracic, L: Lumbar, conus: Medullary conus. Exact segments (e.g. C7, T10-T12) where the "
        "publication gives them.",
        "Histology: of this patient's tumour, where reported.",
        "Surg.: surgery of the metastasis.",
        "Extent: extent of resection; where the publication reports it.",
        "RT: radiotherapy.",
        "ChT: chemotherapy.",
        "Outcome: neurological status after treatment.",
        "Dx→ISCM: months from primary diagnosis to the metastasis.",
        "Surv.: survival (months); months as the source reports them (it does not say from when); a bare number is read as "
        "death at that time, “alive at N” as alive at last follow-up.",
        tables.NOT_REPORTED_LEGEND)
    breast = tables.breast_carcinoma_table(ds, link)
    assert (breast.id, breast.caption) == ("breast-carcinoma", "ISCM of breast carcinoma, patient by patient (Table 2 of Rëview R 2010)")


def test_a_patient_without_primary_site(ds):
    unknown = replace(by_id(ds.patients, "gamma-2012-p2"), primary_site=None)
    table = tables.patients_table(ds, link, [unknown, by_id(ds.patients, "alpha-1999-p1")])
    assert [r.cells["site"].text for r in table.rows] == [NA, "Breast"]
    assert table.rows[0].facets["site"] == ("not-reported",)
    assert [(f.key, f.options) for f in table.facets][0] == ("site", (("breast", "Breast", 1), ("not-reported", NA, 1)))


def test_series_and_small_tables_headers(ds):
    assert header(tables.surgical_series_table(ds, link)) == [
        *REFERENCE_COLUMNS, ("surgically_treated", "Operated", True, True, False, "Surgically treated (patients)"),
        ("primary_sites", "Primary site (or histology)", False, True, False, None), NOTES]
    assert header(tables.findings_table(ds, link, list(ds.findings))) == [
        ("label", "Finding", False, True, False, None), ("value", "Value", False, True, False, None),
        ("cited", "Cited works", False, False, False, None), NOTES]
    summary = tables.summary_table(ds)
    assert (summary.id, summary.caption) == ("summary", "Summary figures, computed from the case data")
    assert header(summary) == [("label", "Figure", False, True, False, None), ("value", "Value", True, True, False, None),
                               ("how", "How it is counted", False, True, False, None)]
    columns = tables.columns_table("series", export.SERIES_COLUMNS)
    assert header(columns) == [("name", "Column", False, False, True, None),
                               ("description", "What it holds", False, False, False, None)]
    assert [r.anchor for r in columns.rows][-1] == "column-series-notes"


def test_bibliography_header_and_legend(ds):
    table = tables.bibliography_table(ds, link)
    assert (table.id, table.caption) == ("bibliography", "All references")
    assert header(table) == [("reference", "First author", False, True, False, None), ("year", "Year", True, True, False, None),
                             ("title", "Title", False, True, False, None), ("journal", "Journal", False, True, False, None),
                             ("review_ref", "Ref.", True, True, False, None), ("metadata", "Record", False, True, False, None)]
    assert table.legend == (
        "Ref.: the number under which Rëview R 2010 cites the work.",
        "Record: what the atlas knows of the work's bibliographic record, and where from (named on its page).",
        "n.a.: not known yet.")
    by_anchor = {r.anchor: r for r in table.rows}
    assert by_anchor["ref-review-2010-ref-7"].cells["year"].sort == ""
    assert by_anchor["ref-alpha-1999"].cells["year"].sort == 1999
    assert [r.cells["review_ref"].sort for r in table.rows] == [3, 5, "", "", 7]


def test_bibliography_puts_an_undated_work_before_the_same_author_s_dated_ones(ds):
    undated = Reference("alpha-nd", {**ds.references["alpha-1999"].csl, "id": "alpha-nd"})
    del undated.csl["issued"]
    table = tables.bibliography_table(make_ds(references={**ds.references, "alpha-nd": undated}), link)
    assert [r.anchor for r in table.rows][:2] == ["ref-alpha-nd", "ref-alpha-1999"]
    assert table.rows[0].cells["year"].text == NA and table.rows[0].cells["year"].sort == ""


def test_sites_table_header_and_legend(ds):
    table = tables.sites_table(ds, link)
    assert (table.id, table.caption) == ("sites", "Primary sites, most surgically treated cases first")
    assert header(table) == [("site", "Primary site", False, True, False, None),
                             ("cases", "Surgically treated cases", True, True, False, None),
                             ("share", "Share", True, True, False, "Share of all surgically treated cases"),
                             ("publications", "Publications (surgical)", True, True, False, None),
                             ("patients", "Patient records", True, True, False, None),
                             ("findings", "Findings", True, True, False, None)]
    assert table.legend_lines[-1] == "Findings: findings of the literature that concern the site."
    assert [r.cells["site"].sort for r in table.rows] == ["Breast", "Lung", "Kidney"]


def test_sites_table_more_cases_first_even_with_fewer_patients(ds):
    series = (replace(ds.series[0], primary_sites={"lung": 1, "breast": 3}),)
    p = by_id(ds.patients, "gamma-2012-p2")
    patients = (p, replace(p, id="y"), replace(p, id="z", primary_site="breast"))
    table = tables.sites_table(make_ds(series=series, patients=patients, findings=()), link)
    assert [r.anchor for r in table.rows] == ["site-breast", "site-lung"]


def test_citation_links_of_two_numbers(ds):
    two = make_ds(references={**ds.references, "review-2010-ref-8": numbered(8)})
    assert citations.citation_links(two, ["review-2010-ref-7", "review-2010-ref-8"], link) == (
        ("refs. 7, 8 in Rëview R 2010", "/references/review-2010/#cited-by-number", "; "),)


def test_make_facets_of_rows_without_the_facet():
    rows = (Row(None, {}, {"site": ("lung",)}), Row(None, {}, {}), Row(None, {}, {"site": ("breast", "lung")}))
    [facet] = tables.make_facets(rows, (("site", "Primary site", (("lung", "Lung"), ("breast", "Breast"))),))
    assert (facet.key, facet.label, facet.options) == ("site", "Primary site", (("lung", "Lung", 2), ("breast", "Breast", 1)))


def test_a_facet_that_would_filter_nothing_is_left_out():
    """One option, or one row: nothing to choose between, so no filter is offered."""
    spec = (("site", "Primary site", (("lung", "Lung"), ("breast", "Breast"))),)
    assert tables.make_facets((Row(None, {}, {"site": ("lung",)}), Row(None, {}, {"site": ("lung",)})), spec) == ()
    assert tables.make_facets((Row(None, {}, {"site": ("lung", "breast")}),), spec) == ()


def test_field_reference_table_keys_and_anchors(tmp_path):
    schema = {"type": "object", "required": ["$schema"], "properties": {
        "$schema": {"type": "string", "description": "Editor hint."}, "notes": {"type": "array", "description": "N."}}}
    (tmp_path / "finding.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    table = tables.field_reference_table(tmp_path, "finding", "Finding file")
    assert header(table) == [("field", "Field", False, True, True, None), ("required", "Required", False, True, False, None),
                             ("type", "Type", False, True, False, None),
                             ("description", "What to write", False, True, False, None)]
    assert [(r.anchor, texts(r)) for r in table.rows] == [
        ("field-finding-schema", {"field": "$schema", "required": "yes", "type": "text", "description": "Editor hint."}),
        ("field-finding-notes", {"field": "notes", "required": "no", "type": "list", "description": "N."})]


def test_rows_name_the_works_they_come_from(ds):
    """Each row carries the ids of the works its facts were first published in, to cite them."""
    if "sources" not in Row.__dataclass_fields__:
        pytest.skip("tables.Row has no sources")
    assert [r.sources for r in tables.surgical_series_table(ds, link).rows] == [(s.reference,) for s in ds.series]
    assert [r.sources for r in tables.patients_table(ds, link).rows] == [(p.reference,) for p in ds.patients]
    assert [r.sources for r in tables.findings_table(ds, link, list(ds.findings)).rows] == [
        ("alpha-1999", "review-2010-ref-7"), ("review-2010",), ("beta-2004",), ("gamma-2012",)]


def test_findings_table_has_an_empty_legend(ds):
    table = tables.findings_table(ds, link, list(ds.findings))
    assert table.legend == () and table.legend_lines == ()


def test_figure_table_headers_are_the_figure_s(ds):
    fig = figures.by_year(ds)
    assert [c.label for c in tables.figure_table(fig).columns] == list(fig.columns)


def test_undated_reference_sorts_as_empty(ds):
    undated = patient("review-2010-ref-7-p1", "review-2010-ref-7", Source(REVIEW, 2, 9), primary_site="lung")
    [row] = tables.patients_table(make_ds(patients=(undated,)), link).rows
    assert (row.cells["year"].text, row.cells["year"].sort) == (NA, "")
    assert (row.cells["reference"].text, row.cells["review_ref"].text) == ("Review ref. 7", "7")
