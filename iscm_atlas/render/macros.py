"""mkdocs-macros adapter: the macros pages may call. Each is a thin call into the pure code.

The registry is `define_env` itself: CONTRIBUTING.md lists every macro with its docstring, generated
from here (`make guide`, iscm_atlas/content/fieldref.py), and a test keeps the list current.
"""
from __future__ import annotations

import difflib
import functools
from pathlib import Path

from markupsafe import escape
from mkdocs.utils import get_relative_url

from iscm_atlas.content import messages, summary, tables, urls
from iscm_atlas.content.findings import format_finding
from iscm_atlas.formats import citing, export
from iscm_atlas.render.blocks import figure_block, row_citer, table_block
from iscm_atlas.render.buildcache import dataset_or_fail, figures_for
from iscm_atlas.render.citations import register
from iscm_atlas.render.templates import render


class _Unknown(Exception):
    """An id the data does not hold; the macro that met it shows nothing (see `answered`)."""


def answered(macro):
    """A macro whose unknown ids are reported by the build (hooks.on_page_markdown), not as a traceback."""
    @functools.wraps(macro)
    def wrapper(*args, **kwargs):
        try:
            return macro(*args, **kwargs)
        except _Unknown:
            return ""
    return wrapper


def define_env(env):
    project = Path(env.project_dir)
    templates_dir = project / "templates"

    def data():
        return dataset_or_fail(project / "data")

    def link(site_path: str) -> str:
        """A site path ("references/x/") as a link relative to the page being rendered."""
        return get_relative_url(site_path, env.page.url)

    site = citing.site_info(project, env.conf["site_name"])  # this build's version and published address

    def table_html(table: tables.Table) -> str:
        return table_block(templates_dir, table, row_citer(site, data(), env.page.url))

    def page_topic() -> str:
        """The topic of the page being rendered: its `topic:` front matter."""
        return env.page.meta["topic"]

    def citation(ref_ids) -> str:
        """Record that this page cites `ref_ids` (for the backlinks), and render the citation."""
        register.record(env.page.url, env.page.title, ref_ids)
        return render(templates_dir, "citation.html.j2", links=tables.citation_links(data(), ref_ids, link))

    def known(macro: str, kind: str, ident, ids):
        """`ident` if it is one of `ids`; else the project's own error, naming the page, the id and the
        known ids closest to it (never a bare KeyError or StopIteration)."""
        if ident in ids:
            return ident
        close = difflib.get_close_matches(str(ident), [str(i) for i in ids], n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else f"known: {', '.join(map(str, sorted(ids)[:12]))} ..."
        # Recorded, not raised: mkdocs-macros would print a traceback; the hooks stop the build with the message.
        register.problems.append(f"{page_name()}: {macro}(): unknown {kind} {ident!r}; {hint}")
        raise _Unknown

    def page_name() -> str:
        """The page being rendered, as its source file (MkDocs) or, where an engine has none, its URL."""
        source = getattr(getattr(env.page, "file", None), "src_uri", None)
        return f"docs/{source}" if source else f"page {getattr(env.page, 'url', '?')}"

    @env.macro
    @answered
    def figure(figure_id: str) -> str:
        """A computed summary figure, e.g. {{ figure('surgical-cases') }} -> 87."""
        figures = summary.figures(data())
        return str(escape(figures[known("figure", "summary figure", figure_id, figures)].value))

    @env.macro
    @answered
    def finding(finding_id: str) -> str:
        """A finding's value(s), linked to its row in its topic's key figures, then its citations."""
        by_id = {f.id: f for f in data().findings}
        f = by_id[known("finding", "finding", finding_id, by_id)]
        href = link(urls.finding(f.id, f.topic))
        return render(templates_dir, "finding.html.j2", href=href, text=format_finding(f)) + " " + citation(f.citations)

    @env.macro
    @answered
    def cite(*ref_ids: str) -> str:
        """An in-text citation: (Schiff D et al. 1996; Review ref. 1), each linked to its reference page."""
        return citation([known("cite", "reference", r, data().references) for r in ref_ids])

    @env.macro
    @answered
    def cite_review(*numbers: int) -> str:
        """An in-text citation by the review's own reference numbers: {{ cite_review(1, 2, 13) }}."""
        by_number = {r.review_ref: r.id for r in data().references.values() if r.review_ref}
        return citation([by_number[known("cite_review", "review reference number", n, by_number)] for n in numbers])

    @env.macro
    @answered
    def key_messages() -> str:
        """The key messages of this page's topic (front matter `topic:`, or `home`), each cited."""
        ds = data()

        def item(message):
            href = None if message.anchor else link(urls.finding(message.finding.id, message.finding.topic))
            return {"text": message.text, "value_text": message.values, "anchor": message.anchor, "href": href,
                    "cited": citation(message.finding.citations)}

        shown = [{**item(m), "contrast": item(m.contrast) if m.contrast else None}
                 for m in messages.key_messages(ds, page_topic())]
        if not shown:  # reported like an unknown id: the build stops with the page and the fix
            register.problems.append(f"{page_name()}: key_messages(): no finding has key_message for "
                                     f"'{page_topic()}'; give 3 to 6 findings `key_message: {{rank: N}}`")
            raise _Unknown
        return render(templates_dir, "key-messages.html.j2", items=shown)

    @env.macro
    @answered
    def key_figures() -> str:
        """Every finding of this page's topic not shown among its key messages, with its anchor, value and citations."""
        ds = data()
        boxed = messages.anchored_in_box(ds, page_topic())
        found = [f for f in ds.findings if f.topic == page_topic() and f.id not in boxed]
        register.record(env.page.url, env.page.title, [r for f in found for r in f.citations])
        return render(templates_dir, "key-figures.html.j2", count=len(found),
                      table=table_html(tables.findings_table(ds, link, found)))

    @env.macro
    @answered
    def references_cited() -> str:
        """The references this page has cited so far, as a list (call it at the end of the page)."""
        ds = data()
        cited = register.cited_on(env.page.url)
        named = sorted((ds.references[r] for r in cited if ds.references[r].authors or not ds.references[r].review_ref),
                       key=lambda r: r.citation_label.lower())
        numbered = [r for r in cited if r not in {n.id for n in named}]
        refs = [(r.citation_label, r.csl.get("title"), link(urls.reference(r.id))) for r in named]
        refs += [(text, "cited only by number; nothing else is known of these works yet", href)
                 for text, href in tables.citation_links(ds, numbered, link)]
        return render(templates_dir, "references-cited.html.j2", refs=refs)

    @env.macro
    @answered
    def case_table(name: str) -> str:
        """One of the case tables (see iscm_atlas.tables.TABLES), as HTML; the page cites every work its
        rows come from (citation_reference tags, backlinks on the works' pages)."""
        table = tables.TABLES[known("case_table", "table", name, tables.TABLES)](data(), link)
        register.record(env.page.url, env.page.title, list(dict.fromkeys(r for row in table.rows for r in row.sources)))
        return table_html(table)

    @env.macro
    @answered
    def summary_table() -> str:
        """Every summary figure with how it is counted."""
        return table_html(tables.summary_table(data()))

    @env.macro
    @answered
    def data_notes() -> str:
        """Inconsistencies the data reveals between a publication's series and its patients."""
        ds = data()
        notes = [(ds.references[n.reference], n.text, link(urls.reference(n.reference))) for n in summary.data_notes(ds)]
        return render(templates_dir, "data-notes.html.j2", notes=notes)

    @env.macro
    @answered
    def bibliography() -> str:
        """Every reference, sortable by author and year, each linking to its page."""
        return table_html(tables.bibliography_table(data(), link))

    @env.macro
    @answered
    def evidence_figure(figure_id: str) -> str:
        """An evidence figure computed from the case data: SVG, caption, n, numbers and CSV."""
        figures = figures_for(data())
        return figure_block(templates_dir, figures[known("evidence_figure", "figure", figure_id, figures)], link)

    @env.macro
    @answered
    def download_columns(kind: str) -> str:
        """The columns of series.csv or patients.csv, documented from the exporter's own list."""
        kinds = {"series": export.SERIES_COLUMNS, "patients": export.PATIENT_COLUMNS}
        columns = kinds[known("download_columns", "export", kind, kinds)]
        return table_html(tables.columns_table(kind, columns))

    @env.macro
    @answered
    def cite_atlas() -> str:
        """The atlas itself, formatted from CITATION.cff by citeproc-py (Vancouver and APA)."""
        url = citing.citable_url(site, "")
        formats = [(style, citing.formatted(citing.page_item(site, site.title, url, style), style))
                   for style in citing.STYLES]
        return render(templates_dir, "cite-atlas.html.j2", formats=formats)

    @env.macro
    @answered
    def sites_table() -> str:
        """Every primary site in the data with its counts, each linking to its page."""
        return table_html(tables.sites_table(data(), link))


class _Registry:
    """Stands in for mkdocs-macros' env to read the macro registry outside a build (for the docs)."""

    def __init__(self, project: Path):
        self.project_dir = str(project)
        self.conf = {"site_name": "ISCM Atlas"}
        self.page = None
        self.macros: dict = {}

    def macro(self, fn):
        self.macros[fn.__name__] = fn
        return fn


def macro_registry(project: Path) -> dict:
    """Every macro a page may call, by name, as define_env registers it."""
    registry = _Registry(project)
    define_env(registry)
    return registry.macros
