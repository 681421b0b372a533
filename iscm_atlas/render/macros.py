"""The macros hand-written pages call, e.g. {{ finding('weakness-at-presentation') }}: thin calls into the content code.

The registry is `define_env` itself, in the shape mkdocs-macros-plugin (and Zensical's macros extension) expect
of a module, so the same functions could be handed to either engine. The render step expands them
(iscm_atlas/render/pages.py), twice per page: first collecting what each page cites (`env.collecting`, no
HTML made), then rendering with every page's citations known. CONTRIBUTING.md lists every macro with its
docstring, generated from here (`make guide`, iscm_atlas/content/fieldref.py); a test keeps the list current.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape

from iscm_atlas.content import certainty, messages, summary, tables, urls
from iscm_atlas.content.citations import citation_links, with_reviews
from iscm_atlas.content.currency import LITERATURE_SEARCH_END
from iscm_atlas.content.findings import format_finding
from iscm_atlas.content.wording import from_later_report, review_label
from iscm_atlas.data.checks import CHECKLIST_ITEMS
from iscm_atlas.formats import citing, export
from iscm_atlas.render.blocks import figure_block
from iscm_atlas.render.parts import table_on_page


@dataclass
class PageContext:
    """What a macro knows of the page it is called on."""

    url: str  # site path, e.g. "topics/diagnosis/"
    title: str  # plain text
    src: str  # the hand-written file, e.g. "docs/topics/diagnosis/index.md"
    meta: dict = field(default_factory=dict)  # its front matter
    tables: int = 0  # tables shown so far: a table is known by its page and its number there (render/parts.py)


class MacroEnv:
    """What `define_env` receives: one per build. `page` is set before each page is expanded."""

    def __init__(self, build=None):
        self.build = build
        self.page: PageContext | None = None
        self.collecting = False  # True in the pass that only records what each page cites
        self.macros: dict = {}

    def macro(self, fn):
        self.macros[fn.__name__] = fn
        return fn


class _Unknown(Exception):
    """An id the data does not hold; the macro that met it shows nothing and the build reports it."""


def answered(macro):
    """A macro whose unknown ids are reported by the build with the page and a fix, never as a traceback."""
    @functools.wraps(macro)
    def wrapper(*args, **kwargs):
        try:
            return macro(*args, **kwargs)
        except _Unknown:
            return ""
    return wrapper


def define_env(env):
    def build():
        return env.build

    def data():
        return env.build.dataset

    def link(site_path: str) -> str:
        """A site path ("references/x/") as a link relative to the page being rendered."""
        return urls.relative(site_path, env.page.url)

    def table_html(table: tables.Table, remake=None) -> str:
        """`remake(link)`: the same table for another page (a long table's parts are pages of their own)."""
        env.page.tables += 1
        if env.collecting:
            if remake is not None and len(table.rows) > build().page_rows:
                build().split(env.page.url, env.page.title, env.page.tables, table, remake)
            return ""
        return table_on_page(build(), env.page.url, env.page.tables, table)

    def page_topic() -> str:
        """The topic of the page being rendered: its `topic:` front matter (`home` on the home page)."""
        topic = env.page.meta.get("topic")
        if not topic:
            build().problem(f"{env.page.src}: a macro needs the page's topic; add `topic: <id>` to its front matter")
            raise _Unknown
        return topic

    def cites(ref_ids) -> None:
        """Record that this page cites `ref_ids`, and the reviews they are cited through (collecting pass only)."""
        if env.collecting:
            build().citations.record(env.page.url, env.page.title, with_reviews(data(), ref_ids))

    def citation(ref_ids) -> str:
        """Record that this page cites `ref_ids` (collecting pass), or render the citation."""
        if env.collecting:
            build().citations.record(env.page.url, env.page.title, with_reviews(data(), ref_ids))
            return ""
        return build().templates.render("citation.html.j2", links=citation_links(data(), ref_ids, link))

    def known(macro: str, kind: str, ident, ids):
        """`ident` if it is one of `ids`; else the project's own error, naming the page, the id and the
        known ids closest to it (never a bare KeyError or StopIteration)."""
        if ident in ids:
            return ident
        close = difflib.get_close_matches(str(ident), [str(i) for i in ids], n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else f"known: {', '.join(map(str, sorted(ids)[:12]))} ..."
        build().problem(f"{env.page.src}: {macro}(): unknown {kind} {ident!r}; {hint}")
        raise _Unknown

    @env.macro
    @answered
    def figure(figure_id: str) -> str:
        """A computed summary figure, e.g. `{{ figure('surgical-cases') }}`, the number of surgically treated cases."""
        figures = summary.figures(data())
        return str(escape(figures[known("figure", "summary figure", figure_id, figures)].value))

    @env.macro
    @answered
    def finding(finding_id: str) -> str:
        """A finding's value(s), linked to its row in its topic's key figures, then its citations."""
        by_id = {f.id: f for f in data().findings}
        f = by_id[known("finding", "finding", finding_id, by_id)]
        cited = citation(f.citations)
        if env.collecting:
            return ""
        href = link(urls.finding(f.id, f.topic))
        return build().templates.render("finding.html.j2", href=href, text=format_finding(f)) + " " + cited

    @env.macro
    @answered
    def cite(*ref_ids: str) -> str:
        """An in-text citation: (Schiff D et al. 1996; Review ref. 1), each linked to its reference page."""
        return citation([known("cite", "reference", r, data().references) for r in ref_ids])

    @env.macro
    @answered
    def cite_review(*numbers: int) -> str:
        """An in-text citation by the review's own reference numbers: `{{ cite_review(1, 2, 13) }}`."""
        by_number = {r.review_ref: r.id for r in data().references.values() if r.review_ref}
        return citation([by_number[known("cite_review", "review reference number", n, by_number)] for n in numbers])

    @env.macro
    @answered
    def key_messages() -> str:
        """The key messages of this page's topic (front matter `topic:`, or `home`), each cited."""
        ds = data()

        end = next((f for f in ds.findings if f.id == LITERATURE_SEARCH_END), None)
        end_text = format_finding(end) if end else None

        def item(message):
            href = None if message.anchor else link(urls.finding(message.finding.id, message.finding.topic))
            judged = certainty.of_finding(ds, message.finding.id)
            return {"text": message.text, "value_text": message.values, "after": message.after,
                    "anchor": message.anchor, "href": href,
                    "cited": citation(message.finding.citations),
                    "period": messages.period(ds, message.finding, end_text),
                    "certainty": {"level": judged.level_words, "href": link(urls.topic("methods")) + f"#certainty-{judged.id}"}
                    if judged else None}

        shown = [{**item(m), "contrast": {**item(m.contrast), "heading": m.contrast.heading} if m.contrast else None}
                 for m in messages.key_messages(ds, page_topic())]
        if not shown:  # reported like an unknown id: the build stops with the page and the fix
            build().problem(f"{env.page.src}: key_messages(): no finding has key_message for "
                            f"'{page_topic()}'; give 3 to 6 findings `key_message: {{rank: N}}`")
            raise _Unknown
        return "" if env.collecting else build().templates.render("key-messages.html.j2", items=shown)

    @env.macro
    @answered
    def key_figures() -> str:
        """Every finding of this page's topic not shown among its key messages, with its anchor, value and citations."""
        ds = data()
        boxed = messages.anchored_in_box(ds, page_topic())
        found = [f for f in ds.findings if f.topic == page_topic() and f.id not in boxed and not from_later_report(ds, f)]
        cites([r for f in found for r in f.citations])
        table = table_html(tables.findings_table(ds, link, found))  # in both passes: tables are counted per page
        if env.collecting:
            return ""
        return build().templates.render("key-figures.html.j2", count=len(found), table=table)

    def review_search_year(ds) -> str:
        """The year the review's literature search ended (its finding), from which the atlas's own search starts."""
        end = next((f for f in ds.findings if f.id == LITERATURE_SEARCH_END), None)
        dates = [v["date"] for v in (end.values if end else ()) if "date" in v]
        return dates[0][:4] if dates else "the end of the review's search"

    @env.macro
    @answered
    def since_year() -> str:
        """The year the review's search ended, from which the atlas's own search starts (its finding's date)."""
        return review_search_year(data())

    @env.macro
    @answered
    def checklist_items(checklist: str) -> str:
        """The number of items of a JBI critical appraisal checklist (jbi-case-report, jbi-case-series)."""
        return str(CHECKLIST_ITEMS[known("checklist_items", "checklist", checklist, CHECKLIST_ITEMS)])

    @env.macro
    @answered
    def later_findings() -> str:
        """A section "What reports since (the year the review's search ended) add": the findings of this page's topic read from reports later than
        the review, each cited to the report, after a line that dates the review's account."""
        ds = data()
        found = [f for f in ds.findings if f.topic == page_topic() and from_later_report(ds, f)]
        cites([r for f in found for r in f.citations])
        review = review_label(ds)
        head = (f"## What reports since {review_search_year(ds)} add\n\nThe findings here come from reports published "
                f"after the review's search, each read from the report itself; the sections above give the account of "
                f"{review}, as of its publication.\n\n")
        if not found:
            return head + "<p>No report since the review in the atlas adds a finding to this topic yet.</p>"
        judged = certainty.of_later(ds, page_topic())
        graded = build().templates.render("later-certainty.html.j2", anchor=tables.LATER_CERTAINTY_ANCHOR, judged=judged,
                                          href=link(urls.topic("methods")) + f"#certainty-{judged.id}" if judged else None,
                                          tally=certainty.appraisal_tally(ds, certainty.later_works(ds, page_topic())))
        return head + graded + "\n\n" + table_html(tables.findings_table(ds, link, found, "Findings of later reports",
                                                                         "later-findings", with_statement=True))

    @env.macro
    @answered
    def certainty_table() -> str:
        """Every GRADE judgement of the atlas (key messages and topics' later findings), with its reasons."""
        ds = data()
        if not ds.certainty:
            return "<p>No certainty judgement is recorded yet.</p>"
        return table_html(tables.certainty_table(ds, link))  # never cut: key messages link its rows by anchor

    @env.macro
    @answered
    def references_cited() -> str:
        """Every reference this page cites, wherever on the page it is cited, as a list."""
        if env.collecting:
            return ""
        ds = data()
        cited = build().citations.cited_on(env.page.url)
        named = sorted((ds.references[r] for r in cited if ds.references[r].authors or not ds.references[r].review_ref),
                       key=lambda r: r.citation_label.lower())
        numbered = [r for r in cited if r not in {n.id for n in named}]
        refs = [(r.citation_label, r.csl.get("title"), link(urls.reference(r.id))) for r in named]
        refs += [(item.text, "cited only by number; nothing else is known of these works yet", item.href)
                 for item in citation_links(ds, numbered, link)]
        return build().templates.render("references-cited.html.j2", refs=refs)

    @env.macro
    @answered
    def case_table(name: str) -> str:
        """One of the case tables (see iscm_atlas.content.tables.TABLES), as HTML; the page cites every work its
        rows come from (citation_reference tags, backlinks on the works' pages); a long table's page, the works
        of the rows it shows (each later part cites its own)."""
        make = tables.TABLES[known("case_table", "table", name, tables.TABLES)]
        table = make(data(), link)
        if not table.rows:  # e.g. no series has been added since the review yet: say so, not an empty grid
            return f'<p class="atlas-empty-table">{escape(table.caption)}: the data holds no such record yet.</p>'
        html = table_html(table, lambda other: make(data(), other))
        cut = build().splits.get((env.page.url, env.page.tables))
        shown = table.rows[:len(cut.parts[0])] if cut else table.rows
        cites(list(dict.fromkeys(r for row in shown for r in row.sources)))
        return html

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
        return build().templates.render("data-notes.html.j2", notes=notes)

    @env.macro
    @answered
    def bibliography() -> str:
        """Every reference, sortable by author and year, each linking to its page."""
        return table_html(tables.bibliography_table(data(), link), lambda other: tables.bibliography_table(data(), other))

    @env.macro
    @answered
    def evidence_figure(figure_id: str) -> str:
        """An evidence figure computed from the case data: SVG, caption, n, numbers and CSV."""
        figures = build().figures
        chosen = figures[known("evidence_figure", "figure", figure_id, figures)]
        return "" if env.collecting else figure_block(build().templates, chosen, link)

    @env.macro
    @answered
    def search_record() -> str:
        """The atlas's own literature search: its PRISMA 2020 flow, every search run and every work screened."""
        ds = data()
        if not ds.searches:
            return "<p>The atlas holds no search record yet.</p>"
        cites([w.reference for w in ds.screened if w.reference])  # the included works' pages link back here
        parts = ["" if env.collecting else figure_block(build().templates, build().figures["prisma-flow"], link),
                 table_html(tables.searches_table(ds)),
                 table_html(tables.screening_table(ds, link), lambda other: tables.screening_table(data(), other))]
        return "\n\n".join(parts)

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
        if env.collecting:
            return ""
        site = build().site
        url = citing.citable_url(site, "")
        formats = [(style, citing.formatted(citing.page_item(site, site.title, url, style), style, memo=site.formatted_memo))
                   for style in citing.STYLES]
        return build().templates.render("cite-atlas.html.j2", formats=formats)

    @env.macro
    @answered
    def sites_table() -> str:
        """Every primary site in the data with its counts, each linking to its page."""
        return table_html(tables.sites_table(data(), link))


def macro_registry(project: Path | None = None) -> dict:
    """Every macro a page may call, by name, as define_env registers it (read without a build, for the docs)."""
    env = MacroEnv()
    define_env(env)
    return env.macros
