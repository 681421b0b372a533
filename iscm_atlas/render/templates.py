"""The Jinja environments of a build: our own HTML templates (escaping all data) and the hand-written pages.

Made once per build and held by the build object (iscm_atlas/render/build.py), never kept in a module.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError, select_autoescape
from markupsafe import Markup


class Templates:
    """templates/*.j2, strict about undefined names, escaping every value that is not already Markup."""

    def __init__(self, templates_dir: Path):
        self.dir = Path(templates_dir)
        self.environment = Environment(
            loader=FileSystemLoader(str(self.dir)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        # Hand-written pages are Markdown: nothing in them is escaped, and a macro's output is HTML already.
        self.pages = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)

    def render(self, name: str, **context) -> Markup:
        """Render a template; the result is marked safe because every value in it was escaped."""
        return Markup(self.environment.get_template(name).render(**context))

    def page(self, source: str, name: str, macros: dict) -> str:
        """A hand-written page's Markdown with its macro calls expanded ({{ figure('x') }} and the like)."""
        try:
            template = self.pages.from_string(source)
        except TemplateSyntaxError as error:
            raise PageError(f"{name}:{error.lineno}: {error.message}; a macro call is written {{{{ name('id') }}}}") from None
        return template.render(**macros)


class PageError(Exception):
    """A page that cannot be rendered, with the message the build prints (file, line, what to do)."""
