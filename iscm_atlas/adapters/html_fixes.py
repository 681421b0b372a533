"""Repairs to mkdocs-material's page HTML that its templates cannot be configured to make.

Measured on the stock theme: every page fails the W3C Nu validator on `autocomplete` on checkbox
toggles, `autocorrect` on the search input, and `tabindex=""` on section labels; pages kept out of
the navigation label a `__toc` toggle that is not there; the search dialog has no accessible name.
Each repair is exact and local, and the HTML validator test fails if the theme output changes.
"""
from __future__ import annotations

import re

_TOGGLE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)") autocomplete="off">')
_TOC_TITLE = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)


def fix_page(html: str) -> str:
    html = _TOGGLE.sub(r"\1>", html)
    html = html.replace(' autocorrect="off"', "")
    html = html.replace(' tabindex=""', "")
    html = html.replace('<div class="md-search" data-md-component="search" role="dialog">',
                        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">')
    if 'id="__toc"' not in html:  # page outside the navigation: no toggle to label
        html = _TOC_TITLE.sub(r'<div class="md-nav__title">\1</div>', html)
    return html
