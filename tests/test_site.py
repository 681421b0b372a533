"""The real site, built with `mkdocs build --strict`: tables, links and the export hold every record."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlparse

from conftest import ROOT, collecting, load_yaml, raw_records
from htmlread import page_text, read, table_parts, table_rows

NA = "n.a."


def html(site: Path, page: str) -> Path:
    return site / page / "index.html"


def test_strict_build_prints_no_warning(built_site):
    assert "WARNING" not in built_site.output
    assert "ERROR" not in built_site.output


def resolve(site: Path, page: str, href: str) -> tuple[Path, str]:
    """The file and anchor a relative link on `page` points to."""
    url = urlparse(urljoin(f"http://site/{page}/", href))
    path = site / url.path.lstrip("/")
    return (path / "index.html" if url.path.endswith("/") else path), url.fragment


def assert_link_resolves(site: Path, page: str, href: str):
    target, anchor = resolve(site, page, href)
    assert target.is_file(), f"{page}: {href} -> {target} is missing"
    if anchor:
        assert anchor in read(target).ids, f"{page}: {href} -> no #{anchor} in {target}"


def test_surgical_series_tables_hold_every_series_once(any_site):
    """The review's Table 1 holds the series read from the review, as printed; every other series is in the table of
    series from other publications; together they hold every series once."""
    page = "cases/surgical-series"
    raw_cases, raw_references = raw_records(any_site.data, "cases"), raw_records(any_site.data, "references")
    review, review_links, review_where = table_rows(any_site.site, page, "surgical-series")
    shown = "table-later-series" in read(html(any_site.site, page)).ids  # else a sentence says there is none yet
    later, later_links, later_where = table_rows(any_site.site, page, "later-series") if shown else ({}, {}, {})
    series = [(case, s) for case in raw_cases.values() for s in case.get("series", [])]
    from_review = {s["id"] for _, s in series if s["source"]["document"] in collecting(raw_cases)}
    assert {k.removeprefix("series-") for k in review} == from_review
    assert {k.removeprefix("series-") for k in later} == {s["id"] for _, s in series} - from_review
    table, row_links, where = {**review, **later}, {**review_links, **later_links}, {**review_where, **later_where}
    labels = {t["id"]: t["label"] for t in load_yaml(any_site.data / "vocabularies" / "primary-sites.yaml")["terms"]}
    for case, s in series:
        cells = table[f"series-{s['id']}"]
        reference = raw_references[case["reference"]]
        printed = reference["iscm"].get("printed_as")
        if printed:
            assert cells["Reference"] == printed.replace("Conolly", "Connolly")
        else:
            assert cells["Reference"].startswith(reference["author"][0]["family"])
        number = next((v for k, v in cells.items() if k.startswith("Reference number in")), "")  # dropped when empty
        assert number == str(reference["iscm"].get("review_ref", ""))
        assert cells["Year"] == str(reference["issued"]["date-parts"][0][0])
        assert cells["Surgically treated (patients)"] == str(s["surgically_treated"])
        for site_id, count in s["primary_sites"].items():
            assert f"{labels[site_id]} {count}" in cells["Primary site (or histology)"]
        if not s["primary_sites"]:
            assert cells["Primary site (or histology)"].startswith(NA)
        links = row_links[f"series-{s['id']}"]
        assert links[0].endswith(f"references/{case['reference']}/")
        for href in links:
            assert_link_resolves(any_site.site, where[f"series-{s['id']}"], href)


YES_NO = {True: "yes", False: "no", None: NA}


def check_patient_cells(cells: dict, p: dict) -> None:
    """A patient's row against its YAML record, read without the code under test."""
    assert cells["Age (years)"] == (NA if p["age"] is None else str(p["age"]))
    assert (cells["Level"] == NA) is (p.get("level") is None and not p.get("segments"))
    def shown(field):  # a value printed but doubtful stands as printed, flagged
        return YES_NO[p[field]] + (" (as printed, doubtful)" if field in p.get("doubtful", ()) else "")
    assert (cells["Surgery of the metastasis"], cells["Radiotherapy"], cells["Chemotherapy"]) == (
        shown("surgery"), shown("radiotherapy"), shown("chemotherapy"))
    assert cells["Outcome"] == (NA if p["outcome"] is None else p["outcome"].replace("-", " "))
    survival = cells["Survival (months)"]
    if p["survival_months"] is None:
        assert survival.split(";")[0] == NA
    else:
        assert survival == (f"alive at {p['survival_months']:g}" if p["alive"] else f"{p['survival_months']:g}")


def test_breast_carcinoma_table_is_the_review_s_table_2(any_site):
    """The review's Table 2 as printed: its breast-carcinoma rows (its own case included), no row added since."""
    page = "cases/breast-carcinoma"
    raw_cases = raw_records(any_site.data, "cases")
    rows, row_links, where = table_rows(any_site.site, page, "breast-carcinoma")
    patients = [p for case in raw_cases.values() for p in case.get("patients", [])
                if p["primary_site"] == "breast" and p["source"]["document"] in collecting(raw_cases)]
    assert set(rows) == {f"patient-{p['id']}" for p in patients}
    for p in patients:
        check_patient_cells(rows[f"patient-{p['id']}"], p)
        for href in row_links[f"patient-{p['id']}"]:
            assert_link_resolves(any_site.site, where[f"patient-{p['id']}"], href)


def test_all_patients_table_holds_every_patient_with_every_field(any_site):
    """Every patient record of any site and any source is one row, its cells those of its record; the fields of
    reports since 2009 are shown where given; its reference page and its site page link to it."""
    page = "cases/all-patients"
    raw_cases = raw_records(any_site.data, "cases")
    rows, row_links, where = table_rows(any_site.site, page, "all-patients")
    patients = [(case, p) for case in raw_cases.values() for p in case.get("patients", [])]
    assert set(rows) == {f"patient-{p['id']}" for _, p in patients}
    origins = {t["id"]: t["label"] for t in load_yaml(any_site.data / "vocabularies" / "time-origins.yaml")["terms"]}
    sites = {t["id"]: t["label"] for t in load_yaml(any_site.data / "vocabularies" / "primary-sites.yaml")["terms"]}
    for case, p in patients:
        cells = rows[f"patient-{p['id']}"]
        check_patient_cells(cells, p)
        if "Primary site" in cells:
            assert cells["Primary site"] == (sites[p["primary_site"]] if p["primary_site"] else NA)
        if p.get("survival_from"):
            assert cells["Survival counted from"] == origins[p["survival_from"]].lower()
        if p.get("radiotherapy_technique"):
            assert cells["Radiotherapy technique"].startswith(p["radiotherapy_technique"][:4])
        for field, words in (("steroids", "steroids"), ("targeted_therapy", "targeted")):
            if p.get(field) is not None:
                assert f"{words}: {YES_NO[p[field]]}" in cells["Other systemic therapy and steroids"]
        reference = read(html(any_site.site, f"references/{case['reference']}"))
        assert any(h.endswith(f"#patient-{p['id']}") and "all-patients" in h for h in reference.links), p["id"]
        if p["primary_site"]:
            site_page = read(html(any_site.site, f"sites/{p['primary_site']}"))
            assert any(h.endswith(f"all-patients/?site={p['primary_site']}") for h in site_page.links), p["id"]
        for href in row_links[f"patient-{p['id']}"]:
            assert_link_resolves(any_site.site, where[f"patient-{p['id']}"], href)


def test_group_notes_are_shown_once(any_site):
    """A note on a group statistic (e.g. survival given only for five patients together) is one footnote
    that every patient of the group points to, not repeated on each row."""
    texts = [page_text(html(any_site.site, part)) for part in table_parts(any_site.site, "cases/breast-carcinoma", "breast-carcinoma")]
    for case in raw_records(any_site.data, "cases").values():
        for group in case.get("group_statistics", []):
            for note in group.get("notes", []):
                counts = [text.count(note) for text in texts]  # once on each part that shows the group's patients
                assert max(counts) == 1, note


def test_typo_corrections_are_visible(built_site):
    series_page = page_text(html(built_site.site, "cases/surgical-series"))
    assert "Lymphoma 1" in series_page and '"lymfoma"' in series_page
    connolly = page_text(html(built_site.site, "references/connolly-1996"))
    assert 'prints the first author as "Conolly"' in connolly and "Connolly ES Jr et al. 1996" in connolly


def test_bibliography_lists_every_reference_with_its_page(any_site):
    rows, row_links, where = table_rows(any_site.site, "references", "bibliography")
    assert rows.keys() == {f"ref-{rid}" for rid in raw_records(any_site.data, "references")}
    for rid in raw_records(any_site.data, "references"):
        assert f"{rid}/" in row_links[f"ref-{rid}"][0]
        assert_link_resolves(any_site.site, where[f"ref-{rid}"], row_links[f"ref-{rid}"][0])


def test_the_review_and_every_work_it_cites_are_held(raw_references):
    """The review numbers its references 1 to 71; each has a file (the seed is complete)."""
    numbers = sorted(r["iscm"]["review_ref"] for r in raw_references.values() if r["iscm"].get("review_ref"))
    assert numbers == list(range(1, 72)) and "hrabalek-2010" in raw_references


def test_summary_figures_are_on_the_pages(built_site):
    """What the review states (its abstract) is on the home page, counted from the review's own records."""
    from iscm_atlas.content.summary import figures
    from iscm_atlas.data.dataset import load_dataset

    value = {fid: str(f.value) for fid, f in figures(load_dataset(ROOT / "data").dataset).items()}
    home = page_text(html(built_site.site, ""))
    assert f"{value['surgical-cases']} surgically treated cases in {value['surgical-publications']} publications" in home
    assert f"{value['breast-patients']} patients in {value['breast-publications']} publications" in home
    assert f"{value['breast-resected']} had a breast primary ({value['breast-resected-share']})" in home
    overview = read(html(built_site.site, "cases"))
    for fid, text in value.items():
        assert overview.rows[f"figure-{fid}"][1] == text
    assert "Schiff D et al. 1996" in page_text(html(built_site.site, "cases"))


def test_export_holds_every_record_as_in_the_yaml(any_site):
    raw_cases, raw_references = raw_records(any_site.data, "cases"), raw_records(any_site.data, "references")
    export = json.loads((any_site.site / "downloads" / "iscm-dataset.json").read_text(encoding="utf-8"))
    assert set(export) >= {"references", "series", "patients", "findings"}
    assert {r["id"]: r for r in export["references"]} == raw_references
    series = {s["id"]: s for s in export["series"]}
    patients = {p["id"]: p for p in export["patients"]}
    for case in raw_cases.values():
        for s in case.get("series", []):
            assert series.pop(s["id"]) == {**s, "reference": case["reference"]}
        for p in case.get("patients", []):
            assert patients.pop(p["id"]) == {**p, "reference": case["reference"]}
        for g in case.get("group_statistics", []):
            assert {**g, "reference": case["reference"]} in export["group_statistics"]
    assert series == {} and patients == {}
    findings = {f["id"]: f for f in export["findings"]}
    for fid, finding in raw_records(any_site.data, "findings").items():
        exported = findings.pop(fid)
        page = "methods/" if finding["topic"] == "methods" else f"topics/{finding['topic']}/"
        assert exported == {**finding, "url": f"{page}#finding-{fid}"}
        assert_link_resolves(any_site.site, "", exported["url"])
    assert findings == {}
    vocabularies = raw_records(any_site.data, "vocabularies")
    for vid, vocabulary in vocabularies.items():
        assert export["vocabularies"][vid]["terms"] == [
            {k: t[k] for k in ("id", "label", "abbreviation") if k in t} for t in vocabulary["terms"]]


def test_download_is_linked_and_resolves(built_site):
    reader = read(html(built_site.site, "downloads"))
    assert "iscm-dataset.json" in reader.links
    assert_link_resolves(built_site.site, "downloads", "iscm-dataset.json")
