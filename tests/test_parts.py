"""Long tables cut into parts (iscm_atlas/render/parts.py), on a build whose parts hold 10 rows
(ISCM_TABLE_PAGE_ROWS=10, so the seed's tables are long): every row is on exactly one part, every part reads
without JavaScript, links to a row reach its part, and with JavaScript a filter or a sort takes in all rows."""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from conftest import copy_project, raw_records, review_records, run_build
from htmlread import table_parts
from sitecheck import broken_links

from iscm_atlas.render.parts import NEAR, shown_parts

ROWS = 10
SERIES = "cases/surgical-series/"


@pytest.fixture(scope="module")
def parted(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("parts") / "project")
    build = run_build(project, project.parent / "site", env={"ISCM_TABLE_PAGE_ROWS": str(ROWS)})
    assert build.returncode == 0, build.output
    return build


def _rows(path: Path, table_id: str) -> list[str]:
    doc = lxml.html.parse(str(path))
    return doc.xpath(f"//div[@id='table-{table_id}']//tbody/tr/@id")


def test_every_row_is_on_exactly_one_part_and_no_part_is_long(parted):
    expected = {f"series-{s['id']}" for s in review_records(raw_records(parted.data, "cases"), "series")}
    parts = [parted.site / part / "index.html" for part in table_parts(parted.site, SERIES, "surgical-series")]
    seen = [row for part in parts for row in _rows(part, "surgical-series")]
    assert len(parts) == -(-len(expected) // ROWS)
    assert sorted(seen) == sorted(expected)
    for part in parts:
        assert 0 < len(_rows(part, "surgical-series")) <= ROWS


def test_no_table_on_any_page_is_longer_than_a_part(parted):
    for page in parted.site.rglob("*.html"):
        doc = lxml.html.parse(str(page))
        for table_id in doc.xpath("//div[contains(@class, 'atlas-table')][@data-all-rows or .//nav]/@id"):
            assert len(doc.xpath(f"//div[@id='{table_id}']//tbody/tr")) <= ROWS, page


def test_links_to_a_row_reach_its_part(parted):
    broken, pages = broken_links(parted.site)
    assert broken == [] and pages > 100  # the anchors included: a backlink to a row on part 3 names part 3
    page = parted.site / "references" / "lee-2007" / "index.html"
    rows = [h for h in lxml.html.parse(str(page)).xpath("//ul[@class='atlas-backlinks']//a/@href") if "#patient-" in h]
    assert rows and any(re.search(r"breast-carcinoma-\d+/#patient-", h) for h in rows)


def test_the_first_part_names_all_rows_as_json(parted):
    doc = lxml.html.parse(str(parted.site / SERIES / "index.html"))
    [href] = doc.xpath("//div[@id='table-surgical-series']/@data-all-rows")
    data = (parted.site / SERIES / href).resolve()
    assert data.is_file() and data.suffix == ".json"


@pytest.fixture(scope="module")
def parted_url(parted):
    from browser import serve

    with serve(parted.site) as url:
        yield url


def test_without_javascript_a_part_reads_whole(browser, parted_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(parted_url + SERIES + "surgical-series-2/")
    assert page.locator("#table-surgical-series tbody tr").count() == ROWS
    assert page.get_by_role("link", name="1", exact=True).count() == 1  # the pager links back to the first part
    context.close()


def test_with_javascript_filters_and_sorting_take_in_all_rows(browser, parted_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(parted_url + SERIES)
    table = page.locator("#table-surgical-series")
    assert table.locator("tbody tr").count() == ROWS
    table.locator("thead th", has_text="Year").click()
    page.wait_for_function("document.querySelectorAll('#table-surgical-series tbody tr').length > 10")
    total = int(table.get_attribute("data-total-rows"))
    assert table.locator("tbody tr").count() == total
    years = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => r.querySelector('td[data-label=\"Year\"]').getAttribute('data-sort') || r.querySelector('td[data-label=\"Year\"]').textContent.trim())")
    assert years == sorted(years) or years == sorted(years, reverse=True)
    assert table.locator(".atlas-pager").is_hidden()
    context.close()


def test_a_filter_on_the_first_part_counts_every_row(browser, parted_url, parted):
    series = review_records(raw_records(parted.data, "cases"), "series")  # the review's Table 1
    context = browser.new_context()
    page = context.new_page()
    page.goto(parted_url + SERIES + "?site=breast")
    page.wait_for_function("document.querySelectorAll('#table-surgical-series tbody tr').length > 10")
    shown = page.locator("#table-surgical-series tbody tr:not([hidden])").count()
    assert shown == sum(1 for s in series if s.get("primary_sites", {}).get("breast"))
    status = page.locator("#table-surgical-series [role=status]").inner_text()
    assert f"Showing {shown} of {len(series)} rows" in status
    context.close()


def test_every_part_is_reached_from_the_first_by_its_pagers_links(parted):
    """Without JavaScript, a reader walks the pagers from the first part to every other part."""
    parts = set(table_parts(parted.site, "references", "bibliography"))
    assert len(parts) > 2 * NEAR + 3  # long enough that a pager lists only some parts
    seen, todo = {"references"}, ["references"]
    while todo:
        here = todo.pop()
        doc = lxml.html.parse(str(parted.site / here / "index.html"))
        for href in doc.xpath("//nav[@class='atlas-pager']//a/@href"):
            target = (parted.site / here / href).resolve().relative_to(parted.site.resolve()).as_posix()
            if target not in seen:
                seen.add(target)
                todo.append(target)
    assert parts <= seen


@pytest.mark.parametrize("count", [1, 2, 5, 7, 8, 9, 10, 30, 140])
def test_a_pager_lists_few_parts_and_every_part_is_reachable(count):
    reached, todo = {1}, [1]
    while todo:
        k = todo.pop()
        listed = shown_parts(k, count)
        assert len(listed) <= 2 * NEAR + 5 and listed[0] == 1 and listed[-1] == count and k in listed
        assert all(not (a is None and b is None) for a, b in zip(listed, listed[1:]))  # one "…" per gap
        for i in listed:
            if i is not None and i not in reached:
                reached.add(i)
                todo.append(i)
    assert reached == set(range(1, count + 1))


def test_later_parts_stay_out_of_search_and_the_table_page_stays_in(parted):
    """A later part holds only rows (search finds each record on its own page) under a title like "rows 11-20"."""
    import json

    index = json.loads((parted.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    parts = table_parts(parted.site, SERIES.rstrip("/"), "surgical-series")
    assert len(parts) > 1 and SERIES in locations
    assert not [part for part in parts[1:] if f"{part}/" in locations]
