"""MkDocs hooks: check the data before anything is built, and add the generated files.

Generated files are in memory (`File.generated`), kept out of the navigation, and never
committed: the dataset export, the evidence figures (SVG) and their numbers (CSV), one page per
reference and one per primary site, and the
contributor guide (CONTRIBUTING.md with its field reference generated from the schemas). Their content
is rendered in `on_page_markdown`, after the hand-written pages have recorded their citations.
"""
from __future__ import annotations

import html
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from iscm_atlas.adapters.html_fixes import fix_page
from iscm_atlas.content import pages, tables, urls
from iscm_atlas.content.currency import currency_text
from iscm_atlas.content.figures import site_figure_ids
from iscm_atlas.formats import citing, headmeta, plots
from iscm_atlas.formats.export import all_exports, dataset_json, figure_csv
from iscm_atlas.render.blocks import figure_block, row_citer, table_block
from iscm_atlas.render.buildcache import begin_build, dataset_or_fail, figures_for
from iscm_atlas.render.citations import register
from iscm_atlas.render.templates import render

_generated: dict[str, tuple[str, str]] = {}  # src_uri -> ("reference" | "site" | "contribute", id)
_site: list[citing.SiteInfo] = []  # this build's citation facts (set in on_config)
_currency: list[str] = []  # this build's "Evidence: literature searched up to ...; data last changed ..." line


def _project(config) -> Path:
    return Path(config.config_file_path).parent


@event_priority(100)  # before mkdocs-macros renders any page
def on_config(config):
    ds = begin_build(_project(config) / "data")
    register.clear()
    _currency[:] = [currency_text(ds, _project(config))]
    site = citing.site_info(_project(config), config.site_name)
    _site[:] = [site]
    # The canonical address is this version's permanent one; a preview (no SITE_URL) has none, never a local
    # one. Under `mike deploy` (MIKE_DOCS_VERSION set), mike's plugin appends the version to the root itself.
    deployed = os.environ.get("MIKE_DOCS_VERSION")
    if deployed and deployed != site.version:
        raise PluginError(f"mike deploys version {deployed}, but CITATION.cff says {site.version}: the pages would "
                          f"cite an address that does not exist; deploy with `mike deploy {site.version} latest`")
    config.site_url = (site.root if deployed else site.version_root) or None
    config.copyright = (f"{site.name} version {site.version}, released {site.released.isoformat()}"
                        + (" (preview build, not for citation)" if site.preview else "")
                        + ". Data and text CC BY 4.0, code MIT: credit the atlas and the original publications.")
    return config


def on_files(files: Files, config) -> Files:
    ds = dataset_or_fail(_project(config) / "data")
    files.append(File.generated(config, urls.DATASET_JSON, content=dataset_json(ds)))
    for path, content in all_exports(ds).items():
        files.append(File.generated(config, path, content=content))
    for figure in figures_for(ds).values():
        files.append(File.generated(config, urls.figure_svg(figure.id), content=plots.svg(figure)))
        files.append(File.generated(config, urls.figure_csv(figure.id), content=figure_csv(figure)))
    _generated.clear()
    for ref_id in ds.references:
        _generated[urls.reference_src(ref_id)] = ("reference", ref_id)
    for site_id in tables.used_sites(ds):
        _generated[urls.site_src(site_id)] = ("site", site_id)
    for src_uri in _generated:
        # The content is a stub: the real page is rendered in on_page_markdown.
        files.append(File.generated(config, src_uri, content="# …\n", inclusion=InclusionLevel.NOT_IN_NAV))
    _generated[urls.CONTRIBUTE_SRC] = ("contribute", "")
    files.append(File.generated(config, urls.CONTRIBUTE_SRC, content="---\nrender_macros: false\n---\n# …\n"))
    return files


@event_priority(-100)  # after mkdocs-macros, which has nothing to do on these pages
def on_page_markdown(markdown: str, page, config, files) -> str:
    if register.problems:  # a macro met an id the data does not hold: stop with the page, the id and a fix
        raise PluginError("A page calls a macro with an unknown id; the site was not built.\n" + "\n".join(register.problems))
    markdown = _generated_markdown(markdown, page, config)
    dump_dir = os.environ.get("ISCM_DUMP_MARKDOWN")  # scripts/bench.py: the floor build's input
    if dump_dir:
        target = Path(dump_dir) / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    return markdown


def _generated_markdown(markdown: str, page, config) -> str:
    kind = _generated.get(page.file.src_uri)
    if kind is None:
        return markdown
    ds = dataset_or_fail(_project(config) / "data")
    templates_dir = _project(config) / "templates"

    def link(site_path: str) -> str:
        return get_relative_url(site_path, page.url)

    def table_html(table) -> str:
        return table_block(templates_dir, table, row_citer(_site[0], ds, page.url))

    if kind[0] == "contribute":
        guide = (_project(config) / "CONTRIBUTING.md").read_text(encoding="utf-8")
        return pages.contribute_page(guide, _project(config) / "data" / "schemas", table_html)
    if kind[0] == "reference":
        context = pages.reference_page(ds, kind[1], link, register)
        return render(templates_dir, "reference-page.md.j2", page=context, table_html=table_html)
    page.meta.setdefault("hide", ["toc"])  # the patients table needs the width of the table of contents
    context = pages.site_page(ds, kind[1], link)
    figures = figures_for(ds)
    figure_html = [figure_block(templates_dir, figures[fid], link) for fid in site_figure_ids(kind[1]) if fid in figures]
    return render(templates_dir, "site-page.md.j2", page=context, table_html=table_html, figures_html=figure_html)


def on_post_page(output: str, page, config) -> str:
    """Make the theme's HTML valid and accessible (see iscm_atlas/adapters/html_fixes.py)."""
    return fix_page(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same repairs for the theme's static pages (404.html)."""
    return fix_page(output_content) if template_name.endswith(".html") else output_content


def _cited(ds, page) -> list:
    """The works a page cites: what its macros recorded, and for a reference page, that work."""
    ids = register.cited_on(page.url)
    kind = _generated.get(page.file.src_uri)
    if kind and kind[0] == "reference" and kind[1] not in ids:
        ids = [kind[1], *ids]
    return [ds.references[r] for r in ids]


def _plain_title(page) -> str:
    return html.unescape(page.title or _site[0].name)


def on_page_content(output: str, page, config, files) -> str:
    """Every page ends with its "Cite this page" block: this version's permanent address, the latest
    release's, and the reader's access date (filled in by the browser; the build date without it)."""
    site, title = _site[0], _plain_title(page)
    url = citing.citable_url(site, page.url)
    key = "iscm-atlas-" + (page.url.strip("/").replace("/", "-") or "home")
    formats = [(style, citing.marked_access_date(site, style, citing.page_citation(site, title, url, style, key)))
               for style in citing.PAGE_FORMATS]
    block = render(_project(config) / "templates", "cite-block.html.j2", site=site, url=site.page_url(page.url),
                   latest=site.latest_url(page.url), formats=formats, cite_href=get_relative_url(urls.CITE, page.url))
    dump_dir = os.environ.get("ISCM_DUMP_MARKDOWN")
    if dump_dir:  # the floor build gets the same cite block, as raw HTML in its Markdown
        with open(Path(dump_dir) / page.file.src_uri, "a", encoding="utf-8") as dumped:
            dumped.write("\n\n" + str(block) + "\n")
    return output + "\n" + str(block)  # str: Markup.__radd__ would escape the page


def on_page_context(context, page, config, nav):
    """Citation metadata for the page's <head>; and the page title as Markdown escaped it (the theme
    otherwise prints `page.title | striptags`, and striptags turns "&lt;" back into "<")."""
    if page.title and not page.is_homepage and not page.meta.get("title"):
        page.meta["title"] = page.title
    ds = dataset_or_fail(_project(config) / "data")
    context["atlas_currency"] = _currency[0]
    context["atlas_preview"] = _site[0].preview
    context["atlas_head"] = headmeta.head_tags(_site[0], _plain_title(page), page.url, page.meta.get("description"),
                                               _cited(ds, page))
    return context
