"""The data against an independent second transcription of the review's tables.

tests/fixtures/second-read/*.csv were typed by a second reader from the seed text, cell by cell
and verbatim ("n.a.", "alive at 15", "breast 1, lung 1"), without seeing data/. Here each
printed cell is interpreted by rules written in this test (not by the code under test) and
compared with the YAML.
"""
from __future__ import annotations

import csv
import re

import pytest
from conftest import ROOT, load_yaml

FIXTURES = ROOT / "tests" / "fixtures" / "second-read"
REVIEW = "hrabalek-2010"
# Spellings the review prints that the data corrects; each must be explained in a note.
CORRECTED = {"Conolly": "Connolly", "lymfoma": "lymphoma"}


def read_csv(name):
    with open(FIXTURES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


T1 = read_csv("table1.csv")
T2 = read_csv("table2.csv")


def vocabulary(name):
    terms = load_yaml(ROOT / "data" / "vocabularies" / f"{name}.yaml")["terms"]
    lookup = {}
    for term in terms:
        for spelling in [term["id"], *term.get("printed_as", [])]:
            lookup[spelling.lower()] = term["id"]
    return lookup


SITES = vocabulary("primary-sites")
HISTOLOGY = vocabulary("histologies")
LEVELS = {"C": "cervical", "T": "thoracic", "conus": "conus", "c.e.": "cauda-equina"}
OUTCOMES = {"improvement": "improvement", "no improvement": "no-improvement", "worsening": "worsening"}


def records_by_source(raw_cases, section, table):
    found = {}
    for case in raw_cases.values():
        for record in case.get(section, []):
            src = record["source"]
            if src["document"] == REVIEW and src.get("table") == table:
                assert src["row"] not in found, f"two records claim table {table} row {src['row']}"
                found[src["row"]] = (case, record)
    return found


def parse_counts(text, lookup):
    """'breast 1, lung 1' -> {'breast': 1, 'lung': 1}; a bare 'colon' is one case."""
    counts = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = re.fullmatch(r"(.+?)(?: (\d+))?", part)
        name, number = match.group(1), int(match.group(2) or 1)
        name = CORRECTED.get(name, name)
        counts[lookup[name.lower()]] = number
    return counts


def expected_series(printed, total):
    """Interpret the printed 'Primary site (or histology)' cell."""
    sites, histology = printed, {}
    wrapped = re.fullmatch(r"n\.a\. \((.*)\)", printed)
    if wrapped:
        sites, histology = "", parse_counts(wrapped.group(1), HISTOLOGY)
    unknown_of = re.search(r"unknown \((\w+)\) (\d+)", sites)
    if unknown_of:
        histology[HISTOLOGY[unknown_of.group(1)]] = int(unknown_of.group(2))
        sites = sites.replace(f" ({unknown_of.group(1)})", "")
    if sites == "n.a.":
        sites = ""
    if sites and "," not in sites and not re.search(r"\d", sites):
        sites = f"{sites} {total}"
    return parse_counts(sites, SITES), histology


def test_every_printed_row_is_transcribed_once(raw_cases):
    assert sorted(records_by_source(raw_cases, "series", 1)) == list(range(1, len(T1) + 1)) and len(T1) == 43
    assert sorted(records_by_source(raw_cases, "patients", 2)) == list(range(1, len(T2) + 1)) and len(T2) == 28


@pytest.mark.parametrize("row", T1, ids=lambda r: f"table1-row{r['row']}")
def test_table1_row_matches_second_read(row, raw_cases, raw_references):
    case, series = records_by_source(raw_cases, "series", 1)[int(row["row"])]
    reference = raw_references[case["reference"]]
    assert reference["iscm"]["printed_as"] == row["author_as_printed"]
    assert reference["issued"]["date-parts"][0][0] == int(row["year"])
    assert reference["iscm"].get("review_ref") == (int(row["ref_number"]) if row["ref_number"] else None)
    assert series["surgically_treated"] == int(row["surgery_count"])
    sites, histology = expected_series(row["primary_sites_as_printed"], int(row["surgery_count"]))
    assert series["primary_sites"] == sites
    assert series.get("histology", {}) == histology
    for printed in CORRECTED:
        if printed in row["author_as_printed"] or printed in row["primary_sites_as_printed"]:
            notes = series.get("notes", []) + reference["iscm"].get("notes", [])
            assert any(f'"{printed}' in note for note in notes), f"no note records that the review printed {printed!r}"


def as_bool(text):
    return {"yes": True, "no": False, "n.a.": None}[text]


@pytest.mark.parametrize("row", T2, ids=lambda r: f"table2-row{r['row']}")
def test_table2_line_matches_second_read(row, raw_cases, raw_references):
    case, patient = records_by_source(raw_cases, "patients", 2)[int(row["row"])]
    reference = raw_references[case["reference"]]
    assert reference["iscm"]["printed_as"] == row["author_as_printed"]
    assert reference["issued"]["date-parts"][0][0] == int(row["year"])
    assert reference["iscm"].get("review_ref") == (int(row["ref_number"]) if row["ref_number"] else None)
    assert patient["primary_site"] == "breast"
    assert patient["age"] == (None if row["age"] == "n.a." else int(row["age"]))
    assert patient["level"] == (None if row["location"] == "n.a." else [LEVELS[p.strip()] for p in row["location"].split(",")])
    assert patient["surgery"] is as_bool(row["surgery"])
    assert patient["radiotherapy"] is as_bool(row["rt"])
    assert patient["chemotherapy"] is as_bool(row["cht"])
    assert patient["outcome"] == OUTCOMES.get(row["outcome"])
    survival = row["survival"]
    alive = re.fullmatch(r"alive at (\d+)", survival)
    if alive:
        assert (patient["survival_months"], patient["alive"]) == (int(alive.group(1)), True)
    elif survival.isdigit():
        assert (patient["survival_months"], patient["alive"]) == (int(survival), False)
    else:  # "n.a.", blank, or a group statistic printed for several lines: nothing per patient
        assert (patient["survival_months"], patient["alive"]) == (None, None)


def test_group_survival_is_kept_as_a_group_statistic(raw_cases):
    printed = [r for r in T2 if r["survival"].startswith("median")]
    assert len(printed) == 1
    median, low, high = map(int, re.findall(r"\d+", printed[0]["survival"]))
    groups = [g for case in raw_cases.values() for g in case.get("group_statistics", [])]
    assert len(groups) == 1
    group = groups[0]
    assert group["survival_months"] == {"median": median, "min": low, "max": high}
    assert group["source"] == {"document": REVIEW, "table": 2, "row": int(printed[0]["row"])}
    members = [r for r in T2 if r["author_as_printed"] == printed[0]["author_as_printed"]]
    case = next(c for c in raw_cases.values() if group in c.get("group_statistics", []))
    assert group["patients"] == [p["id"] for p in case["patients"]]
    assert len(group["patients"]) == len(members)
