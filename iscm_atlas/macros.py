"""mkdocs-macros adapter: names the macros pages may call. Each is a one-liner over the pure code."""
from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from mkdocs.utils import get_relative_url

from iscm_atlas import summary, tables
from iscm_atlas.buildcache import dataset_or_fail
from iscm_atlas.render import render


def define_env(env):
    project = Path(env.project_dir)
    templates_dir = project / "templates"

    def link(site_path: str) -> str:
        """A site path ("references/#ref-x") as a link relative to the page being rendered."""
        return get_relative_url(site_path, env.page.url)

    def table_html(table: tables.Table) -> str:
        return render(templates_dir, "table.html.j2", table=table)

    @env.macro
    def figure(figure_id: str) -> str:
        """A computed summary figure, e.g. {{ figure('surgical-cases') }} -> 87."""
        return str(escape(summary.figures(dataset_or_fail(project / "data"))[figure_id].value))

    @env.macro
    def case_table(name: str) -> str:
        """One of the case tables (see iscm_atlas.tables.TABLES), as HTML."""
        return table_html(tables.TABLES[name](dataset_or_fail(project / "data"), link))

    @env.macro
    def summary_table() -> str:
        """Every summary figure with how it is counted."""
        return table_html(tables.summary_table(dataset_or_fail(project / "data")))

    @env.macro
    def data_notes() -> str:
        """Inconsistencies the data reveals between a publication's series and its patients."""
        ds = dataset_or_fail(project / "data")
        notes = [(ds.references[n.reference], n.text, link(tables.urls.reference(n.reference)))
                 for n in summary.data_notes(ds)]
        return render(templates_dir, "data-notes.html.j2", notes=notes)

    @env.macro
    def bibliography() -> str:
        """Every reference, with the metadata known for it and where that metadata was read."""
        ds = dataset_or_fail(project / "data")
        return render(templates_dir, "bibliography.html.j2", references=tables.bibliography_entries(ds))
