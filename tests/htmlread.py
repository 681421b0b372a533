"""Read what a reader sees in built HTML with the standard library's HTML parser: table rows by id,
the ids on a page, and its links."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.content_links: list[str] = []  # links in the page's article, not in navigation or footer
        self._in_article = False
        self.rows: dict[str, list[str]] = {}  # <tr id> -> text of each cell
        self.row_links: dict[str, list[str]] = {}
        self.text: list[str] = []
        self._row: str | None = None
        self._cell: list[str] | None = None
        self._skip = 0
        self._controls = 0  # inside a row's "cite" control: not part of the cell's value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "details" and "atlas-row-cite" in (attrs.get("class") or "") or tag == "details" and self._controls:
            self._controls += 1
        if tag == "article":
            self._in_article = True
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._in_article:
                self.content_links.append(attrs["href"])
            if self._row and attrs["href"] != "#" + self._row:  # not the row's own permanent link
                self.row_links[self._row].append(attrs["href"])
        if tag == "tr" and attrs.get("id"):
            self._row = attrs["id"]
            self.rows[self._row] = []
            self.row_links[self._row] = []
        if tag == "td" and self._row and "atlas-anchor" not in (attrs.get("class") or ""):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article = False
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "details" and self._controls:
            self._controls -= 1
        if tag == "td" and self._row and self._cell is not None:
            self.rows[self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None and not self._controls:
            self._cell.append(data)


def read(path: Path) -> _Reader:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def page_text(path: Path) -> str:
    return " ".join("".join(read(path).text).split())


def labelled_rows(path: Path, table_id: str) -> dict[str, dict[str, str]]:
    """The rows of one table (`<div id="table-<table_id>">`) as {row id: {column name: cell text}}, the
    column named by its spelled-out name (an <abbr> title) where the header is abbreviated."""
    from lxml import html

    table = html.parse(str(path)).xpath(f"//div[@id='table-{table_id}']//table")[0]
    names = []
    for th in table.xpath("./thead//th"):
        abbr = th.xpath(".//abbr/@title")
        names.append(abbr[0] if abbr else " ".join(th.text_content().split()))
    rows = {}
    for control in table.xpath(".//details[contains(@class, 'atlas-row-cite')]"):
        control.drop_tree()  # a row's "cite" control is not part of its values
    for tr in table.xpath("./tbody/tr[@id]"):
        cells = [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        rows[tr.get("id")] = dict(zip(names, cells))
    return rows


def table_parts(site: Path, page: str, table_id: str) -> list[str]:
    """The page that shows a table and the pages of its later parts (a table longer than a page is cut)."""
    parts, k = [page], 2
    while (site / page / f"{table_id}-{k}" / "index.html").is_file():
        parts.append(f"{page}/{table_id}-{k}")
        k += 1
    return parts


def table_rows(site: Path, page: str, table_id: str) -> tuple[dict, dict, dict]:
    """Every row of a table over all its parts: {row id: cells}, {row id: its links}, {row id: the page it is on}."""
    cells, links, where = {}, {}, {}
    for part in table_parts(site, page, table_id):
        rows = labelled_rows(site / part / "index.html", table_id)
        reader = read(site / part / "index.html")
        assert not rows.keys() & cells.keys(), f"a row on two parts of {page}"
        cells.update(rows)
        links.update({row: reader.row_links.get(row, []) for row in rows})
        where.update(dict.fromkeys(rows, part))
    return cells, links, where


def rows_over_parts(site: Path, page: str) -> set[str]:
    """The row ids of every table of a page, over all the parts of those that are cut (a part is a page
    `<page>/<table id>-<k>/` below it)."""
    found = set(read(site / page / "index.html").rows)
    for part in (site / page).glob("*-[0-9]*/index.html"):
        found |= set(read(part).rows)
    return found
