"""HTML blocks every page kind shares: tables (with each row's "cite" control) and evidence figures."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from iscm_atlas.content import tables, urls
from iscm_atlas.content.citations import read_first
from iscm_atlas.content.figures import EvidenceFigure
from iscm_atlas.formats.citing import SiteInfo, citable_url, source_citation
from iscm_atlas.formats.plots import SIZE_INCHES
from iscm_atlas.render.finished import mark
from iscm_atlas.render.templates import Templates

PIXELS_PER_INCH = 100


@dataclass(frozen=True)
class Pager:
    """Where a part of a long table stands: its rows, of how many, and the parts a reader can go to, each as
    (label, address, this part): no address for this part and for a gap ("…") between the parts listed."""

    first: int
    last: int
    total: int
    links: tuple[tuple[str, str | None, bool], ...]


def table_block(templates: Templates, table: tables.Table, row_cite: Callable[[tables.Row], str] | None = None,
                pager: Pager | None = None, all_rows: str | None = None) -> str:
    """Any table of the site as HTML; a column in which no row says anything is left out. With `row_cite`,
    each row that names its sources offers how to cite them (the original work, as collected in the atlas).
    A part of a long table carries its `pager`; the first part also the address of all rows (`all_rows`)."""
    cites = {row.anchor: row_cite(row) for row in table.rows if row.anchor and row.sources} if row_cite else {}
    return mark(templates.render("table.html.j2", table=table.without_empty_columns(), cites=cites, pager=pager,
                                 all_rows=all_rows))


def rows_json(templates: Templates, table: tables.Table, row_cite: Callable[[tables.Row], str]) -> str:
    """Every row of a long table, rendered as on its page, for the first part's filters and sorting."""
    table = table.without_empty_columns()
    row_html = templates.environment.get_template("table-row.html.j2").module.row_html
    rows = [str(row_html(table, row, {row.anchor: row_cite(row)} if row.anchor and row.sources else {})).strip()
            for row in table.rows]
    return json.dumps({"table": table.id, "rows": rows}, ensure_ascii=False, separators=(",", ":"))


def row_citer(site: SiteInfo, ds, page_url: str) -> Callable[[tables.Row], str]:
    """How each row of a page's tables cites its source: the original work(s), as collected in the atlas
    at that row's permanent address."""
    def cite(row: tables.Row) -> str:
        address = citable_url(site, page_url) + "#" + row.anchor
        read, through = read_first(ds, row.sources)
        return source_citation(site, [ds.references[r] for r in read], address,
                               [(ds.references[r], [ds.references[i] for i in ids]) for r, ids in through.items()])
    return cite


def figure_block(templates: Templates, figure: EvidenceFigure, link: Callable[[str], str]) -> str:
    width, height = SIZE_INCHES[figure.kind]
    return templates.render("figure.html.j2", figure=figure, svg_href=link(urls.figure_svg(figure.id)),
                            csv_href=link(urls.figure_csv(figure.id)), width=int(width * PIXELS_PER_INCH),
                            height=int(height * PIXELS_PER_INCH), table=table_block(templates, tables.figure_table(figure)))
