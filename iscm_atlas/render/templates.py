"""The Jinja environments of a build: our own HTML templates (escaping all data) and the hand-written pages.

Made once per build and held by the build object (iscm_atlas/render/build.py), never kept in a module.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup

from iscm_atlas.data.filecache import default_dir


class Templates:
    """templates/*.j2, strict about undefined names, escaping every value that is not already Markup."""

    def __init__(self, templates_dir: Path, cache_dir: Path | None = None):
        self.dir = Path(templates_dir)
        # Compiled templates are kept between builds (Jinja's bytecode cache, checked against each source):
        # compiling ours and the pages' is a third of a build that re-renders after an edit.
        compiled = _bytecode_cache(cache_dir or default_dir() / "jinja")
        self.environment = Environment(
            loader=FileSystemLoader(str(self.dir)),
            bytecode_cache=compiled,
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        # Hand-written pages are Markdown: nothing in them is escaped, and a macro's output is HTML already.
        self.sources = _PageSources()
        self.pages = Environment(loader=self.sources, bytecode_cache=compiled, undefined=StrictUndefined,
                                 autoescape=False, keep_trailing_newline=True)

    def render(self, name: str, **context) -> Markup:
        """Render a template; the result is marked safe because every value in it was escaped."""
        return Markup(self.environment.get_template(name).render(**context))

    def page(self, source: str, name: str, macros: dict) -> str:
        """A hand-written page's Markdown with its macro calls expanded ({{ figure('x') }} and the like)."""
        self.sources.pages[name] = source
        try:
            template = self.pages.get_template(name)
        except TemplateSyntaxError as error:
            raise PageError(f"{name}:{error.lineno}: {error.message}; a macro call is written {{{{ name('id') }}}}") from None
        return template.render(**macros)


class _PageSources(BaseLoader):
    """The hand-written pages as the render step read them, by file name: a loader rather than `from_string`,
    so that the bytecode cache applies to them, and a page is compiled once per build (both passes share it)."""

    def __init__(self):
        self.pages: dict[str, str] = {}

    def get_source(self, environment, name):
        source = self.pages[name]
        return source, None, lambda: self.pages.get(name) == source


def _bytecode_cache(directory: Path) -> FileSystemBytecodeCache | None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a cache that cannot be written only costs time
    return FileSystemBytecodeCache(str(directory))


class PageError(Exception):
    """A page that cannot be rendered, with the message the build prints (file, line, what to do)."""
