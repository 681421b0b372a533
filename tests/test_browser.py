"""The built site in a real browser (Debian's Chromium via Playwright): every page loads cleanly,
search, sorting and filtering work by mouse and keyboard, pages read without JavaScript, nothing is
requested from another host, and axe-core finds no serious or critical accessibility problem."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT, review_records
from playwright.sync_api import expect


class Watcher:
    """Collects what a page does wrong: console errors, uncaught exceptions, failed or foreign requests."""

    def __init__(self, page, base):
        self.problems: list[str] = []
        host = urlparse(base).netloc
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        # A request the next navigation cancels (net::ERR_ABORTED) is not a failure of the page; a missing
        # file is (any response of 400 or more).
        page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and self.problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/404.html")
                and self.problems.append(f"HTTP {r.status}: {r.url}"))

        def route(route):
            if urlparse(route.request.url).netloc != host and not route.request.url.startswith("data:"):
                self.problems.append(f"foreign request: {route.request.url}")
                return route.abort()
            return route.continue_()
        page.route("**/*", route)


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watcher = Watcher(page, site_url)
    yield page
    context.close()


def all_pages(site):
    return sorted(str(p.parent.relative_to(site)) + "/" if p.parent != site else "" for p in site.rglob("index.html"))


def test_every_page_loads_without_errors_or_foreign_requests(built_site, page, site_url):
    pages = all_pages(built_site.site) + ["404.html"]
    assert len(pages) >= 100  # 72 references, 12 sites, topics, cases, methods, ... and 404
    for path in pages:  # "load": the page, its scripts, styles and images; what it fetches later is watched too
        page.goto(site_url + path.replace("./", ""), wait_until="load")
    page.wait_for_load_state("networkidle")  # the last page's late requests (search index) finish cleanly
    assert page.watcher.problems == []


@pytest.mark.parametrize("term, expected", [("Dam-Hieu", "references/dam-hieu-2009/"), ("melanoma", "sites/melanoma/"),
                                            ("Brown-Séquard", "topics/clinical-presentation/"),
                                            ("lee-2007-p3", "references/lee-2007/")])  # a patient, by its id
def test_search_finds_the_right_page(page, site_url, term, expected):
    """Records are found by author, primary site and id on their own pages (tables stay out of the index)."""
    page.goto(site_url)
    page.wait_for_load_state("networkidle")  # the search worker has loaded the index
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially(term, delay=20)  # as a reader types
    # Results render as the index answers; wait for the expected page among the first results.
    hit = page.locator(f".md-search-result__item > a[href*='{expected}']")
    expect(hit.first).to_be_visible(timeout=20000)
    assert page.watcher.problems == []


def test_the_search_index_is_downloaded_only_when_a_reader_opens_search(page, site_url):
    """A page view that never searches does not fetch the index (megabytes at 100x); opening search does, once,
    by the keyboard shortcut as by a click, and the search answers."""
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "search_index.json" in request.url else None)
    page.goto(site_url + "topics/diagnosis/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert asked == []
    page.keyboard.press("/")  # the theme's shortcut focuses the search field
    expect(page.get_by_role("textbox", name="Search")).to_be_focused()
    page.wait_for_load_state("networkidle")
    assert len(asked) == 1
    page.keyboard.type("melanoma", delay=20)
    expect(page.locator(".md-search-result__item > a[href*='sites/melanoma/']").first).to_be_visible(timeout=20000)
    assert len(asked) == 1 and page.watcher.problems == []


def years(page, table):
    column = [th.inner_text() for th in table.locator("thead th").all()].index("Year")
    return [row.locator("td").nth(column).inner_text() for row in table.locator("tbody tr").all()]


def test_tables_sort_by_mouse_and_keyboard(page, site_url):
    page.goto(site_url + "references/")
    table = page.locator("#table-bibliography table")
    header = table.locator("thead th", has_text="Year")
    header.click()
    ascending = [y for y in years(page, table) if y != "n.a."]
    assert ascending == sorted(ascending) and header.get_attribute("aria-sort") == "ascending"
    header.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    descending = [y for y in years(page, table) if y != "n.a."]
    assert descending == sorted(descending, reverse=True)
    assert page.watcher.problems == []


def test_tables_filter_by_keyboard_and_mouse(page, site_url, raw_cases):
    page.goto(site_url + "cases/surgical-series/")
    table = page.locator("#table-surgical-series table")
    series = review_records(raw_cases, "series")  # the review's Table 1, as printed
    melanoma = [s for s in series if "melanoma" in s["primary_sites"]]
    site = page.locator("#table-surgical-series").get_by_role("combobox", name="Primary site")
    site.focus()
    page.keyboard.type("Melanoma")  # the keyboard picks the option as a reader types its name
    visible = table.locator("tbody tr:not([hidden])")
    expect(visible).to_have_count(len(melanoma))
    assert all("Melanoma" in row.inner_text() for row in visible.all())
    page.locator("#table-surgical-series").get_by_role("button", name="Clear filters").click()
    expect(table.locator("tbody tr:not([hidden])")).to_have_count(len(series))
    site.select_option("melanoma")  # and the mouse
    expect(visible).to_have_count(len(melanoma))
    assert page.watcher.problems == []


def test_pages_read_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "cases/breast-carcinoma/")
    raw = {f.stem: yaml.safe_load(f.read_text(encoding="utf-8")) for f in sorted((ROOT / "data" / "cases").glob("*.yaml"))}
    breast = [p for p in review_records(raw, "patients") if p["primary_site"] == "breast"]  # the review's Table 2
    expect(page.locator("#table-breast-carcinoma tbody tr")).to_have_count(len(breast))
    expect(page.locator("#patient-kosmas-2005-p3")).to_be_visible()
    page.goto(site_url + "topics/survival-and-outcome/")
    expect(page.locator("#figure-survival-overall img")).to_be_visible()
    expect(page.get_by_text("Numbers behind this figure").first).to_be_visible()
    context.close()


PAGE_TYPES = ["", "topics/epidemiology/", "topics/survival-and-outcome/", "cases/", "cases/surgical-series/",
              "cases/breast-carcinoma/", "references/", "references/kosmas-2005/", "references/hrabalek-2010-ref-1/",
              "sites/", "sites/breast/", "methods/", "contribute/", "downloads/", "404.html"]


@pytest.mark.parametrize("path", PAGE_TYPES)
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_accessibility_violations(browser, site_url, path, scheme):
    context = browser.new_context(color_scheme="dark" if scheme == "slate" else "light")
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
                                    for v in serious)
    context.close()


def test_cite_block_copy_button_copies_the_bibtex(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + "topics/diagnosis/")
    page.locator("#cite-this-page details.atlas-cite-more > summary").click()  # APA, BibTeX and RIS are folded
    block = page.locator("#cite-this-page pre").nth(2)  # Vancouver, APA, BibTeX, RIS
    expected = block.locator("code").inner_text()
    assert expected.startswith("@misc{")
    block.hover()
    block.locator("button[data-md-type='copy']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == expected.strip()
    context.close()


def test_cite_block_is_readable_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "references/lee-2007/")
    # a preview build: the citation shows where the published address goes, and says it is a preview
    expect(page.locator("#cite-this-page .atlas-preview-note")).to_be_visible()
    page.locator("#cite-this-page details.atlas-cite-more > summary").click()  # a <details> opens without JavaScript
    bibtex = page.locator("#cite-this-page pre code").nth(2)
    expect(bibtex).to_be_visible()
    expect(bibtex).to_contain_text("/references/lee-2007/}")
    expect(bibtex).to_contain_text("urldate = {")  # the build date stands in, as the block says
    context.close()


def test_the_access_date_is_the_readers_today(page, site_url):
    import datetime as dt

    page.goto(site_url + "topics/diagnosis/")
    today = dt.date.today()
    expect(page.locator("#cite-this-page .atlas-accessed[data-form='nlm']")).to_have_text(
        f"{today.year} {today.strftime('%b')} {today.day}")
    expect(page.locator("#cite-this-page .atlas-accessed[data-form='iso']")).to_have_text(today.isoformat())


def test_a_preview_404_page_links_into_its_version_under_a_versioned_path(browser, built_site, tmp_path):
    """A 404 page is served at any depth, so it links by absolute path; a preview build, served under /0.1.0/ or
    /latest/ as mike lays out releases, points those links at that version's root and every one of them loads."""
    from browser import check_rooted_404

    check_rooted_404(browser, built_site.site, tmp_path)
