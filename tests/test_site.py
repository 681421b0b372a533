"""The real site, built with `mkdocs build --strict`: tables, links and the export hold every record."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import ROOT, copy_project, load_yaml, run_build
from htmlread import labelled_rows, page_text, read

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


def test_surgical_series_table_holds_every_series(built_site, raw_cases, raw_references):
    page = "cases/surgical-series"
    reader = read(html(built_site.site, page))
    series = [(case, s) for case in raw_cases.values() for s in case.get("series", [])]
    assert len(series) == 43
    rows = {k: v for k, v in reader.rows.items() if k.startswith("series-")}
    assert len(rows) == len(series)
    for case, s in series:
        cells = rows[f"series-{s['id']}"]
        reference = raw_references[case["reference"]]
        assert cells[0] == reference["iscm"]["printed_as"].replace("Conolly", "Connolly")
        assert cells[1] == str(reference["iscm"].get("review_ref", ""))
        assert cells[2] == str(reference["issued"]["date-parts"][0][0])
        assert cells[3] == str(s["surgically_treated"])
        labels = {t["id"]: t["label"] for t in load_yaml(ROOT / "data" / "vocabularies" / "primary-sites.yaml")["terms"]}
        for site_id, count in s["primary_sites"].items():
            assert f"{labels[site_id]} {count}" in cells[4]
        if not s["primary_sites"]:
            assert cells[4].startswith(NA)
        links = reader.row_links[f"series-{s['id']}"]
        assert links[0].endswith(f"references/{case['reference']}/")
        for href in links:
            assert_link_resolves(built_site.site, page, href)


def test_breast_carcinoma_table_holds_every_patient(built_site, raw_cases):
    page = "cases/breast-carcinoma"
    reader = read(html(built_site.site, page))
    rows = labelled_rows(html(built_site.site, page), "breast-carcinoma")
    patients = [p for case in raw_cases.values() for p in case.get("patients", []) if p["primary_site"] == "breast"]
    assert len(rows) == len(patients)
    yes_no = {True: "yes", False: "no", None: NA}
    for p in patients:
        cells = rows[f"patient-{p['id']}"]
        assert cells["Age (years)"] == (NA if p["age"] is None else str(p["age"]))
        assert (cells["Level"] == NA) is (p["level"] is None)
        assert (cells["Surgery of the metastasis"], cells["Radiotherapy"], cells["Chemotherapy"]) == (
            yes_no[p["surgery"]], yes_no[p["radiotherapy"]], yes_no[p["chemotherapy"]])
        assert cells["Outcome"] == (NA if p["outcome"] is None else p["outcome"].replace("-", " "))
        survival = cells["Survival (months)"]
        if p["survival_months"] is None:
            assert survival.split(";")[0] == NA
        else:
            assert survival == (f"alive at {p['survival_months']:g}" if p["alive"] else f"{p['survival_months']:g}")
        for href in reader.row_links[f"patient-{p['id']}"]:
            assert_link_resolves(built_site.site, page, href)


def test_group_notes_are_shown_once(built_site, raw_cases):
    """A note on a group statistic (e.g. survival given only for five patients together) is one footnote
    that every patient of the group points to, not repeated on each row."""
    text = page_text(html(built_site.site, "cases/breast-carcinoma"))
    for case in raw_cases.values():
        for group in case.get("group_statistics", []):
            for note in group.get("notes", []):
                assert text.count(note) == 1, note


def test_typo_corrections_are_visible(built_site):
    series_page = page_text(html(built_site.site, "cases/surgical-series"))
    assert "Lymphoma 1" in series_page and '"lymfoma"' in series_page
    connolly = page_text(html(built_site.site, "references/connolly-1996"))
    assert 'prints the first author as "Conolly"' in connolly and "Connolly ES Jr et al. 1996" in connolly


def test_bibliography_lists_every_reference_with_its_page(built_site, raw_references):
    reader = read(html(built_site.site, "references"))
    assert len(raw_references) == 72  # the review, and every work it cites, numbered 1 to 71
    for rid in raw_references:
        assert f"ref-{rid}" in reader.ids
        assert f"{rid}/" in reader.row_links[f"ref-{rid}"][0]
        assert_link_resolves(built_site.site, "references", reader.row_links[f"ref-{rid}"][0])


def test_summary_figures_are_on_the_pages(built_site):
    """What the review states (its abstract) is on the home page, counted from the review's own records."""
    from iscm_atlas.dataset import load_dataset
    from iscm_atlas.summary import figures

    value = {fid: str(f.value) for fid, f in figures(load_dataset(ROOT / "data").dataset).items()}
    home = page_text(html(built_site.site, ""))
    assert f"{value['surgical-cases']} surgically treated cases in {value['surgical-publications']} publications" in home
    assert f"{value['breast-patients']} patients in {value['breast-publications']} publications" in home
    assert f"{value['breast-resected']} had a breast primary ({value['breast-resected-share']})" in home
    overview = read(html(built_site.site, "cases"))
    for fid, text in value.items():
        assert overview.rows[f"figure-{fid}"][1] == text
    assert "Schiff D et al. 1996" in page_text(html(built_site.site, "cases"))


def test_export_holds_every_record_as_in_the_yaml(built_site, raw_cases, raw_references):
    export = json.loads((built_site.site / "downloads" / "iscm-dataset.json").read_text(encoding="utf-8"))
    assert set(export) >= {"references", "series", "patients", "findings"}
    assert {r["id"]: r for r in export["references"]} == raw_references
    series = {s["id"]: s for s in export["series"]}
    patients = {p["id"]: p for p in export["patients"]}
    for case in raw_cases.values():
        for s in case.get("series", []):
            assert series.pop(s["id"]) == {**s, "reference": case["reference"]}
        for p in case.get("patients", []):
            exported = patients.pop(p["id"])
            assert exported == {**p, "reference": case["reference"]}
            assert list(exported)[:12] == ["id", "reference", "age", "level", "primary_site", "surgery", "radiotherapy",
                                           "chemotherapy", "outcome", "survival_months", "alive", "source"]
        for g in case.get("group_statistics", []):
            assert {**g, "reference": case["reference"]} in export["group_statistics"]
    assert series == {} and patients == {}


def test_download_is_linked_and_resolves(built_site):
    reader = read(html(built_site.site, "downloads"))
    assert "iscm-dataset.json" in reader.links
    assert_link_resolves(built_site.site, "downloads", "iscm-dataset.json")


@pytest.mark.parametrize("payload", ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>'])
def test_html_in_data_is_shown_as_text(tmp_path, payload):
    project = copy_project(tmp_path / "project")
    case = project / "data" / "cases" / "silva-1967.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "    source:", f"    notes:\n      - '{payload}'\n    source:", 1), encoding="utf-8")
    build = run_build(project, tmp_path / "site")
    assert build.returncode == 0, build.output
    raw = html(tmp_path / "site", "cases/surgical-series").read_text(encoding="utf-8")
    assert payload not in raw
    assert payload.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") in raw
