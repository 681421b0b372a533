"""mkdocs-macros adapter: the macros pages may call. Each is a thin call into the pure code.

Pages use: figure(id), finding(id), cite(id, ...), cite_review(number, ...), key_messages(), key_figures(),
references_cited(), case_table(name), summary_table(), data_notes(), bibliography(), sites_table(),
evidence_figure(id), download_columns(kind), cite_atlas().
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from mkdocs.utils import get_relative_url

from iscm_atlas import citing, export, messages, summary, tables, urls
from iscm_atlas.blocks import figure_block, table_block
from iscm_atlas.buildcache import dataset_or_fail, figures_for
from iscm_atlas.citations import register
from iscm_atlas.findings import format_finding
from iscm_atlas.render import render


def define_env(env):
    project = Path(env.project_dir)
    templates_dir = project / "templates"

    def data():
        return dataset_or_fail(project / "data")

    def link(site_path: str) -> str:
        """A site path ("references/x/") as a link relative to the page being rendered."""
        return get_relative_url(site_path, env.page.url)

    site = citing.site_info(project, env.conf["site_name"])  # this build's version and published address

    def row_cite(row: tables.Row) -> str:
        """How to cite the source of a row: the original work(s), as collected in the atlas at this row."""
        ds = data()
        address = citing.citable_url(site, env.page.url) + "#" + row.anchor
        return citing.source_citation(site, [ds.references[r] for r in row.sources], address, summary.review_label(ds))

    def table_html(table: tables.Table) -> str:
        return table_block(templates_dir, table, row_cite)

    def page_topic() -> str:
        """The topic of the page being rendered: its `topic:` front matter."""
        return env.page.meta["topic"]

    def citation(ref_ids) -> str:
        """Record that this page cites `ref_ids` (for the backlinks), and render the citation."""
        register.record(env.page.url, env.page.title, ref_ids)
        return render(templates_dir, "citation.html.j2", links=tables.citation_links(data(), ref_ids, link))

    @env.macro
    def figure(figure_id: str) -> str:
        """A computed summary figure, e.g. {{ figure('surgical-cases') }} -> 87."""
        return str(escape(summary.figures(data())[figure_id].value))

    @env.macro
    def finding(finding_id: str) -> str:
        """A finding's value(s), linked to its row in its topic's key figures, then its citations."""
        f = next(f for f in data().findings if f.id == finding_id)
        href = link(urls.finding(f.id, f.topic))
        return render(templates_dir, "finding.html.j2", href=href, text=format_finding(f)) + " " + citation(f.citations)

    @env.macro
    def cite(*ref_ids: str) -> str:
        """An in-text citation: (Schiff D et al. 1996; Review ref. 1), each linked to its reference page."""
        unknown = [r for r in ref_ids if r not in data().references]
        if unknown:
            raise KeyError(f"cite(): unknown reference id(s) {unknown} on {env.page.file.src_uri}")
        return citation(ref_ids)

    @env.macro
    def cite_review(*numbers: int) -> str:
        """An in-text citation by the review's own reference numbers: {{ cite_review(1, 2, 13) }}."""
        by_number = {r.review_ref: r.id for r in data().references.values() if r.review_ref}
        missing = [n for n in numbers if n not in by_number]
        if missing:
            raise KeyError(f"cite_review(): no reference file has review_ref {missing} ({env.page.file.src_uri})")
        return citation([by_number[n] for n in numbers])

    @env.macro
    def key_messages() -> str:
        """The key messages of this page's topic (front matter `topic:`, or `home`), each cited."""
        ds = data()

        def item(message):
            href = None if message.anchor else link(urls.finding(message.finding.id, message.finding.topic))
            return {"text": message.text, "value_text": message.values, "anchor": message.anchor, "href": href,
                    "cited": citation(message.finding.citations)}

        shown = [{**item(m), "contrast": item(m.contrast) if m.contrast else None}
                 for m in messages.key_messages(ds, page_topic())]
        if not shown:
            raise ValueError(f"key_messages(): no finding has key_message for '{page_topic()}'; "
                             "give 3 to 6 findings `key_message: {rank: N}`")
        return render(templates_dir, "key-messages.html.j2", items=shown)

    @env.macro
    def key_figures() -> str:
        """Every finding of this page's topic not shown among its key messages, with its anchor, value and citations."""
        ds = data()
        boxed = messages.anchored_in_box(ds, page_topic())
        found = [f for f in ds.findings if f.topic == page_topic() and f.id not in boxed]
        register.record(env.page.url, env.page.title, [r for f in found for r in f.citations])
        return render(templates_dir, "key-figures.html.j2", count=len(found),
                      table=table_html(tables.findings_table(ds, link, found)))

    @env.macro
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
    def case_table(name: str) -> str:
        """One of the case tables (see iscm_atlas.tables.TABLES), as HTML; the page cites every work its
        rows come from (citation_reference tags, backlinks on the works' pages)."""
        table = tables.TABLES[name](data(), link)
        register.record(env.page.url, env.page.title, list(dict.fromkeys(r for row in table.rows for r in row.sources)))
        return table_html(table)

    @env.macro
    def summary_table() -> str:
        """Every summary figure with how it is counted."""
        return table_html(tables.summary_table(data()))

    @env.macro
    def data_notes() -> str:
        """Inconsistencies the data reveals between a publication's series and its patients."""
        ds = data()
        notes = [(ds.references[n.reference], n.text, link(urls.reference(n.reference))) for n in summary.data_notes(ds)]
        return render(templates_dir, "data-notes.html.j2", notes=notes)

    @env.macro
    def bibliography() -> str:
        """Every reference, sortable by author and year, each linking to its page."""
        return table_html(tables.bibliography_table(data(), link))

    @env.macro
    def evidence_figure(figure_id: str) -> str:
        """An evidence figure computed from the case data: SVG, caption, n, numbers and CSV."""
        return figure_block(templates_dir, figures_for(data())[figure_id], link)

    @env.macro
    def download_columns(kind: str) -> str:
        """The columns of series.csv or patients.csv, documented from the exporter's own list."""
        columns = {"series": export.SERIES_COLUMNS, "patients": export.PATIENT_COLUMNS}[kind]
        return table_html(tables.columns_table(kind, columns))

    @env.macro
    def cite_atlas() -> str:
        """The atlas itself, formatted from CITATION.cff by citeproc-py (Vancouver and APA)."""
        url = citing.citable_url(site, "")
        formats = [(style, citing.formatted(citing.page_item(site, site.title, url, style), style))
                   for style in citing.STYLES]
        return render(templates_dir, "cite-atlas.html.j2", formats=formats)

    @env.macro
    def sites_table() -> str:
        """Every primary site in the data with its counts, each linking to its page."""
        return table_html(tables.sites_table(data(), link))
