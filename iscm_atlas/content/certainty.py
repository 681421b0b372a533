"""The certainty of the evidence behind each key message and behind each topic's later findings (GRADE's four
levels, a reason per domain), and the appraisal counts a judgement of later reports rests on.

The judgements are data (data/certainty/), made and dated by people; what is computed here is only which judgement
belongs where, and the tally of the JBI appraisals of the works behind a topic's later findings.
"""
from __future__ import annotations

from collections import Counter

from iscm_atlas.content.wording import collecting_documents
from iscm_atlas.data.model import Certainty, Dataset

ANSWERS = ("yes", "no", "unclear", "not-applicable")


def of_finding(ds: Dataset, finding_id: str) -> Certainty | None:
    return next((c for c in ds.certainty if c.finding == finding_id), None)


def of_later(ds: Dataset, topic: str) -> Certainty | None:
    return next((c for c in ds.certainty if c.later_topic == topic), None)


def later_works(ds: Dataset, topic: str) -> list[str]:
    """The later reports (not the collecting review) whose findings stand in a topic's "What reports since ... add"."""
    review = collecting_documents(ds)
    return sorted({f.source.document for f in ds.findings if f.topic == topic and f.source.document not in review})


def appraisal_tally(ds: Dataset, ref_ids: list[str]) -> str:
    """"JBI appraisals of the 12 works behind them (computed by the atlas): 40 of 110 items yes, 5 no, 60 unclear,
    5 not applicable; 2 works (pooled analyses) have no JBI checklist"."""
    answers, without = Counter(), 0
    for rid in ref_ids:
        appraisal = ref_appraisal(ds, rid)
        if not appraisal or not appraisal.get("items"):
            without += 1
            continue
        answers.update(item["answer"] for item in appraisal["items"])
    total = sum(answers.values())
    if not ref_ids:
        return ""
    works = "work" if len(ref_ids) == 1 else "works"
    text = f"JBI appraisals of the {len(ref_ids)} {works} behind them, computed by the atlas: "
    if total:
        text += f"{answers['yes']} of {total} items answered yes, " + ", ".join(
            f"{answers[a]} {a.replace('-', ' ')}" for a in ANSWERS[1:])
    else:
        text += "none has a checklist"
    if without and total:
        text += f"; {without} without a JBI checklist (a design the JBI case-report and case-series lists do not cover)"
    return text + "."


def ref_appraisal(ds: Dataset, ref_id: str) -> dict | None:
    return ds.references[ref_id].csl.get("iscm", {}).get("appraisal")
