"""Who says it: every statement is credited to the work the atlas read it from, and a work the atlas knows only
through a review that cites it is credited "as cited in" that review, in the text, in each row's cite control, in
the head tags and in the exports. Checked on the built HTML and on the downloads, for any valid data."""
from __future__ import annotations

import datetime as dt
import json
import re

import bibtexparser
import lxml.html
import rispy
import yaml
from conftest import raw_records


def collecting_reviews(data) -> set[str]:
    """The works whose tables collect other publications' records (read from the case files, not the code)."""
    found = set()
    for case in raw_records(data, "cases").values():
        for record in [*case.get("series", []), *case.get("patients", [])]:
            if record["source"]["document"] != case["reference"]:
                found.add(record["source"]["document"])
    return found


def known_through_review(refs: dict) -> set[str]:
    """Works the atlas knows only from a review's reference list: they carry the review's number."""
    return {rid for rid, ref in refs.items() if ref.get("iscm", {}).get("review_ref") is not None}


def page_trees(site):
    for page in sorted(site.rglob("index.html")):
        yield page, lxml.html.fromstring(page.read_text(encoding="utf-8"))


def linked_id(href: str) -> str | None:
    match = re.search(r"references/([a-z0-9][a-z0-9-]*)/", href)
    return match.group(1) if match else None


def test_no_cited_work_is_credited_alone_in_any_in_text_citation(any_site):
    """A work the review cites is never given as the source of a statement on its own: each in-text citation that
    links one also says "as cited in" the review, right after it (or it is a "refs. n in <review>" group)."""
    refs = raw_records(any_site.data, "references")
    through = known_through_review(refs)
    reviews = collecting_reviews(any_site.data)
    assert reviews, "the data has a collecting review"
    wrong = []
    for page, tree in page_trees(any_site.site):
        for cite in tree.xpath("//article//span[contains(@class, 'atlas-cite')]"):
            links = [(" ".join(a.text_content().split()), linked_id(a.get("href", ""))) for a in cite.xpath(".//a")]
            for i, (text, ref) in enumerate(links):
                if ref not in through or text.startswith("ref"):
                    continue
                after = [(t, r) for t, r in links[i + 1:] if t.startswith("as cited in ")]
                if not after or after[0][1] not in reviews:
                    wrong.append((str(page.relative_to(any_site.site)), " ".join(cite.text_content().split())))
    assert wrong == []


def test_the_review_is_never_named_twice_in_one_citation(built_site):
    """"as cited in Hrabálek L 2010" names the review: it is not also listed beside it."""
    refs = raw_records(built_site.data, "references")
    for review in collecting_reviews(built_site.data):
        label_links = f"references/{review}/"
        for page, tree in page_trees(built_site.site):
            for cite in tree.xpath("//article//span[contains(@class, 'atlas-cite')]"):
                plain = [a for a in cite.xpath(".//a") if a.get("href", "").endswith(label_links)
                         and not a.text_content().startswith("as cited in")]
                cited_through = [a for a in cite.xpath(".//a") if a.text_content().startswith("as cited in")]
                assert not (plain and cited_through), (page, cite.text_content(), refs[review].get("title"))


def cite_control(tree, row_id: str) -> str:
    return " ".join(tree.xpath(f"string(//tr[@id='{row_id}']//details[@class='atlas-row-cite']/p)").split())


def test_each_finding_row_cites_the_work_read_first_and_the_cited_works_as_cited_there(any_site):
    refs = raw_records(any_site.data, "references")
    through = known_through_review(refs)
    findings = raw_records(any_site.data, "findings")
    checked = 0
    for page, tree in page_trees(any_site.site / "topics"):
        for row in tree.xpath("//tr[starts-with(@id, 'finding-')]"):
            finding = findings.get(row.get("id").removeprefix("finding-"))
            if finding is None:
                continue
            text = cite_control(tree, row.get("id"))
            document = refs[finding["source"]["document"]]
            assert text.startswith(document["author"][0]["family"]), (page, row.get("id"), text)
            others = [c for c in finding["citations"] if c != finding["source"]["document"]]
            assert ("Cited there:" in text) == bool(others), (row.get("id"), text)
            named = [refs[c]["author"][0]["family"] for c in others if c in through and refs[c].get("author")]
            for family in named:
                assert text.index(family) > text.index("Cited there:"), (row.get("id"), text)
            checked += 1
    assert checked


PLACEHOLDER = re.compile(r"not yet identified|no printed form", re.IGNORECASE)


def test_no_placeholder_title_reaches_a_head_tag_a_cite_control_or_an_export(any_site):
    for page, tree in page_trees(any_site.site):
        for meta in tree.xpath("//head/meta[starts-with(@name, 'citation_')]"):
            assert not PLACEHOLDER.search(meta.get("content", "")), (page, meta.get("content"))
        for cite in tree.xpath("//details[@class='atlas-row-cite']/p"):
            assert not PLACEHOLDER.search(cite.text_content()), (page, cite.text_content())
    downloads = any_site.site / "downloads"
    for name in ("references.bib", "references.ris", "references.json"):
        assert not PLACEHOLDER.search((downloads / name).read_text(encoding="utf-8")), name


def test_every_exported_work_can_be_printed_and_keeps_et_al(any_site):
    """Every entry of the three bibliography files has an author or a title; a work printed with "et al." keeps it
    in each format; a work left out is one known only by its number (the downloads page says why)."""
    refs = raw_records(any_site.data, "references")
    downloads = any_site.site / "downloads"
    csl = {item["id"]: item for item in json.loads((downloads / "references.json").read_text(encoding="utf-8"))}
    bib = {e.key: e for e in bibtexparser.parse_string((downloads / "references.bib").read_text(encoding="utf-8")).entries}
    ris = {r["id"]: r for r in rispy.loads((downloads / "references.ris").read_text(encoding="utf-8"))}
    for rid, ref in refs.items():
        printable = bool(ref.get("author") or ref.get("title"))
        assert (rid in csl) == (rid in bib) == (rid in ris) == printable, rid
        if not printable:
            continue
        assert csl[rid].get("author") or csl[rid].get("title")
        if ref.get("iscm", {}).get("et_al") and ref.get("author"):
            assert csl[rid]["author"][-1] == {"literal": "et al."}, rid
            assert bib[rid]["author"].split(" and ")[-1].strip() == "others", rid
            assert ris[rid]["authors"][-1] == "et al.", rid
        else:
            assert "others" not in bib[rid].fields_dict.get("author", bibtexparser.model.Field("author", "")).value
    page = (downloads / "index.html").read_text(encoding="utf-8")
    assert "only by number" in page


def test_home_page_is_titled_as_the_atlas_for_reference_managers(any_site):
    head = lxml.html.fromstring((any_site.site / "index.html").read_text(encoding="utf-8")).head
    name = re.search(r"^site_name: *(.+)$", (any_site.data.parent / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
    assert head.xpath("string(//meta[@name='citation_title']/@content)") == name
    assert head.xpath("string(//meta[@property='og:title']/@content)") == name


def test_every_page_cites_in_its_head_each_work_its_text_links(any_site):
    """A page that links a work (a table row's publication, a citation) carries it as citation_reference, the works
    the atlas read first; a work known only by its number is not there (it has nothing to cite)."""
    refs = raw_records(any_site.data, "references")
    through = known_through_review(refs)
    for page, tree in page_trees(any_site.site):
        if page.parent.parent.name == "references" or page.parent.name == "references":
            continue
        article = tree.xpath("//article")
        if not article:
            continue
        linked = {linked_id(a.get("href", "")) for a in article[0].xpath(".//a")} - {None}
        linked = {r for r in linked if r in refs and (refs[r].get("author") or refs[r].get("title"))}
        tags = [m.get("content") for m in tree.xpath("//head/meta[@name='citation_reference']")]
        titles = " | ".join(tags)
        for rid in linked:
            ref = refs[rid]
            key = ref.get("title") or f"citation_author={ref['author'][0]['family']}"
            assert key in titles, (str(page.relative_to(any_site.site)), rid)
        read = [i for i, t in enumerate(tags) if any(refs[r].get("title", "\0") in t for r in linked - through)]
        cited = [i for i, t in enumerate(tags) if any(refs[r].get("title", "\0") in t for r in linked & through)]
        if read and cited:
            assert max(read) < min(cited), page


def test_pages_are_dated_by_the_release_not_by_the_build(any_site):
    cff = yaml.safe_load((any_site.data.parent / "CITATION.cff").read_text(encoding="utf-8"))
    released = cff["date-released"]
    released = released if isinstance(released, dt.date) else dt.date.fromisoformat(str(released))
    for _page, tree in list(page_trees(any_site.site))[:30]:
        assert tree.xpath("string(//head/meta[@name='citation_publication_date']/@content)") == released.strftime("%Y/%m/%d")
        assert tree.xpath("string(//head/meta[@name='DC.date']/@content)") == released.isoformat()


def test_each_table_part_says_exactly_which_rows_it_shows(any_site):
    """"Rows 1–50 of 62": the first and last numbers are those of the rows the part holds."""
    for page, tree in page_trees(any_site.site):
        for block in tree.xpath("//div[contains(@class, 'atlas-table')][.//nav[@class='atlas-pager']]"):
            said = re.search(r"Rows ([\d,]+)–([\d,]+) of ([\d,]+)", block.xpath("string(.//nav[@class='atlas-pager'])"))
            first, last, total = (int(g.replace(",", "")) for g in said.groups())
            rows = len(block.xpath("./table/tbody/tr"))
            assert (last - first + 1, last <= total) == (rows, True), (page, said.group(0), rows)


def test_no_page_shows_the_datas_own_words_for_what_is_known_of_a_work(any_site):
    """"seed-only", "number-only" are the data's ids; a reader sees what they mean (the contributors' guide, which
    documents the data files, names them as what a contributor writes)."""
    from htmlread import page_text
    jargon = {str(p.relative_to(any_site.site)) for p in any_site.site.rglob("index.html")
              if p.relative_to(any_site.site).parts[0] != "contribute"
              and re.search(r"\b(seed|number)-only\b", page_text(p))}
    assert jargon == set()


def test_survival_figures_name_their_estimator_interval_and_who_computed_them(any_site):
    """Every survival figure says it is a Kaplan-Meier estimate computed by the atlas, and how its interval is
    made; the comparison by surgery names immortal-time bias."""
    seen = set()
    for page, tree in page_trees(any_site.site):
        for figure in tree.xpath("//figure[starts-with(@id, 'figure-survival')]"):
            caption = " ".join(figure.xpath("string(.//figcaption)").split())
            assert "Kaplan-Meier" in caption and "computed by the atlas" in caption, (page, figure.get("id"))
            assert "95% confidence intervals from Greenwood's variance on the log-log scale" in caption
            if figure.get("id").startswith("figure-survival-by-surgery"):
                assert "immortal-time bias" in caption
            seen.add(figure.get("id"))
    assert "figure-survival-overall" in seen


def test_no_note_is_printed_twice_on_a_page(any_site):
    """A note about a publication (its data note, a note on a record) is printed once on a page, however many of the
    page's tables hold its rows."""
    twice = {}
    for page, tree in page_trees(any_site.site):
        notes = [" ".join(li.text_content().split()) for li in
                 tree.xpath("//*[contains(@class, 'atlas-footnotes') or contains(@class, 'atlas-notes')]//li")]
        repeated = {n for n in notes if notes.count(n) > 1}
        if repeated:
            twice[str(page.relative_to(any_site.site))] = sorted(repeated)[:2]
    assert twice == {}


def test_a_doubtful_printed_value_is_shown_flagged_and_not_counted_as_reported(any_site):
    """A value the source prints but that looks misprinted (a row perhaps shifted by a column) stands in the tables
    as printed, flagged, and is counted as not reported in the outcome-by-treatment figure, which says so."""
    flagged = [(p, field) for case in raw_records(any_site.data, "cases").values() for p in case.get("patients", [])
               for field in p.get("doubtful", ())]
    if not flagged:
        return
    tree = lxml.html.fromstring((any_site.site / "topics" / "treatment" / "index.html").read_text(encoding="utf-8"))
    caption = " ".join(tree.xpath("string(//figure[@id='figure-outcome-by-treatment']//figcaption)").split())
    for field in {f for _, f in flagged if f in ("surgery", "radiotherapy", "chemotherapy")}:
        assert f"{field}: {sum(1 for _, f in flagged if f == field)}" in caption
    from htmlread import table_rows
    cells, _, _ = table_rows(any_site.site, "cases/all-patients", "all-patients")
    for p, field in flagged:
        row = cells[f"patient-{p['id']}"]
        shown = next(v for k, v in row.items() if k.lower() == field.replace("_", " "))
        assert shown.endswith("(as printed, doubtful)"), (p["id"], field, shown)


def test_the_footer_explains_a_build_later_than_its_release(any_site):
    """"released 2026-11-25" never stands beside a later data date unexplained: a build made after its release says
    it holds later changes, and up to when (the last commit's day, as the currency line dates the data)."""
    cff = yaml.safe_load((any_site.data.parent / "CITATION.cff").read_text(encoding="utf-8"))
    released = str(cff["date-released"])
    tree = lxml.html.fromstring((any_site.site / "index.html").read_text(encoding="utf-8"))
    footer = " ".join(tree.xpath("string(//div[@class='md-copyright__highlight'])").split())
    online = tree.xpath("string(//head/meta[@name='citation_online_date']/@content)").replace("/", "-")
    assert f"released {released}" in footer
    if online > released:
        assert f"this build holds changes made after that release, to {online}" in footer
    else:
        assert "after that release" not in footer
