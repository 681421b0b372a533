"""The certainty of the evidence behind each key message and behind each topic's later findings (GRADE's four
levels, a reason per domain), and the appraisal counts a judgement of later reports rests on.

The judgements are data (data/certainty/), made and dated by people; what is computed here is only which judgement
belongs where, and the tally of the JBI appraisals of the works behind a topic's later findings.
"""
from __future__ import annotations

from collections import Counter

from iscm_atlas.content.population import plural
from iscm_atlas.content.wording import from_later_report
from iscm_atlas.data.model import Certainty, Dataset

ANSWERS = ("yes", "no", "unclear", "not-applicable")


def of_finding(ds: Dataset, finding_id: str) -> Certainty | None:
    return next((c for c in ds.certainty if c.finding == finding_id), None)


def of_later(ds: Dataset, topic: str) -> Certainty | None:
    return next((c for c in ds.certainty if c.later_topic == topic), None)


def later_works(ds: Dataset, topic: str) -> list[str]:
    """The later reports (not the collecting review) whose findings stand in a topic's "What reports since ... add"."""
    return sorted({f.source.document for f in ds.findings if f.topic == topic and from_later_report(ds, f)})


def appraisal_tally(ds: Dataset, ref_ids: list[str]) -> str:
    """"JBI appraisals of the 12 works behind them, computed by the atlas: 40 of 110 items answered yes, 5 no,
    60 unclear, 5 not applicable; 2 without a JBI checklist (...)"."""
    if not ref_ids:
        return ""
    appraisals = [ds.references[r].csl.get("iscm", {}).get("appraisal") or {} for r in ref_ids]
    answers = Counter(item["answer"] for a in appraisals for item in a.get("items", ()))
    without = sum(1 for a in appraisals if not a.get("items"))
    total = sum(answers.values())
    text = f"JBI appraisals of the {plural(len(ref_ids), 'work')} behind them, computed by the atlas: "
    if not total:
        return text + "none has a checklist."
    text += f"{answers['yes']} of {total} items answered yes, " + ", ".join(
        f"{answers[a]} {a.replace('-', ' ')}" for a in ANSWERS[1:])
    if without:
        text += f"; {without} without a JBI checklist (a design the JBI case-report and case-series lists do not cover)"
    return text + "."
