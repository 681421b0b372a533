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


# A 404 page is served for any missing address, at any depth, so it links by absolute path. A publication build
# knows its address (/<repository>/<version>/); a preview does not and links from the server's root ("/topics/").
# Served under a versioned path (/0.1.0/ or /latest/, as mike lays releases out) those links would leave the
# version: this script points them at the version root found in the address. Without JavaScript they stay as built.
_ROOTED_404 = """<script>
(function () {
  var root = location.pathname.match(/^(.*?\\/(?:\\d+\\.\\d+\\.\\d+|latest)\\/)/);
  if (!root) { return; }
  document.querySelectorAll("a[href^='/']:not([href^='//'])").forEach(function (a) {
    a.setAttribute("href", root[1] + a.getAttribute("href").slice(1));
  });
})();
</script>
"""


def rooted_404(html: str) -> str:
    return html.replace("</body>", _ROOTED_404 + "</body>", 1)
