"""MkDocs adapter: `mkdocs build`, `mkdocs serve` and `mike deploy` build the rendered tree.

The render step (iscm_atlas/render/) makes every page, figure and download as plain files in build/docs;
this hook runs it (it rewrites only what changed), points MkDocs at that tree, gives MkDocs the build's
published address and copyright line, and repairs the theme's HTML. A problem in the data or a page stops
the build with the project's own message, never a traceback.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iscm_atlas.adapters.html_fixes import fix_page, rooted_404
from iscm_atlas.render import finished
from iscm_atlas.render.build import BuildError
from iscm_atlas.render.tree import start_render


@event_priority(100)
def on_config(config):
    try:
        rendered = start_render(Path(config.config_file_path).parent)
    except BuildError as error:
        raise PluginError(str(error)) from None
    config.atlas_render = rendered  # this build's render: its changed figures are drawn while MkDocs reads pages
    config.docs_dir = str(rendered.docs)
    config.site_url = rendered.settings["site_url"]
    config.copyright = rendered.settings["copyright"]
    return config


def on_env(env, config, files):
    """The last event before MkDocs copies the static files: the figures drawn meanwhile are written now."""
    config.atlas_render.finish()
    return env


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Set the finished HTML blocks aside (iscm_atlas/render/finished.py): Markdown converts only the prose."""
    markdown, page.atlas_blocks = finished.set_aside(markdown)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    return finished.put_back(html, getattr(page, "atlas_blocks", []))


def on_post_page(output: str, page, config) -> str:
    """Make the theme's HTML valid and accessible (see iscm_atlas/adapters/html_fixes.py)."""
    return fix_page(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same repairs for the theme's static pages (404.html); a preview's 404 page also finds its version's root
    (see html_fixes.rooted_404)."""
    if not template_name.endswith(".html"):
        return output_content
    page = fix_page(output_content)
    return rooted_404(page) if template_name == "404.html" and not config.get("site_url") else page


def on_serve(server, config, builder):
    """`mkdocs serve` watches the sources (`watch:` in mkdocs.yml), not the rendered tree: the render step writes
    that tree itself, and watching it made every edit rebuild twice (and reload the browser twice)."""
    server.unwatch(config.docs_dir)
    return server
