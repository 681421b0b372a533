"""Site paths of the pages records link to, in one place so links and pages cannot drift apart."""

SURGICAL_SERIES = "cases/surgical-series/"
BREAST_CARCINOMA = "cases/breast-carcinoma/"
BIBLIOGRAPHY = "references/"
DATASET_JSON = "downloads/iscm-dataset.json"


def reference(ref_id: str) -> str:
    return f"{BIBLIOGRAPHY}#ref-{ref_id}"


def series_anchor(series_id: str) -> str:
    return f"series-{series_id}"


def patient_anchor(patient_id: str) -> str:
    return f"patient-{patient_id}"
