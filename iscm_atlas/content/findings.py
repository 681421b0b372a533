"""Words for a finding's values: "93%", "0.1–0.4%", "4 of 22 (18%)", "lung 1.0 month", "January 2009".

The values are data; only their wording is decided here, so every page says a figure the same way.
"""
from __future__ import annotations

import calendar

from iscm_atlas.data.model import Finding

UNIT_WORDS = {"months": ("month", "months"), "references": ("reference", "references"), "cases": ("case", "cases"),
              "times": ("time", "times"), "years": ("year", "years"), "patients": ("patient", "patients"),
              "lesions": ("lesion", "lesions"), "Gy": ("Gy", "Gy")}


TRAILING = {"of", "with", "without", "in", "at", "after", "before"}  # a label that reads after its number


def _number(value) -> str:
    return str(value)


def _with_unit(text: str, unit: str, amount) -> str:
    if unit == "percent":
        return f"{text}%"
    if unit in UNIT_WORDS:
        singular, plural = UNIT_WORDS[unit]
        return f"{text} {singular if amount == 1 else plural}"
    return text


def format_value(value: dict) -> str:
    unit = value["unit"]
    if "words" in value:
        text = value["words"]
    elif "date" in value:
        year, month = value["date"].split("-")
        text = f"{calendar.month_name[int(month)]} {year}"
    elif "low" in value:
        text = _with_unit(f"{_number(value['low'])}–{_number(value['high'])}", unit, value["high"])
    elif "numerator" in value:
        share = round(100 * value["numerator"] / value["denominator"])
        noun = "" if unit == "count" else f" {unit}"  # a bare count names what it counts in its label
        text = f"{value['numerator']} of {value['denominator']}{noun} ({share}%)"
    else:
        text = _with_unit(_number(value["value"]), unit, value["value"])
    if value.get("qualifier"):
        text = f"{value['qualifier']} {text}"
    label = value.get("label")
    if label and label.split(" ", 1)[0] in TRAILING:  # "89% of patients", "2 lesions with cystic change"
        return f"{text} {label}"
    if label:
        text = f"{label} {text}"
    return text


def format_finding(finding: Finding) -> str:
    """The values in words; a finding that states no figure is its statement."""
    return ", ".join(format_value(v) for v in finding.values) if finding.values else (finding.statement or "")
