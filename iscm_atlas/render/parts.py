"""Long tables cut into parts of at most Build.page_rows rows (Build.overview_rows on a primary-site page, which
shows several tables): a page a phone's browser can hold.

The first part stays on its page, with a pager and the address of every row as JSON (docs/javascripts/
tables.js loads it when a reader filters or sorts, so both take in all rows); the other parts are pages of
their own below it (<page>/<table id>-<k>/), readable without JavaScript. Which table is cut, and on which
part each row lands, is known before any page is rendered (Build.split), so links to a row go to its part.
"""
from __future__ import annotations

from iscm_atlas.content import urls
from iscm_atlas.render.blocks import Pager, row_citer, rows_json, table_block
from iscm_atlas.render.build import Build, Split

NEAR = 2  # parts listed on each side of this one; the first and the last are always listed


def shown_parts(k: int, count: int) -> list[int | None]:
    """The parts a pager lists from part k of `count`: the first, the last, and those near k, None for a gap. At 100x
    a table has up to 140 parts: listing every one put hundreds of links on every part; from these, a reader
    still reaches every part, a few at a time, without JavaScript."""
    keep = {1, count, *range(k - NEAR, k + NEAR + 1)}
    keep |= {i for i in range(2, count) if i - 1 in keep and i + 1 in keep}  # a gap would hide just this one
    listed: list[int | None] = []
    for i in range(1, count + 1):
        if i in keep:
            listed.append(i)
        elif listed[-1] is not None:
            listed.append(None)
    return listed


def pager(split: Split, k: int, page_url: str) -> Pager:
    sizes = [len(anchors) for anchors in split.parts]
    first = sum(sizes[:k - 1]) + 1
    links = tuple(("…", None, False) if i is None else
                  (str(i), None, True) if i == k else (str(i), urls.relative(split.part_url(i), page_url), False)
                  for i in shown_parts(k, len(sizes)))
    return Pager(first, first + sizes[k - 1] - 1, sum(sizes), links)


def table_on_page(build: Build, page_url: str, number: int, table) -> str:
    """The `number`-th table of a page as HTML: whole, or its first part when it is cut."""
    citer = row_citer(build.site, build.dataset, page_url)
    split = build.splits.get((page_url, number))
    if split is None:
        return table_block(build.templates, table, citer)
    first = table.parts(split.size)[0]
    return table_block(build.templates, first, citer, pager(split, 1, page_url),
                       all_rows=urls.relative(split.rows_json, page_url))


def part_content(build: Build, split: Split, k: int) -> str:
    """The page of part k (k >= 2) of a cut table."""
    url = split.part_url(k)

    def link(site_path: str) -> str:
        return urls.relative(site_path, url)

    if "later" not in split.remade:  # every later part is one level below the page: the same links from each
        split.remade["later"] = split.remake(link).parts(split.size)
    table = split.remade["later"][k - 1]
    block = table_block(build.templates, table, row_citer(build.site, build.dataset, url), pager(split, k, url))
    return build.templates.render("table-part.md.j2", title=part_title(split, k), caption=table.caption,
                                  parent=split.page_title, parent_href=link(split.page_url), table=block)


def part_title(split: Split, k: int) -> str:
    p = pager(split, k, split.page_url)
    return f"{split.page_title}: rows {p.first:,}–{p.last:,}"


def all_rows(build: Build, split: Split) -> str:
    """Every row of a cut table as JSON, linked as on its first page; each row cites its own part's address."""
    table = split.remake(lambda site_path: urls.relative(site_path, split.page_url))

    def cite(row) -> str:
        return row_citer(build.site, build.dataset, build.row_page(split.page_url, row.anchor))(row)

    return rows_json(build.templates, table, cite)
