"""The case tables in a real browser (Debian's Chromium via Playwright), measured from element boxes.

- On a 1280x800 screen the breast-carcinoma table shows every column without horizontal scrolling,
  its permanent-link column no wider than its "#"; on a 390x844 phone both case tables read as cards,
  one labelled line per field, the header row hidden from sight but kept for screen readers.
- The header row stays in view while the long table scrolls by.
- Facet filters show exactly the rows the data says, combine with AND, live in the query string
  (?surgery=no&vital=died), ignore values the page does not offer, and work by keyboard.
- Without JavaScript every row is there and no useless filter form shows.
- axe-core, with its target-size rule switched on, finds no problem worth the name.

Expectations come from the YAML in data/ and from the page's own attributes, never from counts
written here, so the tests hold as contributors add cases.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import review_records

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CASE_TABLES = {"cases/breast-carcinoma/": "#table-breast-carcinoma", "cases/surgical-series/": "#table-surgical-series",
               "cases/all-patients/": "#table-all-patients"}
BREAST = "cases/breast-carcinoma/"
SERIES = "cases/surgical-series/"
EVERYONE = "cases/all-patients/"


@pytest.fixture
def open_page(browser, site_url):
    """open_page(path, viewport=..., javascript=True) -> a loaded page; each in its own context, closed after."""
    contexts = []

    def open_page(path, viewport=DESKTOP, javascript=True):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        context.set_default_timeout(10000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # console errors, and uncaught errors of the site's own scripts (docs/javascripts/)
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("dialog", lambda dialog: (page.errors.append("dialog: " + dialog.message), dialog.dismiss()))
        # Uncaught errors elsewhere (the theme's own inline scripts) are test_browser.py's business; a
        # ResizeObserver loop is reported without a file.
        page.add_init_script("""window.addEventListener('error', e => {
          if (!e.filename || e.filename.includes('/javascripts/')) console.error(`${e.message} at ${e.filename}:${e.lineno}`);
        })""")
        page.goto(site_url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


# --- what the data says ------------------------------------------------------------------------

def breast_patients(raw_cases) -> dict[str, dict]:
    """Row id -> patient, for every row of the review's Table 2 (its breast-carcinoma patients, as printed)."""
    return {f"patient-{p['id']}": p for p in review_records(raw_cases, "patients") if p.get("primary_site") == "breast"}


def all_series(raw_cases) -> dict[str, dict]:
    """Row id -> series, for every row of the review's Table 1 (the surgical-series table)."""
    return {f"series-{s['id']}": s for s in review_records(raw_cases, "series")}


def all_patients(raw_cases) -> dict[str, dict]:
    """Row id -> patient, for every patient record of any source (the All patients table)."""
    return {f"patient-{p['id']}": p for case in raw_cases.values() for p in case.get("patients", [])}


def series_has_site(series: dict, site: str) -> bool:
    if site == "not-reported":
        return series["surgically_treated"] > sum(series.get("primary_sites", {}).values())
    return site in series.get("primary_sites", {})


# --- what the page shows -----------------------------------------------------------------------

GEOMETRY = """table => {
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                                                                  width: r.width, height: r.height}; };
  const headers = [...table.tHead.rows[0].cells].map(th => {
    const abbr = th.querySelector('abbr[title]');
    return {box: box(th), anchor: th.classList.contains('atlas-anchor'), label: th.textContent.trim(),
            full: abbr ? abbr.title : th.textContent.trim()};
  });
  const rows = [...table.tBodies[0].rows].map(tr => ({
    id: tr.id, box: box(tr), hidden: tr.hidden,
    cells: [...tr.cells].map(td => ({
      box: box(td), anchor: td.classList.contains('atlas-anchor'), text: td.textContent.trim(),
      label: td.dataset.label, display: getComputedStyle(td).display,
      before: getComputedStyle(td, '::before').content,
      links: [...td.querySelectorAll('a')].map(a => box(a)),
    })),
  }));
  return {headers, rows, thead: box(table.tHead), viewport: document.documentElement.clientWidth,
          scrollWidth: document.documentElement.scrollWidth};
}"""


WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5 && e.getBoundingClientRect().width > 0)
    .slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}: `
                             + `right ${Math.round(e.getBoundingClientRect().right)} ${e.textContent.slice(0, 60)}`);
}"""


def settle(page):
    """Wait until running transitions end (the theme widens its search box on load and on resize) and
    the tables have been fitted to the new width (two animation frames)."""
    page.evaluate("""() => Promise.race([new Promise(done => setTimeout(done, 3000)),
                                         Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))])
                         .then(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))))""")


# On a phone, cards off screen are left unrendered until they scroll near (content-visibility: auto in atlas.css),
# so one measurement of every card at once would see placeholders; this renders them all, as a reader scrolling
# past each would see it (test_a_card_far_down_is_laid_out_when_scrolled_to checks that without it).
RENDER_EVERY_CARD = ".md-typeset table.atlas-data tbody tr { content-visibility: visible !important; }"


def geometry(page, selector):
    settle(page)
    page.add_style_tag(content=RENDER_EVERY_CARD)
    return page.locator(selector + " table").evaluate(GEOMETRY)


def test_a_card_far_down_is_laid_out_when_scrolled_to(open_page):
    """The last card of the breast table, scrolled to on a phone: every value inside its card, one per line."""
    page = open_page("cases/breast-carcinoma/", viewport=PHONE)
    settle(page)
    last = page.locator("#table-breast-carcinoma tbody tr").last
    last.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # two frames: the card is rendered when it comes near the viewport
    box = last.bounding_box()
    cells = [c.bounding_box() for c in last.locator("td:not(.atlas-anchor)").all() if c.inner_text().strip()]
    assert box and len(cells) >= 3
    assert all(box["y"] <= c["y"] and c["y"] + c["height"] <= box["y"] + box["height"] + 0.5 for c in cells)
    assert all(b["y"] >= a["y"] + a["height"] - 0.5 for a, b in zip(cells, cells[1:]))


def visible_rows(page, selector) -> list[str]:
    return page.locator(selector + " table").evaluate(
        "t => [...t.tBodies[0].rows].filter(r => r.getBoundingClientRect().height > 0).map(r => r.id)")


def status_text(page, selector) -> str:
    return " ".join(page.locator(selector + " [role=status]").inner_text().split())


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def generated_label(content: str) -> str:
    """The text of a computed ::before `content` such as '"Age (years)" / ""' (the part after / is its alt text)."""
    match = re.match(r'"((?:[^"\\]|\\.)*)"', content)
    assert match, content
    return json.loads('"' + match.group(1) + '"')


# --- tests -------------------------------------------------------------------------------------

def test_breast_table_fits_a_desktop_screen(open_page):
    page = open_page(BREAST)
    g = geometry(page, "#table-breast-carcinoma")
    width = DESKTOP["width"]
    assert g["viewport"] == width
    assert g["scrollWidth"] <= width, page.evaluate(WIDER_THAN_THE_WINDOW)  # no horizontal scrolling
    assert g["rows"], "the table has rows"
    tops = {round(h["box"]["top"]) for h in g["headers"]}
    assert len(tops) == 1, "the header is one visible row"
    for header in g["headers"]:
        assert header["box"]["width"] > 0 and header["box"]["left"] >= 0 and header["box"]["right"] <= width, header
    for row in g["rows"]:
        assert len(row["cells"]) == len(g["headers"])
        for cell in row["cells"]:
            assert cell["box"]["width"] > 0 and cell["box"]["left"] >= 0 and cell["box"]["right"] <= width, (row["id"], cell)
    # Compact headers: the spelled-out name is the <abbr> title and every cell's label.
    for i, header in enumerate(g["headers"]):
        if not header["anchor"]:
            assert {row["cells"][i]["label"] for row in g["rows"]} == {header["full"]}
    assert any(h["full"] != h["label"] for h in g["headers"]), "some header is abbreviated"
    # The permanent-link column is no wider than its "#" target and some padding, narrower than any data column.
    anchor = [i for i, h in enumerate(g["headers"]) if h["anchor"]]
    assert anchor == [0]
    anchor_width = g["headers"][0]["box"]["width"]
    assert anchor_width < min(h["box"]["width"] for h in g["headers"][1:])
    for row in g["rows"]:
        (link,) = row["cells"][0]["links"]
        assert link["width"] >= 24 and link["height"] >= 24, (row["id"], link)  # WCAG 2.5.8 target size
        assert anchor_width <= link["width"] + 8
    assert page.errors == []


@pytest.mark.parametrize("path", CASE_TABLES)
def test_case_tables_read_as_labelled_records_on_a_phone(open_page, path):
    page = open_page(path, viewport=PHONE)
    selector = CASE_TABLES[path]
    g = geometry(page, selector)
    width = PHONE["width"]
    assert g["scrollWidth"] <= width, page.evaluate(WIDER_THAN_THE_WINDOW)
    # The header row is out of sight, yet in the accessibility tree: a screen reader still has a table.
    assert g["thead"]["width"] <= 1 and g["thead"]["height"] <= 1
    snapshot = page.locator(selector + " table").aria_snapshot()
    assert snapshot.count("- columnheader") == len(g["headers"]) and "- cell" in snapshot
    for row in g["rows"]:
        assert row["box"]["left"] >= 0 and row["box"]["right"] <= width, row["id"]
        shown = [(i, c) for i, c in enumerate(row["cells"]) if c["display"] != "none" and not c["anchor"]]
        for _, cell in (pair for pair in enumerate(row["cells"]) if pair[1]["display"] == "none"):
            assert cell["text"] == "", (row["id"], cell)  # only empty cells are left out
        assert len(shown) == sum(1 for c in row["cells"] if c["text"] and not c["anchor"])
        lefts = {round(c["box"]["left"]) for _, c in shown}
        assert len(lefts) == 1, (row["id"], lefts)  # one under the other ...
        for (_, above), (_, below) in zip(shown, shown[1:]):
            assert below["box"]["top"] >= above["box"]["bottom"] - 0.5, row["id"]  # ... in order
        for i, cell in shown:
            header = g["headers"][i]
            assert cell["label"] == header["full"], (row["id"], i)
            assert generated_label(cell["before"]) == header["full"], (row["id"], cell["before"])
            assert cell["box"]["left"] >= 0 and cell["box"]["right"] <= width, (row["id"], cell)
            assert row["box"]["top"] <= cell["box"]["top"] and cell["box"]["bottom"] <= row["box"]["bottom"] + 0.5
        for cell in row["cells"]:
            if cell["anchor"]:
                (link,) = cell["links"]
                assert link["width"] >= 24 and link["height"] >= 24
                assert row["box"]["left"] <= link["left"] and link["right"] <= row["box"]["right"], row["id"]
    assert page.errors == []


@pytest.mark.parametrize("path", [BREAST, "sites/breast/", "references/lee-2007/"])  # a reference page: its field list
def test_no_horizontal_scrolling_at_any_width(open_page, path):
    """From a small phone to a desktop, as the window is resized: every table fits, as a table or as cards."""
    page = open_page(path)
    widths = (1280, 1100, 1000, 900, 800, 720, 660, 600, 480, 390, 320, 1280)
    for opened in (False, True):  # tables in closed <details> (numbers behind a figure) fit once opened
        if opened:
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        for width in widths:
            page.set_viewport_size({"width": width, "height": 800})
            settle(page)
            overflow = page.evaluate("""() => {
              const width = document.documentElement.clientWidth;
              return [document.documentElement.scrollWidth - width,
                      ...[...document.querySelectorAll('.atlas-table td, .atlas-table th')]
                         .filter(c => !c.closest('details:not([open])') && c.closest('thead, tbody').getBoundingClientRect().width > 1)
                         .map(c => c.getBoundingClientRect().right - width)];
            }""")
            assert max(overflow) <= 0.5, (width, opened, max(overflow), page.evaluate(WIDER_THAN_THE_WINDOW))
    assert page.errors == []


def test_header_row_stays_in_view_while_the_table_scrolls(open_page):
    page = open_page(BREAST)
    table = page.locator("#table-breast-carcinoma table")
    top, height = table.evaluate("t => [t.getBoundingClientRect().top + window.scrollY, t.getBoundingClientRect().height]")
    if height < 2 * DESKTOP["height"] // 3:
        pytest.skip("the table is too short to scroll under its header")
    page.evaluate(f"window.scrollTo(0, {top + height / 2})")
    page.wait_for_function("window.scrollY > 0")
    boxes = table.evaluate("""t => ({
      bar: document.querySelector('.md-header').getBoundingClientRect().bottom,
      headers: [...t.tHead.rows[0].cells].map(th => th.getBoundingClientRect().toJSON()),
      first: t.tBodies[0].rows[0].getBoundingClientRect().top})""")
    assert boxes["first"] < boxes["bar"], "the first rows have scrolled out of view"
    for header in boxes["headers"]:
        assert abs(header["top"] - boxes["bar"]) <= 2, header  # right under the theme's header bar
        assert header["bottom"] <= DESKTOP["height"]
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th') !== null",
                        [boxes["headers"][1]["left"] + 5, boxes["headers"][1]["top"] + 5])
    assert hit, "the header is on top, not covered by rows"


def test_a_facet_shows_exactly_the_rows_with_that_value(open_page, raw_cases):
    patients = breast_patients(raw_cases)
    improved = {rid for rid, p in patients.items() if p.get("outcome") == "improvement"}
    page = open_page(BREAST)
    selector = "#table-breast-carcinoma"
    assert status_text(page, selector) == f"Showing {len(patients)} of {len(patients)} rows"
    outcome = page.get_by_role("combobox", name="Outcome")
    words = "patient record" if len(improved) == 1 else "patient records"  # a count says what it counts
    assert outcome.locator("option[value=improvement]").inner_text() == f"improvement ({len(improved)} {words})"
    outcome.select_option("improvement")
    assert set(visible_rows(page, selector)) == improved  # "no improvement" is not "improvement"
    tokens = page.locator(selector + " tbody tr").evaluate_all(
        "rows => rows.map(r => [r.hidden, r.dataset.facetOutcome.split(' ')])")
    assert all(hidden != ("improvement" in values) for hidden, values in tokens)
    assert status_text(page, selector) == f"Showing {len(improved)} of {len(patients)} rows"
    assert query(page) == {"outcome": ["improvement"]}
    page.get_by_role("button", name="Clear filters").click()
    assert set(visible_rows(page, selector)) == set(patients)
    assert status_text(page, selector) == f"Showing {len(patients)} of {len(patients)} rows"
    assert urlparse(page.url).query == ""
    assert page.errors == []


def test_filters_come_from_the_url_and_unknown_values_are_ignored(open_page, raw_cases):
    patients = breast_patients(raw_cases)
    expected = {rid for rid, p in patients.items() if p.get("surgery") is False and p.get("alive") is False}
    anchor = sorted(expected)[0] if expected else "table-breast-carcinoma"
    hostile = "%3Cimg%20src%3Dx%20onerror%3D%22window.injected%3D1%22%3E"
    page = open_page(f"{BREAST}?surgery=no&vital=died&outcome={hostile}&colour=blue#{anchor}")
    selector = "#table-breast-carcinoma"
    assert set(visible_rows(page, selector)) == expected
    assert status_text(page, selector) == f"Showing {len(expected)} of {len(patients)} rows"
    values = page.locator(selector + " select").evaluate_all("s => Object.fromEntries(s.map(e => [e.name, e.value]))")
    assert values["surgery"] == "no" and values["vital"] == "died" and values["outcome"] == ""
    assert page.evaluate("window.injected === undefined && !document.querySelector('img[src=x]')")
    # Another choice narrows further, keeps the row's #hash and the page's other parameters.
    page.get_by_role("combobox", name="Radiotherapy").select_option("yes")
    narrower = {rid for rid in expected if patients[rid].get("radiotherapy") is True}
    assert set(visible_rows(page, selector)) == narrower
    assert query(page) == {"surgery": ["no"], "vital": ["died"], "radiotherapy": ["yes"], "colour": ["blue"]}
    assert urlparse(page.url).fragment == anchor
    # Sorting still works on the filtered rows.
    year = page.locator(selector + " thead th", has_text="Year")
    year.click()
    assert year.get_attribute("aria-sort") == "ascending"
    assert set(visible_rows(page, selector)) == narrower
    column = year.evaluate("th => th.cellIndex")
    years = page.locator(selector + " tbody tr:not([hidden])").evaluate_all(
        f"rows => rows.map(r => r.cells[{column}].textContent.trim())")
    known = [int(y) for y in years if y.isdigit()]
    assert len(known) == len(years) - years.count("n.a.") and known == sorted(known)
    assert page.errors == []


def test_facets_work_by_keyboard(open_page, raw_cases):
    patients = breast_patients(raw_cases)
    page = open_page(BREAST)
    selector = "#table-breast-carcinoma"
    surgery = page.locator(selector + " select[name=surgery]")
    for _ in range(200):  # Tab through the page until the first filter has focus
        page.keyboard.press("Tab")
        if surgery.evaluate("s => s === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reaches the surgery filter")
    first = surgery.evaluate("s => s.options[1].value")
    page.keyboard.press("ArrowDown")
    assert surgery.input_value() == first
    shown = set(visible_rows(page, selector))
    assert shown == {rid for rid in patients if first in page.locator("#" + rid).get_attribute("data-facet-surgery").split()}
    assert query(page) == {"surgery": [first]}
    assert status_text(page, selector) == f"Showing {len(shown)} of {len(patients)} rows"
    clear = page.locator(selector + " .atlas-facets__clear")
    for _ in range(20):
        page.keyboard.press("Tab")
        if clear.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reaches the Clear filters button")
    page.keyboard.press("Enter")
    assert set(visible_rows(page, selector)) == set(patients) and query(page) == {}
    assert page.errors == []


def test_site_facet_matches_rows_with_several_sites_exactly(open_page, raw_cases):
    series = all_series(raw_cases)
    page = open_page(SERIES)
    selector = "#table-surgical-series"
    site = page.locator(selector).get_by_role("combobox", name="Primary site")
    options = site.locator("option").evaluate_all("o => o.map(e => [e.value, e.textContent])")
    assert options[0][0] == "" and len(options) > 2
    for value, label in options[1:]:
        site.select_option(value)
        expected = {rid for rid, s in series.items() if series_has_site(s, value)}
        assert set(visible_rows(page, selector)) == expected, value
        rows = "publication row" if len(expected) == 1 else "publication rows"  # rows, not cases: says which
        assert label.endswith(f"({len(expected)} {rows})"), (value, label)
        assert status_text(page, selector) == f"Showing {len(expected)} of {len(series)} rows"
        assert query(page) == {"site": [value]}
    site.select_option("")
    assert set(visible_rows(page, selector)) == set(series) and query(page) == {}
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", CASE_TABLES)
def test_case_tables_read_without_javascript(open_page, raw_cases, path, viewport):
    """Without JavaScript the filter in the address does nothing: every row shows, over the table's parts when it
    is cut (each part reached by the pager's own links), and the form stays hidden."""
    page = open_page(path + "?surgery=yes", viewport=viewport, javascript=False)
    selector = CASE_TABLES[path]
    expected = {BREAST: breast_patients, SERIES: all_series, EVERYONE: all_patients}[path](raw_cases)
    shown = set(visible_rows(page, selector))
    parts = page.locator(selector + " .atlas-pager a").evaluate_all("links => links.map(a => a.href)")
    for href in parts:
        part = open_page(href.split("/", 3)[3], viewport=viewport, javascript=False)
        assert part.locator(selector + " form").is_hidden()
        shown |= set(visible_rows(part, selector))
    assert shown == set(expected)
    assert page.locator(selector + " form").count() == 1
    assert page.locator(selector + " form").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", [*CASE_TABLES, "sites/breast/"])  # a site page: patient table beside the sidebars
def test_no_accessibility_violations_target_size_included(open_page, path, viewport):
    page = open_page(path, viewport=viewport)
    results = Axe().run(page, options={"rules": {"target-size": {"enabled": True}}})
    assert any(rule["id"] == "target-size" for rule in results.response["passes"]), "target-size was checked"
    problems = [v for v in results.response["violations"] if v["id"] == "target-size" or v["impact"] in ("serious", "critical")]
    assert problems == [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
                                     for v in problems)
