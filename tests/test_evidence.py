"""Evidence a clinician can trust: every figure names the records it rests on (and the name follows the
records when a contributor adds a case), counts say what they count, survival figures say how the
sources are read, every page states its currency, key messages open the pages.

Expectations are computed here from the raw YAML, never from the code under test, so they hold for
any valid data.
"""
from __future__ import annotations

import calendar
import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, load_yaml, raw_records
from lxml import html as lxml_html

KM_FIGURES = ("survival-overall", "survival-by-surgery")


def raw_patients(data: Path) -> list[dict]:
    return [p for f in sorted((data / "cases").glob("*.yaml")) for p in load_yaml(f).get("patients", [])]


def site_labels(data: Path) -> dict[str, str]:
    return {t["id"]: t["label"].lower() for t in load_yaml(data / "vocabularies" / "primary-sites.yaml")["terms"]}


def csv_header(site: Path, fid: str) -> list[str]:
    return next(csv.reader(io.StringIO((site / "downloads" / "figures" / f"{fid}.csv").read_text(encoding="utf-8"))))


def figure_parts(site: Path, page: str, fid: str) -> dict[str, str]:
    """What a reader and a screen reader get of one figure: caption, alt, numbers table caption, SVG title."""
    tree = lxml_html.parse(str(site / page / "index.html"))
    figure = tree.xpath(f"//figure[@id='figure-{fid}']")[0]
    numbers = tree.xpath(f"//*[@id='table-figure-data-{fid}']//caption")[0]
    svg = (site / "figures" / f"{fid}.svg").read_text(encoding="utf-8")
    return {"caption": " ".join(figure.xpath("string(.//figcaption)").split()), "alt": figure.xpath("string(.//img/@alt)"),
            "numbers": numbers.text_content(), "svg": svg, "csv": " ".join(csv_header(site, fid))}


def expected_sites(data: Path, keep=lambda p: True) -> set[str]:
    labels = site_labels(data)
    return {labels[p["primary_site"]] for p in raw_patients(data) if p["primary_site"] and keep(p)}


@pytest.mark.parametrize("fid", KM_FIGURES)
def test_survival_figures_name_the_primary_sites_of_their_records(any_site, fid):
    """Every place a figure is described names each primary site among its curves' patients, and no site that no
    patient has. (A site whose patients lack survival may be named: the caption's denominator counts them.)"""
    parts = figure_parts(any_site.site, "topics/survival-and-outcome", fid)
    labels = site_labels(any_site.data)
    present = expected_sites(any_site.data, lambda p: p["survival_months"] is not None)
    anywhere = expected_sites(any_site.data)
    for where, text in parts.items():
        if fid == "survival-overall":
            for site in present:
                assert site in text.lower(), f"{fid} {where} does not name {site}"
        for site in set(labels.values()) - anywhere:
            assert not re.search(rf"\b{re.escape(site)} (\(\d+\) )?primary", text.lower()), f"{fid} {where} names {site}"


def test_survival_curves_are_site_groups_and_name_what_they_pool(any_site):
    """One curve per site with five or more patients with survival; the rest one curve whose caption names its sites;
    no site merged into another's curve; every curve's time origins stated."""
    from curvegroups import curve_groups

    labels = {t["id"]: t["label"] for t in load_yaml(any_site.data / "vocabularies" / "primary-sites.yaml")["terms"]}
    usable = [p for p in raw_patients(any_site.data) if p["survival_months"] is not None]
    groups = curve_groups(usable, labels)
    rows = list(csv.reader(io.StringIO((any_site.site / "downloads" / "figures" / "survival-overall.csv")
                                       .read_text(encoding="utf-8"))))[1:]
    assert list(dict.fromkeys(r[0] for r in rows)) == list(groups)
    caption = figure_parts(any_site.site, "topics/survival-and-outcome", "survival-overall")["caption"]
    for label, members in groups.items():
        if label in ("Other sites", "Pooled sites"):
            counts = Counter(labels[p["primary_site"]].lower() if p["primary_site"] else "site not reported"
                             for p in members)
            for site, n in counts.items():
                assert f"{site} ({n})" in caption.split(f"{label}: ", 1)[1], (label, site)
        origins = Counter(p.get("survival_from", "not-stated") for p in members)
        if set(origins) != {"not-stated"} or any(p.get("survival_from") for p in usable):
            assert f"{label}: " in caption.split("counted from what each publication states: ", 1)[1]
        else:
            assert "they do not state from when it is counted" in caption


def test_labels_follow_the_records_when_a_patient_of_another_site_is_added(built_site, contributed_site):
    """The same pages, built with contributed patients of other primary sites: every label says so by itself."""
    site, data = contributed_site.site, contributed_site.data
    patients = raw_patients(data)
    usable = [p for p in patients if p["survival_months"] is not None]
    counts = Counter(p["primary_site"] for p in usable)
    assert len(counts) > 1  # the contributions add a lung-cancer patient with reported survival
    before = figure_parts(built_site.site, "topics/survival-and-outcome", "survival-overall")
    after = figure_parts(site, "topics/survival-and-outcome", "survival-overall")
    for where in after:
        assert "lung" in after[where].lower() and after[where] != before[where], where
    # the surgery comparison stays within one site's curve: the lung patient is named as counted, not compared
    surgery = figure_parts(site, "topics/survival-and-outcome", "survival-by-surgery")["caption"]
    assert "lung" in surgery.lower() and "in a group not compared" in surgery
    caption = figure_parts(site, "topics/survival-and-outcome", "survival-overall")["caption"]
    assert f"{len(usable)} of {len(patients)} patients" in caption
    labels = site_labels(data)
    for site_id, n in counts.items():
        assert f"{labels[site_id]} ({n})" in caption
    assert "their own publication" in caption  # where the added record was read from
    outcome = figure_parts(site, "topics/treatment", "outcome-by-treatment")
    assert "lung" in outcome["caption"].lower() and "lung" in outcome["csv"].lower()


def test_survival_figures_say_how_the_sources_are_read(any_site):
    """From when the months are counted, as the records state it: "do not state" only where none does."""
    stated = any(p.get("survival_from") for p in raw_patients(any_site.data) if p["survival_months"] is not None)
    for fid in KM_FIGURES:
        caption = figure_parts(any_site.site, "topics/survival-and-outcome", fid)["caption"]
        assert "reads a bare figure as death" in caption and "censored" in caption, fid
        if not stated:
            assert "do not state from when" in caption, fid
        elif fid == "survival-overall":  # every record with survival is on it (the comparison may leave some out)
            assert "counted from what each publication states: " in caption, fid
    svg = (any_site.site / "figures" / "survival-overall.svg").read_text(encoding="utf-8")
    assert ("start not stated" in svg if not stated else "time origin per record" in svg) and "since diagnosis" not in svg
    methods = lxml_html.parse(str(any_site.site / "methods" / "index.html")).xpath("string(//article)")
    assert "alive at" in methods and "censored" in methods


def test_surgery_comparison_names_its_arms_and_makes_no_causal_claim(any_site):
    from curvegroups import compared_arms, curve_groups

    raw_cases, raw_references = raw_records(any_site.data, "cases"), raw_records(any_site.data, "references")
    caption = figure_parts(any_site.site, "topics/survival-and-outcome", "survival-by-surgery")["caption"]
    per_ref = Counter(case["reference"] for case in raw_cases.values() for _ in case.get("patients", []))
    labels = {t["id"]: t["label"] for t in load_yaml(any_site.data / "vocabularies" / "primary-sites.yaml")["terms"]}
    usable = [dict(p, reference=c["reference"]) for c in raw_cases.values() for p in c.get("patients", [])
              if p["survival_months"] is not None]
    arms = compared_arms(curve_groups(usable, labels))
    assert arms  # the review's breast-carcinoma patients have both arms
    for arm, members in arms.items():
        refs = {p["reference"] for p in members}
        match = re.search(rf"{re.escape(arm)}: (\d+) patients? from (\d+) publications? \(([^)]*)\); (\d+) censored; "
                          r"(\d+) of", caption)
        assert match, arm
        assert int(match.group(1)) == len(members) and int(match.group(2)) == len(refs)
        for ref in refs:
            family = raw_references[ref].get("author", [{"family": ""}])[0]["family"]
            assert family in match.group(3)
        assert int(match.group(4)) == sum(1 for p in members if p["alive"] is not False)
        assert int(match.group(5)) == sum(1 for p in members if per_ref[p["reference"]] == 1)
    assert "publication bias" in caption and "selection bias" in caption and "immortal-time bias" in caption
    for causal in ("improves survival", "prolongs", "benefit of surgery", "surgery improves", "because of surgery"):
        assert causal not in caption.lower()


def test_no_empty_group_is_drawn(any_site):
    rows = list(csv.reader(io.StringIO((any_site.site / "downloads" / "figures" / "outcome-by-treatment.csv")
                                       .read_text(encoding="utf-8"))))[1:]
    assert rows and all(int(r[-1]) > 0 for r in rows)


def own_case_sites(data: Path) -> set[str]:
    """Primary sites among the own cases of a collecting review (a record read from its own reference,
    where that document also tabulates other works)."""
    records = []
    for f in (data / "cases").glob("*.yaml"):
        case = load_yaml(f)
        for section in ("series", "patients"):
            records += [(case["reference"], section, r) for r in case.get(section, [])]
    collecting = {r["source"]["document"] for ref, _, r in records if r["source"]["document"] != ref}
    sites = set()
    for ref, section, r in records:
        if ref == r["source"]["document"] and ref in collecting:
            sites |= set(r["primary_sites"]) if section == "series" else {r["primary_site"]}
    return sites


def test_site_pages_mention_an_own_case_only_where_the_site_has_one(any_site):
    own = own_case_sites(any_site.data)
    assert own  # the review's own case is a breast case
    for page in (any_site.site / "sites").glob("*/index.html"):
        text = " ".join(lxml_html.parse(str(page)).xpath("string(//article)").split())
        assert ("own case" in text) == (page.parent.name in own), page.parent.name


def test_sites_index_is_sorted_by_cases_with_shares_and_explains_missing_patient_rows(any_site):
    raw_cases = raw_records(any_site.data, "cases")
    tree = lxml_html.parse(str(any_site.site / "sites" / "index.html"))
    rows = tree.xpath("//div[@id='table-sites']//tbody/tr")
    headers = [" ".join(th.text_content().split()) for th in tree.xpath("//div[@id='table-sites']//thead//th")]
    cases_col, share_col, patients_col = (headers.index(h) for h in ("Surgically treated cases", "Share", "Patient records"))
    cells = [[" ".join(td.text_content().split()) for td in row.xpath("./td")] for row in rows]
    cases = [int(c[cases_col]) for c in cells]
    assert cases == sorted(cases, reverse=True)
    total = sum(s["surgically_treated"] for case in raw_cases.values() for s in case.get("series", []))
    for c in cells:
        assert c[share_col] == f"{round(100 * int(c[cases_col]) / total)}%"
    legend = " ".join(tree.xpath("string(//div[@id='table-sites']/following-sibling::p[@class='atlas-legend'])").split())
    if any(c[patients_col] == "0" for c in cells):
        assert "Individual patient records come only from" in legend


def test_group_survival_is_in_the_survival_cell(any_site):
    """A survival the source gives only for a group (Schiff 1996: median 13, range 2-27) is in the
    survival cell of each of its patients, not only in a footnote."""
    tree = lxml_html.parse(str(any_site.site / "cases" / "breast-carcinoma" / "index.html"))
    groups = [g for c in raw_records(any_site.data, "cases").values() for g in c.get("group_statistics", [])]
    assert groups
    for group in groups:
        stats = group["survival_months"]
        for pid in group["patients"]:
            row = " ".join(tree.xpath(f"string(//tr[@id='patient-{pid}'])").split())
            assert f"median {stats['median']:g}" in row and f"{stats['min']:g}–{stats['max']:g}" in row


def test_every_page_states_the_currency_of_its_evidence(any_site):
    finding = load_yaml(ROOT / "data" / "findings" / "literature-search-end.yaml")
    year, month = finding["values"][0]["date"].split("-")
    expected = f"{finding['label'][1:]}: {calendar.month_name[int(month)]} {year}"  # the search, and what it covered
    for page in any_site.site.rglob("index.html"):
        line = lxml_html.parse(str(page)).xpath("string(//p[@class='atlas-currency'])")
        assert expected in line and "data last changed" in line, page


FINDINGS = {p.stem: load_yaml(p) for p in sorted((ROOT / "data" / "findings").glob("*.yaml"))}
PAGES = {"": "home", **{f"topics/{t}": t for t in ("epidemiology", "dissemination", "clinical-presentation",
                                                    "diagnosis", "treatment", "survival-and-outcome")}}


@pytest.mark.parametrize("page, topic", PAGES.items())
def test_pages_open_with_three_to_six_cited_key_messages(built_site, page, topic):
    tree = lxml_html.parse(str(built_site.site / page / "index.html"))
    items = tree.xpath("//ol[@class='atlas-key-messages']/li")
    expected = [fid for fid, f in FINDINGS.items() if "key_message" in f
                and (f["key_message"].get("home") if topic == "home" else f["topic"] == topic)]
    assert 3 <= len(items) <= 6 and len(items) == len(expected)
    for item in items:
        first = item.xpath("./p")[0]
        assert first.xpath(".//span[contains(@class, 'atlas-cite')]//a[contains(@href, 'references/')]"), page
    h1 = tree.xpath("//article//h1")[0]
    following = [el.tag for el in h1.itersiblings()][:4]
    assert "ol" in following or any(el.get("id") == "key-messages" for el in h1.itersiblings())


def test_contrasting_positions_are_shown_side_by_side(built_site):
    contrasts = {fid: f["contrast"] for fid, f in FINDINGS.items() if f.get("contrast") and "key_message" in f}
    assert contrasts  # the review's sources pull apart on surgery and on chemotherapy
    for fid in contrasts:
        page = f"topics/{FINDINGS[fid]['topic']}"
        tree = lxml_html.parse(str(built_site.site / page / "index.html"))
        item = tree.xpath(f"//ol[@class='atlas-key-messages']/li[@id='finding-{fid}']")[0]
        side = item.xpath(".//p[contains(@class, 'atlas-contrast')]")
        assert side and side[0].xpath(".//span[contains(@class, 'atlas-cite')]//a"), fid


def test_number_only_works_are_cited_as_one_group_per_place(built_site, raw_references):
    """A work known only by the review's number is not one link per number: each in-text citation has
    at most one group link per review, and that link lands on the review's list of numbered works."""
    numbered = [r for r, ref in raw_references.items() if not ref.get("author") and ref["iscm"].get("review_ref")]
    for page in (built_site.site / "topics").glob("*/index.html"):
        tree = lxml_html.parse(str(page))
        for cite in tree.xpath("//article//span[contains(@class, 'atlas-cite')]"):
            hrefs = [a.get("href") for a in cite.xpath(".//a")]
            number_only = [h for h in hrefs if h.rstrip("/").split("/")[-1] in numbered]
            assert not number_only, (page, hrefs)
            groups = [h for h in hrefs if h.endswith("#cited-by-number")]
            assert len(groups) == len(set(groups))
    review = lxml_html.parse(str(built_site.site / "references" / "hrabalek-2010" / "index.html"))
    listed = review.xpath("//h2[@id='cited-by-number']/following-sibling::ul[1]/li/a/@href")
    assert sorted(h.strip("./").split("/")[-1] for h in listed) == sorted(numbered)


def test_no_table_shows_an_empty_column(any_site):
    for page in any_site.site.rglob("index.html"):
        tree = lxml_html.parse(str(page))
        for table in tree.xpath("//div[contains(@class, 'atlas-table')]/table"):
            rows = [[" ".join(td.text_content().split()) for td in tr.xpath("./td[not(contains(@class, 'atlas-anchor'))]")]
                    for tr in table.xpath("./tbody/tr")]
            if not rows:
                continue
            for column in zip(*rows):
                assert any(column), (page, table.getparent().get("id"))


def test_review_numbers_are_explained_only_where_shown(any_site):
    """A reference page of a work the review does not cite carries no legend about the review's numbers."""
    for ref_id, ref in raw_records(any_site.data, "references").items():
        if ref["iscm"].get("review_ref"):
            continue
        text = lxml_html.parse(str(any_site.site / "references" / ref_id / "index.html")).xpath("string(//article)")
        assert "the number under which" not in text, ref_id
