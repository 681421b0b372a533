"""Summary figures and data notes, recomputed here from the raw YAML by the rules the review states."""
from __future__ import annotations

import shutil

from conftest import ROOT

from iscm_atlas.content.summary import data_notes, figures
from iscm_atlas.data.dataset import load_dataset

REVIEW = "hrabalek-2010"  # the collecting review; its own case is counted apart


def literature(raw_cases, section):
    """Records the review collected from other publications: read from it, not its own case."""
    return [(case["reference"], record) for case in raw_cases.values() for record in case.get(section, [])
            if case["reference"] != REVIEW and record["source"]["document"] == REVIEW]


def test_figures_match_an_independent_count(raw_cases):
    series = literature(raw_cases, "series")
    breast = [(ref, p) for ref, p in literature(raw_cases, "patients") if p["primary_site"] == "breast"]
    surgical_cases = sum(s["surgically_treated"] for _, s in series)
    breast_resected = sum(s["primary_sites"].get("breast", 0) for _, s in series)
    expected = {
        "surgical-publications": len({ref for ref, _ in series}),
        "surgical-cases": surgical_cases,
        "surgical-own-cases": sum(s["surgically_treated"] for s in raw_cases[REVIEW]["series"]),
        "breast-publications": len({ref for ref, _ in breast}),
        "breast-patients": len(breast),
        "breast-own-patients": len(raw_cases[REVIEW]["patients"]),
        "breast-resected": breast_resected,
        "breast-resected-share": f"{round(100 * breast_resected / surgical_cases)}%",
        "breast-operated-patients": sum(1 for _, p in breast if p["surgery"] is True),
        "surgical-cases-all": sum(s["surgically_treated"] for c in raw_cases.values() for s in c.get("series", [])),
        "surgical-publications-all": sum(1 for c in raw_cases.values() if c.get("series")),
        "breast-patients-all": sum(1 for c in raw_cases.values() for p in c.get("patients", [])
                                   if p["primary_site"] == "breast"),
        "patients-all": sum(len(c.get("patients", [])) for c in raw_cases.values()),
        "patients-publications-all": sum(1 for c in raw_cases.values() if c.get("patients")),
    }
    computed = {fid: f.value for fid, f in figures(load_dataset(ROOT / "data").dataset).items()}
    assert computed == expected


def test_figures_reproduce_what_the_review_states():
    """The review's abstract: 42 references, 87 surgical cases; 13 references, 27 breast cases; 9 resected (10%)."""
    computed = {fid: f.value for fid, f in figures(load_dataset(ROOT / "data").dataset).items()}
    assert (computed["surgical-publications"], computed["surgical-cases"]) == (42, 87)
    assert (computed["breast-publications"], computed["breast-patients"]) == (13, 27)
    assert (computed["breast-resected"], computed["breast-resected-share"]) == (9, "10%")
    assert computed["breast-operated-patients"] == 9
    assert (computed["surgical-own-cases"], computed["breast-own-patients"]) == (1, 1)


def test_each_figure_says_how_it_is_counted():
    for figure in figures(load_dataset(ROOT / "data").dataset).values():
        assert len(figure.how) > 30 and figure.label


def test_the_only_data_note_is_schiff_1996():
    notes = data_notes(load_dataset(ROOT / "data").dataset)
    assert [n.reference for n in notes] == ["schiff-1996"]
    assert "5 surgically treated case(s), 0 with a breast primary and 5 whose primary is not reported" in notes[0].text
    assert "5 breast-carcinoma patient(s), 0 recorded as operated and 5 with surgery not reported" in notes[0].text


def test_a_contributed_case_counts_in_the_atlas_totals_not_in_the_review(tmp_path):
    """What the review states stays what it states; a case added from its own publication counts in
    the "-all" figures only."""
    from test_validator import CASE, REFERENCE
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = {fid: f.value for fid, f in figures(load_dataset(data).dataset).items()}
    fixture = "fixture-2098"  # an id no contributor uses
    (data / "references" / f"{fixture}.yaml").write_text(REFERENCE.replace("example-2099", fixture), encoding="utf-8")
    (data / "cases" / f"{fixture}.yaml").write_text(CASE.replace("lung", "breast").replace("example-2099", fixture),
                                                      encoding="utf-8")
    after = {fid: f.value for fid, f in figures(load_dataset(data).dataset).items()}
    changed = {fid for fid in before if before[fid] != after[fid]}
    assert changed == {"surgical-cases-all", "surgical-publications-all", "breast-patients-all", "patients-all",
                       "patients-publications-all"}
    assert after["patients-all"] == before["patients-all"] + 1
    assert after["patients-publications-all"] == before["patients-publications-all"] + 1
    assert after["surgical-cases-all"] == before["surgical-cases-all"] + 2  # the fixture series has 2 cases
    assert after["surgical-publications-all"] == before["surgical-publications-all"] + 1
    assert after["breast-patients-all"] == before["breast-patients-all"] + 1
