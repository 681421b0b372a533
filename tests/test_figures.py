"""Evidence figures: every number they show is recomputed here, independently, from the raw YAML.

The Kaplan-Meier estimate, its Greenwood log-log confidence band, the median and the numbers at
risk are computed by hand in this file and compared with the figure's CSV (read with Python's
csv module) and caption; counts are recomputed from the case files.
"""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import km
import pytest
from conftest import raw_records
from htmlread import read


def patients(raw_cases, keep=lambda p: True):
    return [p for case in raw_cases.values() for p in case.get("patients", []) if keep(p)]


def kaplan_meier(records):
    """Product-limit estimate by hand (tests/km.py): the steps after time 0, and the median."""
    steps, median, _, _ = km.product_limit([p["survival_months"] for p in records], [p["alive"] is False for p in records])
    return steps[1:], median


def figure_csv(site, fid):
    """The figure's numbers by column role: a header that names its population ("Group of 22 of 28
    patients ...", "Publications (46 ...)") is keyed by its first words ("Group", "Publications")."""
    rows = list(csv.reader(io.StringIO((site / "downloads" / "figures" / f"{fid}.csv").read_text(encoding="utf-8"))))
    header = [re.split(r" \(| of ", h, maxsplit=1)[0] for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def caption(site, page, fid):
    raw = (site / page / "index.html").read_text(encoding="utf-8")
    start = raw.index(f'id="figure-{fid}"')
    return " ".join(raw[start:raw.index("</figcaption>", start)].split())


def median_texts(label, steps, median) -> set[str]:
    """What the caption may say of a curve's median: the first time survival falls to one half or below; where it
    falls to exactly one half (a tie the two implementations' floating point may place on either side), the next
    death time too."""
    if median is None:
        return {f"{label}: median not reached"}
    texts = {f"{label}: median {median:g} months"}
    at = [s for s in steps if s[0] == median]
    if at and abs(at[0][4] - 0.5) < 1e-9:
        later = [s[0] for s in steps if s[0] > median and s[2]]
        texts.add(f"{label}: median {later[0]:g} months" if later else f"{label}: median not reached")
    return texts


def check_curve(rows, records, group):
    steps, median = kaplan_meier(records)
    table = [r for r in rows if r["Group"] == group and float(r["Months"]) > 0]
    assert [float(r["Months"]) for r in table] == [s[0] for s in steps]
    for row, (t, at_risk, deaths, censored, surv, lower, upper) in zip(table, steps):
        assert (int(row["At risk"]), int(row["Deaths"]), int(row["Censored"])) == (at_risk, deaths, censored), t
        assert float(row["Survival"]) == pytest.approx(surv, abs=5e-4)
        if deaths or lower != surv:
            assert float(row["95% CI lower"]) == pytest.approx(lower, abs=5e-4), t
            assert float(row["95% CI upper"]) == pytest.approx(upper, abs=5e-4), t
    return steps, median


def site_labels(data):
    from conftest import load_yaml
    return {t["id"]: t["label"] for t in load_yaml(data / "vocabularies" / "primary-sites.yaml")["terms"]}


def test_overall_survival_matches_an_independent_kaplan_meier(any_site):
    """One curve per site group (tests/curvegroups.py states the rule), each recomputed here."""
    from curvegroups import curve_groups

    built_site, raw_cases = any_site, raw_records(any_site.data, "cases")
    usable = patients(raw_cases, lambda p: p["survival_months"] is not None)
    groups = curve_groups(usable, site_labels(any_site.data))
    rows = figure_csv(built_site.site, "survival-overall")
    assert list(dict.fromkeys(r["Group"] for r in rows)) == list(groups)
    text = caption(built_site.site, "topics/survival-and-outcome", "survival-overall")
    assert f"n = {len(usable)} patients" in text
    assert f"Left out: {len(patients(raw_cases)) - len(usable)} without reported survival" in text
    for label, members in groups.items():
        steps, median = check_curve(rows, members, label)
        assert any(words in text for words in median_texts(label, steps, median)), label
        at_risk = ", ".join(f"{sum(1 for p in members if p['survival_months'] >= m)} at {m} months" for m in (0, 6, 12, 18, 24))
        assert f"{label}: {at_risk}" in text


def test_survival_by_surgery_matches_and_states_its_caveat(any_site):
    from curvegroups import compared_arms, curve_groups

    built_site, raw_cases = any_site, raw_records(any_site.data, "cases")
    rows = figure_csv(built_site.site, "survival-by-surgery")
    text = caption(built_site.site, "topics/survival-and-outcome", "survival-by-surgery")
    usable = patients(raw_cases, lambda p: p["survival_months"] is not None)
    arms = compared_arms(curve_groups(usable, site_labels(any_site.data)))
    assert list(dict.fromkeys(r["Group"] for r in rows)) == list(arms)
    for label, group in arms.items():
        steps, median = check_curve(rows, group, label)
        assert any(words in text for words in median_texts(label, steps, median)) and f"{label}: {len(group)}," in text
    assert "selected for publication and for treatment" in text and "not evidence that a treatment works" in text


def test_outcome_by_treatment_counts(any_site):
    built_site, raw_cases = any_site, raw_records(any_site.data, "cases")
    rows = figure_csv(built_site.site, "outcome-by-treatment")
    outcome_columns = {"improvement": "Improvement", "no-improvement": "No improvement", "worsening": "Worsening",
                       None: "Not reported"}
    every = patients(raw_cases)

    def reported(p, field):  # a value printed but flagged as doubtful counts as not reported
        return None if field in p.get("doubtful", ()) else p[field]
    for row in rows:
        given = {"yes": True, "no": False, "not reported": None}[row["Given"]]
        group = [p for p in every if reported(p, row["Treatment"].lower()) is given]
        assert int(row["Total"]) == len(group)
        for outcome, column in outcome_columns.items():
            assert int(row[column]) == sum(1 for p in group if reported(p, "outcome") == outcome)
    groups = {(t, g) for t in ("surgery", "radiotherapy", "chemotherapy") for g in (True, False, None)
              if any(reported(p, t) is g for p in every)}
    assert len(rows) == len(groups)  # every group with a patient, and no empty one


def test_primary_site_and_year_counts(any_site):
    built_site, raw_cases = any_site, raw_records(any_site.data, "cases")
    raw_references = raw_records(any_site.data, "references")
    sites = {r["Primary site"]: int(r["Cases"]) for r in figure_csv(built_site.site, "primary-sites-surgical")}
    series = [s for c in raw_cases.values() for s in c.get("series", [])]
    assert sum(sites.values()) == sum(s["surgically_treated"] for s in series)
    assert sites["Lung"] == sum(s["primary_sites"].get("lung", 0) for s in series)
    assert sites["Not reported"] == sum(s["surgically_treated"] - sum(s["primary_sites"].values()) for s in series)
    years = {r["Year"]: r for r in figure_csv(built_site.site, "by-year")}
    published = {raw_references[c["reference"]]["issued"]["date-parts"][0][0] for c in raw_cases.values()}
    assert [int(y) for y in years] == list(range(min(published), max(published) + 1))  # first to last, none dropped
    for year, row in years.items():
        refs = [c for c in raw_cases.values() if raw_references[c["reference"]]["issued"]["date-parts"][0][0] == int(year)]
        assert int(row["Publications"]) == len(refs)
        assert int(row["Surgically treated cases"]) == sum(s["surgically_treated"] for c in refs for s in c.get("series", []))
        assert int(row["Patient records"]) == sum(len(c.get("patients", [])) for c in refs)


PLACES = [("topics/survival-and-outcome", "survival-overall"), ("topics/survival-and-outcome", "survival-by-surgery"),
          ("topics/survival-and-outcome", "outcome-by-treatment"), ("topics/treatment", "outcome-by-treatment"),
          ("topics/epidemiology", "primary-sites-surgical"), ("topics/epidemiology", "by-year"),
          ("sites/breast", "survival-site-breast"), ("sites/breast", "survival-by-surgery-site-breast")]


@pytest.mark.parametrize("page, fid", PLACES)
def test_figure_is_placed_with_alt_text_caption_numbers_and_csv(built_site, page, fid):
    raw = (built_site.site / page / "index.html").read_text(encoding="utf-8")
    reader = read(built_site.site / page / "index.html")
    assert f"figure-{fid}" in reader.ids
    start = raw.index(f'id="figure-{fid}"')
    block = raw[start:raw.index("</details>", start)]
    assert 'alt="Kaplan-Meier' in block or 'alt="Stacked bars' in block or 'alt="Bar chart' in block
    assert "n = " in block and "Numbers behind this figure" in block and f"{fid}.csv" in block
    svg = ET.fromstring((built_site.site / "figures" / f"{fid}.svg").read_bytes())
    assert svg.tag.endswith("svg")
    assert not [el for el in svg.iter() for key, value in el.attrib.items() if key.endswith("href") and value.startswith("http")]


def test_site_pages_show_survival_only_where_n_allows(any_site):
    """A primary site's page draws its own curves from five patients with reported survival on, and the
    comparison by surgery only where both arms have patients."""
    raw_cases = raw_records(any_site.data, "cases")
    for site in {p["primary_site"] for p in patients(raw_cases) if p["primary_site"]}:
        usable = patients(raw_cases, lambda p, site=site: p["primary_site"] == site and p["survival_months"] is not None)
        drawn = (any_site.site / "figures" / f"survival-site-{site}.svg").exists()
        assert drawn == (len(usable) >= 5), site
        arms = {p["surgery"] for p in usable} >= {True, False}
        assert (any_site.site / "figures" / f"survival-by-surgery-site-{site}.svg").exists() == (drawn and arms), site
