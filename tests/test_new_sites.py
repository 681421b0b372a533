"""Patients of three primary sites the seed has no patient record of (lung, kidney, prostate), from two new works,
added through the scaffold's answer file to the review's own records (whatever else data/ holds) and built with
`mkdocs build --strict`: every caption, legend and count
sentence they reach is checked against text written here by hand (worked out from the seed's Table 2 and the records
below), never against text produced by the code under test.

The seed holds 28 patient records, all with a breast primary, read from the review's Table 2 (27 rows and the review's
own case); 22 of them have a reported survival, none with a stated time origin, 10 operated on and 12 not.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
import yaml
from conftest import copy_project, run_build
from htmlread import labelled_rows, read
from lxml import html as lxml_html

ANSWERS = """\
works:
  - authors: ["Alpha, A.", "Beta, B."]
    year: 2018
    title: Intramedullary metastases of lung and prostate cancer, a fixture series
    journal: Fixture J
    read_from: https://example.org/alpha-2018
    read_on: "2026-01-15"
    text: full-text
    confidence: partial
    patients:
      - {age: 60, primary_site: NSCLC, surgery: yes, survival_months: 4, alive: no, survival_from: diagnosis}
      - {age: 55, primary_site: lung, surgery: yes, survival_months: 10, alive: yes, survival_from: diagnosis}
      - {primary_site: SCLC, surgery: yes, survival_months: 2, alive: no, survival_from: diagnosis}
      - {primary_site: lung, surgery: no, survival_months: 1, alive: no, survival_from: diagnosis}
      - {primary_site: lung, surgery: no, survival_months: 3, alive: no, survival_from: diagnosis}
      - {primary_site: lung, surgery: no}
      - {primary_site: prostate, segments: [conus], surgery: yes, survival_months: 5, alive: no}
  - authors: ["Gamma, G.", "Delta, D."]
    year: 2020
    title: A kidney-cancer metastasis of the spinal cord, a fixture case
    read_from: https://example.org/gamma-2020
    read_on: "2026-01-15"
    text: abstract
    confidence: partial
    patients:
      - primary_site: renal
        surgery: no
        radiotherapy: yes
        radiotherapy_technique: SRS
        survival_months: 7
        survival_from: first symptom
        alive: no
"""
REVIEW = "hrabalek-2010"
TOPIC = "topics/survival-and-outcome"
POPULATION = ("29 of 36 patients with a lung (6), breast (28), kidney (1) or prostate (1) primary and reported survival "
              "(Table 2 of Hrabálek L 2010: 28, including 1 own case of Hrabálek L 2010; their own publications: 8)")


def seed_only(data) -> None:
    """Keep the case records read from the review's tables only (works added since have their own case files, each
    record read from its own publication): the expected texts below are worked out from those records."""
    for path in (data / "cases").glob("*.yaml"):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any(r["source"]["document"] != REVIEW for kind in ("series", "patients") for r in case.get(kind, [])):
            path.unlink()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("new-sites") / "project")
    seed_only(project / "data")
    answers = project.parent / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    added = subprocess.run([sys.executable, "scripts/new_case.py", "--answers", str(answers)], cwd=project,
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    validate = subprocess.run([sys.executable, "scripts/validate.py"], cwd=project, capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout
    build = run_build(project, project.parent / "site")
    assert build.returncode == 0, build.output
    return build.site


def caption(site, page: str, fid: str) -> str:
    figure = lxml_html.parse(str(site / page / "index.html")).xpath(f"//figure[@id='figure-{fid}']")[0]
    return " ".join(figure.xpath("string(.//figcaption)").split())


def groups_in_csv(site, fid: str) -> list[str]:
    rows = list(csv.reader(io.StringIO((site / "downloads" / "figures" / f"{fid}.csv").read_text(encoding="utf-8"))))
    return list(dict.fromkeys(r[0] for r in rows[1:]))


def counts(site, page: str) -> list[str]:
    tree = lxml_html.parse(str(site / page / "index.html"))
    return [" ".join(li.text_content().split()) for li in tree.xpath("//ul[@class='atlas-counts']/li")]


def test_overall_survival_has_a_curve_per_site_group_and_names_what_it_pools(site):
    text = caption(site, TOPIC, "survival-overall")
    assert text.startswith("Survival of patients with a lung (5), breast (22), kidney (1) or prostate (1) primary, by "
                           f"primary-site group: {POPULATION}. Other sites: kidney (1) and prostate (1). ")
    assert "Lung primary: median 3 months" in text  # deaths at 1, 2, 3 and 4 months, one alive at 10: 0.8, 0.6, 0.4
    assert ("Survival is in months as the records give it, counted from what each publication states: Lung primary: "
            "diagnosis of the spinal cord metastasis (5); Breast primary: not stated (22); Other sites: first symptom (1), "
            "not stated (1). Other sites pools records counted from different events, as listed: their times are not "
            "all measured from the same start.") in text
    assert ("n = 29 patients (Lung primary: 5, 4 deaths, 1 censored, Breast primary: 22, 16 deaths, 6 censored, Other "
            "sites: 2, 2 deaths, 0 censored). Left out: 7 without reported survival") in text
    assert groups_in_csv(site, "survival-overall") == ["Lung primary", "Breast primary", "Other sites"]
    svg = (site / "figures" / "survival-overall.svg").read_text(encoding="utf-8")
    for legend in ("Lung primary (n = 5)", "Breast primary (n = 22)", "Other sites (n = 2)",
                   "Months as recorded (time origin per record: see caption)"):
        assert legend in svg
    assert "Breast or " not in svg and "or kidney primary" not in text  # no site merged into another's curve


def test_surgery_is_compared_within_each_site_and_never_across(site):
    text = caption(site, TOPIC, "survival-by-surgery")
    assert text.startswith("Survival with and without surgery of the metastasis, within each primary-site group: 27 of "
                           "36 patients with a lung (6), breast (28), kidney (1) or prostate (1) primary and reported "
                           "survival and surgery")
    assert groups_in_csv(site, "survival-by-surgery") == [
        "Lung primary, surgery", "Lung primary, no surgery", "Breast primary, surgery", "Breast primary, no surgery"]
    assert ("Left out: 7 without reported survival; 2 in a group not compared (Other sites: one arm only, or several "
            "sites pooled).") in text
    assert ("Lung primary, surgery: 3 patients from 1 publication (Alpha A and Beta B 2018); 1 censored; 0 of the 3 "
            "are the only patient record the atlas holds from their publication.") in text
    assert ("Lung primary, no surgery: 2 patients from 1 publication (Alpha A and Beta B 2018); 0 censored; 0 of the 2 "
            "are the only patient record the atlas holds from their publication.") in text
    assert "immortal-time bias" in text


def test_site_pages_count_their_own_records(site):
    assert counts(site, "sites/kidney") == [
        "6 surgically treated cases with a kidney primary in 5 publications (Table 1 of Hrabálek L 2010).",
        "1 patient with a kidney primary (their own publication), one row each.",
        "This patient record in the All patients table, with every other primary site a click away."]
    assert counts(site, "sites/prostate") == [
        "No surgically treated series in the data names a prostate primary.",
        "1 patient with a prostate primary (their own publication), one row each.",
        "This patient record in the All patients table, with every other primary site a click away."]
    assert counts(site, "sites/lung") == [
        "31 surgically treated cases with a lung primary in 15 publications (Table 1 of Hrabálek L 2010).",
        "6 patients with a lung primary (their own publication), one row each.",
        "These 6 patient records in the All patients table, with every other primary site a click away."]
    lung = caption(site, "sites/lung", "survival-site-lung")
    assert lung.startswith("Survival of patients with a lung primary: 5 of 6 patients with a lung primary and reported "
                           "survival (their own publication). Kaplan-Meier (product-limit) estimates, computed by the "
                           "atlas from the patient records;")
    assert "Lung primary: median 3 months" in lung
    assert "Lung primary: diagnosis of the spinal cord metastasis (5)." in lung


def test_the_review_tables_are_unchanged_and_all_patients_holds_everyone(site):
    breast = labelled_rows(site / "cases" / "breast-carcinoma" / "index.html", "breast-carcinoma")
    assert not any(key.startswith(("patient-alpha-2018", "patient-gamma-2020")) for key in breast)
    assert len(breast) == 28
    everyone = read(site / "cases" / "all-patients" / "index.html")
    for pid in [*(f"alpha-2018-p{i}" for i in range(1, 8)), "gamma-2020-p1"]:
        assert f"patient-{pid}" in everyone.ids
    kidney = labelled_rows(site / "cases" / "all-patients" / "index.html", "all-patients")["patient-gamma-2020-p1"]
    assert kidney["Primary site"] == "Kidney" and kidney["Radiotherapy technique"] == "stereotactic (radiosurgery or SBRT)"
    assert kidney["Survival counted from"] == "first symptom" and kidney["Surgery of the metastasis"] == "no"
    summary = " ".join(lxml_html.parse(str(site / "cases" / "all-patients" / "index.html")).xpath("string(//article)").split())
    assert "Patient records: 36, from 16 publications." in summary
