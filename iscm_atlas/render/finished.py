"""Finished HTML inside the rendered Markdown: blocks the render step made whole (every table), marked so that an
engine's adapter may set them aside before Markdown and put them back after it.

The tree stays plain Markdown: an engine that knows nothing of the marks reads them as HTML comments and parses
the block as any raw HTML. The MkDocs adapter sets the blocks aside, so Markdown's HTML parser never re-reads the
site's tables (it was half of Markdown's time). Only a block whose marks stand at the start of a line is set aside;
the output is the same either way (tests/test_finished.py builds both and compares every page). Data text cannot
forge a mark: templates escape every value ("<" becomes "&lt;").
"""
from __future__ import annotations

import re

from markupsafe import Markup

START = "<!-- atlas:html -->"
END = "<!-- /atlas:html -->"
_BLOCK = re.compile(r"^<!-- atlas:html -->\n(.*?)\n<!-- /atlas:html -->$", re.M | re.S)
_SLOT = re.compile(r"<!-- atlas:slot (\d+) -->")


def mark(html: str) -> Markup:
    """A finished block, between its marks (each on a line of its own)."""
    return Markup(f"{START}\n{html.strip()}\n{END}")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each marked block's HTML replaced by a numbered slot, and the blocks in slot order."""
    blocks: list[str] = []

    def slot(match: re.Match) -> str:
        blocks.append(match.group(1))
        return f"{START}\n<!-- atlas:slot {len(blocks) - 1} -->\n{END}"

    return _BLOCK.sub(slot, markdown), blocks


def put_back(html: str, blocks: list[str]) -> str:
    """The converted page with every slot filled by its block again."""
    if not blocks:
        return html
    return _SLOT.sub(lambda m: blocks[int(m.group(1))] if int(m.group(1)) < len(blocks) else m.group(0), html)
