"""Site paths of the pages records link to, in one place so links and pages cannot drift apart."""

SURGICAL_SERIES = "cases/surgical-series/"
BREAST_CARCINOMA = "cases/breast-carcinoma/"
BIBLIOGRAPHY = "references/"
SITES = "sites/"
DATASET_JSON = "downloads/iscm-dataset.json"
CONTRIBUTE_SRC = "contribute/index.md"  # generated from CONTRIBUTING.md
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
    return f"{BIBLIOGRAPHY}{ref_id}.md"


def site(site_id: str) -> str:
    return f"{SITES}{site_id}/"


def site_src(site_id: str) -> str:
    return f"{SITES}{site_id}.md"


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
