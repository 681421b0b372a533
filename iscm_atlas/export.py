"""The whole dataset as one JSON document, with the YAML's field names, for download."""
from __future__ import annotations

import json
from typing import Any

from .model import Dataset, Source


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
        "patients": [_with_notes({
            "id": p.id, "reference": p.reference, "age": p.age, "level": list(p.level) if p.level is not None else None,
            "primary_site": p.primary_site, "surgery": p.surgery, "radiotherapy": p.radiotherapy,
            "chemotherapy": p.chemotherapy, "outcome": p.outcome, "survival_months": p.survival_months,
            "alive": p.alive, "source": _src(p.source)}, p.notes) for p in ds.patients],
        "group_statistics": [_with_notes({
            "id": g.id, "reference": g.reference, "patients": list(g.patients), "survival_months": g.survival_months,
            "source": _src(g.source)}, g.notes) for g in ds.group_statistics],
        "findings": [],
        "vocabularies": {v.id: {"label": v.label, "terms": [
            {k: val for k, val in (("id", t.id), ("label", t.label), ("abbreviation", t.abbreviation)) if val}
            for t in v.terms]} for v in ds.vocabularies.values()},
    }


def dataset_json(ds: Dataset) -> str:
    return json.dumps(dataset_dict(ds), ensure_ascii=False, indent=1) + "\n"
