"""The one Jinja environment for our own templates: strict about undefined names, escaping all data."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup


@cache
def environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(templates_dir: Path, name: str, **context) -> Markup:
    """Render a template; the result is marked safe because every value in it was escaped."""
    return Markup(environment(Path(templates_dir)).get_template(name).render(**context))
