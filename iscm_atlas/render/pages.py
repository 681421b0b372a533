"""Every page of the site as plain Markdown: the hand-written pages with their macros expanded, and the
generated ones (one per reference, one per primary site, the contributor guide).

Two passes. `collect` expands every hand-written page's macros in collecting mode and records what each
page cites; only then does `render_page` make any page, so backlinks, "references cited" lists and
citation head tags never depend on the order pages are rendered in. Each page comes out as
`<slug>/index.md` with its front matter (head tags, title, page facts) and its visible apparatus
(preview banner, currency line, "Cite this page") in the page itself, so any engine shows the same page.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from iscm_atlas.content import pages as content_pages
from iscm_atlas.content import urls
from iscm_atlas.content.citations import read_first, with_reviews
from iscm_atlas.content.figures import site_figure_ids
from iscm_atlas.formats import citing, headmeta
from iscm_atlas.render.blocks import figure_block
from iscm_atlas.render.build import Build, BuildError
from iscm_atlas.render.macros import MacroEnv, PageContext, define_env
from iscm_atlas.render.parts import part_content, part_title, table_on_page
from iscm_atlas.render.templates import PageError

# Front matter is written by libyaml when PyYAML has it (the same YAML, ten times faster than the pure-Python dumper).
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)?---\s*\n", re.S)
H1 = re.compile(r"^# +(.+?)(?: +\{:?[^}]*\})? *$", re.M)


@dataclass
class Page:
    """One page of the site. `kind` says how it is made: "written" (docs/), "reference", "site" or "contribute"."""

    url: str  # site path: "" (home), "topics/diagnosis/", "references/schiff-1996/"
    kind: str
    ident: str = ""  # the reference or site id of a generated page
    meta: dict = field(default_factory=dict)  # front matter of the source
    body: str = ""  # Markdown source of a hand-written page
    title: str = ""  # plain text

    @property
    def src(self) -> str:
        return urls.page_src(self.url)

    @property
    def source_name(self) -> str:
        """Where an author finds the page: its file in docs/, or what generates it."""
        return f"docs/{self.src}" if self.kind == "written" else f"{self.src} (generated: {self.kind} page)"


def written_pages(docs_dir: Path, nav_titles: dict[str, str]) -> list[Page]:
    """The hand-written pages: docs/<slug>/index.md, each with its front matter, titled by the navigation or
    else by its first heading."""
    found = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel != "index.md" and not rel.endswith("/index.md"):
            raise BuildError(f"docs/{rel}: every page is <slug>/index.md (so links read the same in every engine); "
                             f"move it to docs/{rel[:-3]}/index.md and link to it as such")
        text = path.read_text(encoding="utf-8")
        meta, body = _front_matter(text, f"docs/{rel}")
        title = meta.get("title") or nav_titles.get(rel) or _first_heading(body)
        if not title:
            raise BuildError(f"docs/{rel}:1: the page has no title; start it with a heading `# Title`")
        found.append(Page(rel[: -len("index.md")], "written", meta=meta, body=body, title=str(title)))
    return found


def _front_matter(text: str, name: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 2}" if mark else ""
        raise BuildError(f"{name}{line}: the front matter is not valid YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(meta, dict):
        raise BuildError(f"{name}:2: the front matter must be `key: value` lines between two `---` lines")
    return meta, text[match.end():]


def _first_heading(body: str) -> str | None:
    match = H1.search(body)
    return match.group(1).strip() if match else None


def plan(build: Build, nav_titles: dict[str, str]) -> list[Page]:
    """Every page of the site, hand-written and generated, before any is rendered."""
    pages = written_pages(build.docs_dir, nav_titles)
    ds = build.dataset
    pages += [Page(urls.reference(r), "reference", r, title=f"{content_pages.RECORD_TITLE} {ref.citation_label}")
              for r, ref in ds.references.items()]
    labels = ds.vocabularies["primary-sites"]
    site_pages = [Page(urls.site(s), "site", s, meta={"hide": ["toc"]}, title=labels.label_of(s)) for s in build.sites]
    for page in site_pages:  # generated pages' long tables are known here; hand-written pages' in collect()
        for number, table in enumerate(content_pages.site_page(ds, page.ident, lambda path: path).tables, 1):
            if len(table.rows) > build.overview_rows:
                build.split(page.url, page.title, number, table,
                            lambda link, s=page.ident, n=number: content_pages.site_page(ds, s, link).tables[n - 1],
                            size=build.overview_rows)
    pages += site_pages
    guide = build.project / "CONTRIBUTING.md"
    pages.append(Page(urls.CONTRIBUTE, "contribute", title=_first_heading(guide.read_text(encoding="utf-8")) or "Contributing"))
    taken: dict[str, Page] = {}
    for page in pages:
        if page.src in taken:
            raise BuildError(f"{page.source_name} and {taken[page.src].source_name} would both be {page.src}; "
                             f"rename one")
        taken[page.src] = page
    return pages


def part_pages(build: Build, pages: list[Page]) -> list[Page]:
    """A page for every part after the first of every cut table (known once collect() has run)."""
    meta_of = {page.url: page.meta for page in pages}
    found = []
    for split in build.splits.values():
        hide = meta_of.get(split.page_url, {}).get("hide")
        for k in range(2, len(split.parts) + 1):
            build.parts_by_url[split.part_url(k)] = (split, k)
            # Out of search (mkdocs-material's page exclusion): a part holds only rows, which search leaves to each
            # record's own page, under a title like "rows 51-100" (650 such entries at 100x).
            meta = {"hide": hide} if hide else {}
            found.append(Page(split.part_url(k), "part", str(k), meta={**meta, "search": {"exclude": True}},
                              title=part_title(split, k)))
            build.citations.record(split.part_url(k), part_title(split, k),
                                   with_reviews(build.dataset, split.sources[k - 1]))
    return found


def macro_env(build: Build) -> MacroEnv:
    env = MacroEnv(build)
    define_env(env)
    return env


def _expand(env: MacroEnv, page: Page) -> str:
    env.page = PageContext(page.url, page.title, page.source_name, page.meta)
    try:
        return env.build.templates.page(page.body, page.source_name, env.macros)
    except PageError as error:
        raise BuildError(str(error)) from None
    except TypeError as error:  # a macro called with the wrong arguments
        raise BuildError(f"{page.source_name}: a macro call does not fit the macro ({error}); see the macro list "
                         f"in CONTRIBUTING.md") from None
    except Exception as error:  # jinja2's UndefinedError and the like: an unknown macro or variable name
        if type(error).__module__.startswith("jinja2"):
            raise BuildError(f"{page.source_name}: {error}; the macros a page may call are listed in CONTRIBUTING.md") from None
        raise


def collect(build: Build, env: MacroEnv, pages: list[Page]) -> None:
    """Pass 1: what every page cites, recorded in the build's register; stops on any unknown id."""
    env.collecting = True
    try:
        for page in pages:
            if page.kind == "written":
                _expand(env, page)
    finally:
        env.collecting = False
    if build.problems:
        raise BuildError("A page calls a macro with an unknown id; the site was not built.\n" + "\n".join(build.problems))


REFERENCE_LINK = re.compile(r"references/([a-z0-9][a-z0-9-]*)/")


def cited_on(build: Build, page: Page, body: str = "") -> list:
    """The works a page cites, for its citation_reference tags: a reference page's own work first, then what its
    macros cite and every work its text links (a table row's publication), the works the atlas read (the review,
    the later reports) before those known through them; a work known only by its number has nothing to cite and
    is left out (the review that cites it is there)."""
    ds = build.dataset
    ids = build.citations.cited_on(page.url) + [r for r in REFERENCE_LINK.findall(body) if r in ds.references]
    read, through = read_first(ds, ids)
    ordered = [ds.references[r] for r in dict.fromkeys([*read, *(i for cited in through.values() for i in cited)])]
    if page.kind == "reference":
        own = ds.references[page.ident]
        ordered = [own] + [r for r in ordered if r is not own]
    return [ref for ref in ordered if ref.citable]


def render_page(build: Build, env: MacroEnv, page: Page) -> str:
    """Pass 2: the page as the engines receive it: front matter, banners, content, "Cite this page"."""
    body = _content(build, env, page)
    meta = dict(page.meta)
    if page.url:  # the themes print it (header, navigation) as given: escaped here, as Markdown escapes a heading
        meta["title"] = html.escape(page.title, quote=False)
    meta["atlas_title"] = f"{page.title} - {build.site.name}" if page.url else build.site.name  # plain; <title>
    title = page.title if page.url else build.site.name  # the home page is the atlas itself, not "Home"
    tags = headmeta.head_tags(build.site, title, page.url, page.meta.get("description"), cited_on(build, page, body))
    meta["atlas_head"] = [{"kind": t.kind, "name": t.name, "content": t.content} for t in tags]
    meta["atlas_page"] = {"kind": page.kind, "version": build.site.version, "preview": build.site.preview,
                          **({"id": page.ident} if page.ident else {})}
    front = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{front}---\n\n{_under_title(body.strip(), _banners(build))}\n\n{_cite_block(build, page)}\n"


def _under_title(body: str, banners: str) -> str:
    """The banners right under the page's title (before it if the page has no title line). The title then opens
    the page, and search indexes it with the text that follows as the page's own entry, instead of an entry of
    banners alone (which it leaves out) titled like the page."""
    first, _, rest = body.partition("\n")
    if first.startswith("# "):
        return f"{first}\n\n{banners}\n{rest.lstrip()}"
    return f"{banners}\n{body}"


@dataclass
class Context:
    """What a page kind's renderer gets: the build, the macros, the page, and its link and table helpers."""

    build: Build
    env: MacroEnv
    page: Page
    tables: int = 0  # tables shown so far (a cut table is known by its page and number)

    def link(self, site_path: str) -> str:
        return urls.relative(site_path, self.page.url)

    def table_html(self, table) -> str:
        self.tables += 1
        return table_on_page(self.build, self.page.url, self.tables, table)


def _written(c: Context) -> str:
    return _expand(c.env, c.page)


def _contribute(c: Context) -> str:
    guide = (c.build.project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return content_pages.contribute_page(guide, c.build.project / "data" / "schemas", c.table_html)


def _reference(c: Context) -> str:
    context = content_pages.reference_page(c.build.dataset, c.page.ident, c.link, c.build.citations, c.build.row_page)
    return c.build.templates.render("reference-page.md.j2", page=context, table_html=c.table_html)


def _site(c: Context) -> str:
    build = c.build
    context = content_pages.site_page(build.dataset, c.page.ident, c.link)
    figures = [figure_block(build.templates, build.figures[f], c.link) for f in site_figure_ids(c.page.ident)
               if f in build.figures]
    return build.templates.render("site-page.md.j2", page=context, table_html=c.table_html, figures_html=figures)


def _part(c: Context) -> str:
    split, k = c.build.parts_by_url[c.page.url]
    return part_content(c.build, split, k)


# Every kind of page and what renders its content: to add a page kind, add its renderer here and its pages in plan().
PAGE_KINDS = {"written": _written, "contribute": _contribute, "reference": _reference, "site": _site, "part": _part}


def _content(build: Build, env: MacroEnv, page: Page) -> str:
    return PAGE_KINDS[page.kind](Context(build, env, page))


def _banners(build: Build) -> str:
    return str(build.templates.render("page-banners.html.j2", preview=build.site.preview, currency=build.currency)) + "\n"


def _cite_block(build: Build, page: Page) -> str:
    """Every page ends with "Cite this page": this version's permanent address, the latest release's, and the
    reader's access date (filled in by the browser; the build date without it)."""
    site = build.site
    url = citing.citable_url(site, page.url)
    key = "iscm-atlas-" + (page.url.strip("/").replace("/", "-") or "home")
    formats = [(style, citing.marked_access_date(site, style, citing.page_citation(site, page.title, url, style, key)))
               for style in citing.PAGE_FORMATS]
    return str(build.templates.render("cite-block.html.j2", site=site, url=site.page_url(page.url),
                                      latest=site.latest_url(page.url), formats=formats,
                                      cite_href=urls.relative(urls.CITE, page.url)))
