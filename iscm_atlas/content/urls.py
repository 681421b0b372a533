"""Site paths of the pages records link to, in one place so links and pages cannot drift apart."""
from __future__ import annotations

import posixpath

SURGICAL_SERIES = "cases/surgical-series/"
BREAST_CARCINOMA = "cases/breast-carcinoma/"
ALL_PATIENTS = "cases/all-patients/"
BIBLIOGRAPHY = "references/"
SITES = "sites/"
DATASET_JSON = "downloads/iscm-dataset.json"
CONTRIBUTE = "contribute/"  # generated from CONTRIBUTING.md
CITE = "cite/"
REFERENCES_BIB = "downloads/references.bib"
REFERENCES_RIS = "downloads/references.ris"
REFERENCES_CSL = "downloads/references.json"
SERIES_CSV = "downloads/series.csv"
PATIENTS_CSV = "downloads/patients.csv"
CITED_BY_NUMBER = "cited-by-number"  # anchor of a review's list of the works it cites only by number


def reference_bib(ref_id: str) -> str:
    return f"downloads/references/{ref_id}.bib"


def reference_ris(ref_id: str) -> str:
    return f"downloads/references/{ref_id}.ris"
TOPIC_PAGES = {"methods": "methods/"}  # topics whose page is not under topics/


def reference(ref_id: str) -> str:
    return f"{BIBLIOGRAPHY}{ref_id}/"


def reference_src(ref_id: str) -> str:
    """The (generated) Markdown file behind a reference page."""
    return page_src(reference(ref_id))


def site(site_id: str) -> str:
    return f"{SITES}{site_id}/"


def site_src(site_id: str) -> str:
    return page_src(site(site_id))


def topic(topic_id: str) -> str:
    return TOPIC_PAGES.get(topic_id, f"topics/{topic_id}/")


def figure_svg(figure_id: str) -> str:
    return f"figures/{figure_id}.svg"


def figure_csv(figure_id: str) -> str:
    return f"downloads/figures/{figure_id}.csv"


def finding(finding_id: str, topic_id: str) -> str:
    return f"{topic(topic_id)}#{finding_anchor(finding_id)}"


def finding_anchor(finding_id: str) -> str:
    return f"finding-{finding_id}"


def series_anchor(series_id: str) -> str:
    return f"series-{series_id}"


def patient_anchor(patient_id: str) -> str:
    return f"patient-{patient_id}"


def relative(target: str, base: str) -> str:
    """Site path `target` as a link from the page at site path `base` ("references/x/" from "topics/y/" is
    "../../references/x/"): the same rule as MkDocs' get_relative_url, so links read the same in any engine."""
    dirname, _, basename = base.rpartition("/")
    if "." in basename:
        base = dirname
    base_parts, target_parts = _parts(base), _parts(target)
    common = 0
    for a, b in zip(base_parts, target_parts):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(base_parts) - common) + target_parts[common:]) or "."
    return rel + "/" if target.endswith("/") else rel


def _parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path.lstrip("/"))[1:]
    return path.split("/") if path else []


def page_src(url: str) -> str:
    """The file behind the page at site path `url`: every page is <slug>/index.md ("" is the home page)."""
    return f"{url}index.md"
