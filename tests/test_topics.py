"""Topic pages, findings, citations, reference pages, site pages and search, on the real built site."""
from __future__ import annotations

import hashlib
import html
import json
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import ROOT, load_yaml, raw_records
from htmlread import labelled_rows, page_text, read, rows_over_parts
from lxml import html as lxml_html

TOPICS = ["epidemiology", "dissemination", "clinical-presentation", "diagnosis", "treatment", "survival-and-outcome"]
FINDINGS = {p.stem: load_yaml(p) for p in sorted((ROOT / "data" / "findings").glob("*.yaml"))}


def topic_page(topic: str) -> str:
    return "methods" if topic == "methods" else f"topics/{topic}"


def all_pages(site: Path) -> dict[str, Path]:
    """Every built HTML page, keyed by its page path ("topics/diagnosis", "" for the home page)."""
    return {str(p.parent.relative_to(site)).replace(".", "") if p.parent != site else "": p
            for p in site.rglob("index.html")}


@pytest.fixture(scope="module")
def links(any_site):
    """Every internal link in the content of every page: page -> [(href, resolved page path, anchor)]."""
    found = defaultdict(list)
    for page, path in all_pages(any_site.site).items():
        for href in read(path).content_links:
            url = urlparse(href)
            if url.scheme or href.startswith("mailto:"):
                continue
            target = urlparse(urljoin(f"http://site/{page}/" if page else "http://site/", href))
            found[page].append((href, target.path.strip("/"), target.fragment))
    return found


def test_topic_pages_exist_at_stable_urls(built_site):
    for topic in TOPICS:
        assert (built_site.site / "topics" / topic / "index.html").is_file()
    for page in ("methods", "references", "sites", "cases", ""):
        assert (built_site.site / page / "index.html").is_file()


def test_every_internal_link_and_anchor_resolves(any_site, links):
    site = any_site.site
    pages = all_pages(site)
    ids = {}
    for page, hrefs in links.items():
        for href, target, anchor in hrefs:
            file = site / target
            if target in pages:
                if anchor:
                    if target not in ids:  # each target page is read once, however many anchors point into it
                        ids[target] = read(pages[target]).ids
                    assert anchor in ids[target], f"{page}: {href} -> no #{anchor}"
            else:
                assert file.is_file(), f"{page}: {href} -> {target} does not exist"


def test_every_reference_page_is_reachable(any_site, links):
    linked = {target for page, hrefs in links.items() for _, target, _ in hrefs if target != page}
    for rid in raw_records(any_site.data, "references"):
        assert f"references/{rid}" in linked, f"nothing links to references/{rid}/"


REFERENCES = {p.stem: load_yaml(p) for p in sorted((ROOT / "data" / "references").glob("*.yaml"))}


def _collecting_review() -> str | None:
    """The one review whose tables collect other works' records (from the case files)."""
    reviews = {r["source"]["document"] for case in raw_records(ROOT / "data", "cases").values()
               for r in [*case.get("series", []), *case.get("patients", [])] if r["source"]["document"] != case["reference"]}
    return next(iter(reviews)) if len(reviews) == 1 else None


def expected_citation_targets(ref_ids) -> list[str]:
    """Where a citation of `ref_ids` links, by the attribution rule: a work the atlas read itself to its page; a work
    known from the review that cites it (it has the review's number) to its page and then to that review ("as cited
    in"), or, if nothing but the number is known, once per review to that review's list of them; the review itself
    is named once."""
    direct, through = [], {}
    for rid in dict.fromkeys(ref_ids):
        ref = REFERENCES[rid]
        if ref["iscm"].get("review_ref") is None:
            direct.append(rid)
            continue
        source = ref["iscm"]["metadata"].get("source")
        review = source if source in REFERENCES else _collecting_review()
        named, numbers = through.setdefault(review, ([], []))
        (named if ref.get("author") else numbers).append(rid)
    targets = [rid for rid in direct if rid not in through]
    for review, (named, numbers) in through.items():
        targets += named + ([review] if named else []) + ([f"{review}#cited-by-number"] if numbers else [])
    return targets


def cited_targets(hrefs) -> list[str]:
    return [h.rstrip("/").split("/")[-1].replace("/#", "#") if "#" not in h else
            h.split("references/")[1].replace("/#", "#") for h in hrefs if "references/" in h]


@pytest.mark.parametrize("fid", FINDINGS)
def test_finding_is_on_its_topic_page_with_values_and_citations(built_site, fid):
    """A key message is an item of its page's key messages; any other finding is a row of the page's key
    figures, written into its prose. Either way: its words or values, and links to what it cites."""
    finding = FINDINGS[fid]
    path = built_site.site / topic_page(finding["topic"]) / "index.html"
    tree = lxml_html.parse(str(path))
    numbers = [str(v[k]) for v in finding.get("values", []) for k in ("value", "low", "high", "numerator", "denominator")
               if k in v]
    numbers += [v["date"][:4] for v in finding.get("values", []) if "date" in v]
    boxed = tree.xpath(f"//ol[@class='atlas-key-messages']/li[@id='finding-{fid}']/p[1]"
                       f" | //ol[@class='atlas-key-messages']//p[@id='finding-{fid}']")
    if "key_message" in finding or any(f.get("contrast") == fid for f in FINDINGS.values()):
        assert len(boxed) == 1, f"{fid} is a key message (or set beside one) but not in its page's key messages"
        text = " ".join(boxed[0].text_content().split())
        for part in " ".join((finding.get("statement") or finding["label"]).split()).split("{value}"):
            assert part.strip() in text  # a statement may place its values inside it, before a caveat
        hrefs = boxed[0].xpath(".//span[contains(@class, 'atlas-cite')]//a/@href")
    else:
        assert not boxed
        reader = read(path)
        row = reader.rows[f"finding-{fid}"]
        named = {finding["label"]}  # a later report's finding also gives its statement (what its values are of)
        if finding.get("statement") and finding.get("values"):
            named.add(f"{finding['label']}: {' '.join(finding['statement'].split())}")
        assert " ".join(row[0].split()) in named
        text = row[1]
        hrefs = reader.row_links[f"finding-{fid}"]
        prose_links = [h for h in reader.links if h == f"#finding-{fid}"]
        if finding.get("values"):
            assert prose_links, f"{fid} is in the key figures but not written into the prose of its page"
    assert all(n in text for n in numbers), (text, numbers)
    assert cited_targets(hrefs) == expected_citation_targets(finding["citations"])


def test_about_thirty_findings_each_cited():
    """The review's findings (about thirty), each cited; a finding read from a later report cites that report."""
    review = [f for f in FINDINGS.values() if f["source"]["document"] == "hrabalek-2010"]
    assert len(review) >= 30
    for finding in FINDINGS.values():
        assert finding["citations"]
        if finding["source"]["document"] != "hrabalek-2010":
            assert finding["source"]["document"] in finding["citations"], finding["id"]


def test_buchholz_finding_keeps_both_facts(built_site):
    finding = FINDINGS["first-description"]
    assert finding["citations"] == ["sutter-1998"]
    assert "Buchholz" in " ".join(finding["notes"])
    text = page_text(built_site.site / "topics" / "epidemiology" / "index.html")
    assert "Buchholz" in text and "Sutter B et al. 1998" in text


def test_topic_pages_list_what_they_cite_and_references_link_back(any_site, links):
    for topic in [*TOPICS, "methods"]:
        page = topic_page(topic)
        # A link to a review's list of works cited only by number is not a citation of the review.
        cited = {t for _, t, a in links[page] if t.startswith("references/") and t != "references" and a != "cited-by-number"}
        assert cited, f"{page} cites nothing"
        for target in cited:
            back = {t for _, t, _ in links[target]}
            assert page in back, f"{target} does not link back to {page}"


def test_reference_pages_link_back_to_findings_and_rows(any_site, links):
    """A reference page links to every finding citing the work and to every row read from it: the
    surgical series page, the review's breast-carcinoma table for its rows, the All patients table for every
    patient; each patient is also a row of the reference page itself and of its site's page."""
    for fid, finding in raw_records(any_site.data, "findings").items():
        for rid in finding["citations"]:
            assert (topic_page(finding["topic"]), f"finding-{fid}") in {(t, a) for _, t, a in links[f"references/{rid}"]}
    raw_cases = raw_records(any_site.data, "cases")
    review = {r["source"]["document"] for c in raw_cases.values() for kind in ("series", "patients")
              for r in c.get(kind, []) if r["source"]["document"] != c["reference"]}
    for case in raw_cases.values():
        targets = {(t.split("/all-patients-")[0].split("/breast-carcinoma-")[0], a)
                   for _, t, a in links[f"references/{case['reference']}"]}  # a row on a later part of its table
        for s in case.get("series", []):
            assert ("cases/surgical-series", f"series-{s['id']}") in targets
        for p in case.get("patients", []):
            if p["primary_site"] == "breast" and p["source"]["document"] in review:
                assert ("cases/breast-carcinoma", f"patient-{p['id']}") in targets
            assert ("cases/all-patients", f"patient-{p['id']}") in targets
            own = read(any_site.site / "references" / case["reference"] / "index.html")
            assert f"patient-{p['id']}" in own.rows
            if p["primary_site"]:
                assert f"patient-{p['id']}" in rows_over_parts(any_site.site, f"sites/{p['primary_site']}")


def test_number_only_references_are_marked_not_invented(any_site):
    for rid, ref in raw_records(any_site.data, "references").items():
        if ref["iscm"]["metadata"]["confidence"] == "number-only":
            assert "title" not in ref and "issued" not in ref
            text = page_text(any_site.site / "references" / rid / "index.html")
            assert "its number in the review only" in text and f"reference {ref['iscm']['review_ref']}" in text
            assert not re.search(r"\b(number|seed)-only\b", text)  # the data's words never reach a reader


def test_site_pages_count_independently(any_site):
    raw_cases = raw_records(any_site.data, "cases")
    table = labelled_rows(any_site.site / "sites" / "index.html", "sites")
    sites = defaultdict(lambda: [0, set(), 0])
    for case in raw_cases.values():
        for s in case.get("series", []):
            for site, n in s["primary_sites"].items():
                sites[site][0] += n
                sites[site][1].add(case["reference"])
        for p in case.get("patients", []):
            if p["primary_site"]:
                sites[p["primary_site"]][2] += 1
    for site, (cases, refs, patients) in sites.items():
        row = table[f"site-{site}"]
        assert [row["Surgically treated cases"], row["Publications (surgical)"], row["Patient records"]] == [
            str(cases), str(len(refs)), str(patients)], site
        assert (any_site.site / "sites" / site / "index.html").is_file()
        rows = rows_over_parts(any_site.site, f"sites/{site}")
        assert sum(1 for r in rows if r.startswith("series-")) == sum(
            1 for c in raw_cases.values() for s in c.get("series", []) if site in s["primary_sites"])
    lung = read(any_site.site / "sites" / "lung" / "index.html")
    assert "finding-median-survival-lung-vs-breast" in lung.ids


@pytest.mark.parametrize("term, page", [("Dam-Hieu", "references/dam-hieu-2009/"), ("melanoma", "sites/melanoma/"),
                                        ("Brown-Séquard", "topics/clinical-presentation/"),
                                        ("Conolly", "references/connolly-1996/")])  # as the review misprinted it
def test_search_index_finds_the_right_page(built_site, term, page):
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    hits = {doc["location"].split("#")[0] for doc in index["docs"]
            if term.lower() in (doc["title"] + " " + doc["text"]).lower()}
    assert page in hits, sorted(hits)[:10]


def test_every_work_is_one_search_entry_that_holds_its_record_ids(built_site):
    """A reference page gives search one entry, titled by the work's label (the page's title without its lead, the
    same words on every reference page), that holds the work's id and its records' ids."""
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = {doc["location"]: doc for doc in index["docs"]}
    raw_cases = raw_records(ROOT / "data", "cases")
    for ref_id, raw in raw_records(ROOT / "data", "references").items():
        entry = entries[f"references/{ref_id}/"]
        page_title = re.search(r"<title>(.*?)</title>", (built_site.site / "references" / ref_id / "index.html")
                               .read_text(encoding="utf-8")).group(1)
        assert html.unescape(page_title).startswith(f"Atlas record of {html.unescape(entry['title'])} - "), ref_id
        assert ref_id in entry["text"], ref_id
        assert "Atlas record" not in entry["title"] + entry["text"], ref_id
        records = [r["id"] for c in raw_cases.values() if c["reference"] == ref_id
                   for part in ("series", "patients") for r in c.get(part, [])]
        assert all(r in entry["text"] for r in records), ref_id
        for note in raw["iscm"].get("notes", []):  # what the atlas says of the work stays on its page only
            assert html.escape(note[:40], quote=False) not in entry["text"], (ref_id, note)


def test_headings_have_permalinks(built_site):
    raw = (built_site.site / "topics" / "diagnosis" / "index.html").read_text(encoding="utf-8")
    assert 'class="headerlink"' in raw


def prose(markdown: str) -> str:
    """The hand-typed text of a page: front matter, macro calls and link targets removed."""
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    markdown = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", markdown, flags=re.S)
    return re.sub(r"\]\([^)]*\)", "]", markdown)


CONTENT_PAGES = [*(ROOT / "docs" / "topics").glob("*/index.md"), ROOT / "docs" / "methods" / "index.md", ROOT / "docs" / "index.md"]


@pytest.mark.parametrize("path", CONTENT_PAGES, ids=lambda p: p.parent.name if p.parent.name != "docs" else "home")
def test_no_number_is_typed_in_a_content_page(path):
    text = prose(path.read_text(encoding="utf-8")).replace("T2-weighted", "")
    typed = re.findall(r".{0,20}\d.{0,5}", text)
    assert not typed, f"{path.name}: digits typed by hand: {typed}"


@pytest.mark.parametrize("path", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_pages_restate_the_review_in_their_own_words(path):
    """No run of seven words of the review reappears on a page (fingerprints in tests/fixtures)."""
    seed = {line for line in (ROOT / "tests" / "fixtures" / "seed-shingles.txt").read_text().split() if not line.startswith("#")}
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", prose(path.read_text(encoding="utf-8")))
    words = re.findall(r"[a-zà-ž]+", text.lower())
    copied = [" ".join(words[i:i + 7]) for i in range(len(words) - 6)
              if hashlib.sha256(" ".join(words[i:i + 7]).encode()).hexdigest()[:16] in seed]
    assert not copied
