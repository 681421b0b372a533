"""How much of a topic page's visible text is apparatus rather than content.

Apparatus is what supports the text without being read as it: in-text citations, the key-figures
table, the reference list at the end and the "Cite this page" block. A clinician reads the rest.
Text inside closed <details> (the numbers behind a figure), visually hidden labels and heading
permalinks is not visible and not counted.

    python scripts/apparatus_share.py site/            # one line per topic page, then the mean
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lxml import html

TOPIC_PAGES = ("topics/epidemiology", "topics/dissemination", "topics/clinical-presentation", "topics/diagnosis",
               "topics/treatment", "topics/survival-and-outcome")
# XPath of each kind of apparatus inside the article (class names of templates/*.j2).
APPARATUS = {
    "citations": "//span[contains(concat(' ', @class, ' '), ' atlas-cite ') or contains(concat(' ', @class, ' '), ' atlas-citation ')]",
    "key figures": "//*[@id='table-key-figures']/ancestor-or-self::div[contains(@class, 'atlas-table')]"
                   " | //h2[@id='key-figures'] | //ol[contains(@class, 'atlas-footnotes')][preceding-sibling::*[1][self::div[@id='table-key-figures']]]",
    "reference list": "//ul[contains(@class, 'atlas-references')] | //h2[@id='references']",
    "cite block": "//section[contains(@class, 'atlas-cite')]",
}
INVISIBLE = (".//script | .//style | .//*[contains(@class, 'atlas-visually-hidden')] | .//a[contains(@class, 'headerlink')]"
             " | .//details[not(@open)]/*[not(self::summary)]")


def visible_length(element) -> int:
    return len(" ".join("".join(element.itertext()).split()))


def measure(page: Path) -> dict[str, int]:
    tree = html.parse(str(page))
    article = tree.xpath("//article")[0]
    for hidden in article.xpath(INVISIBLE):
        hidden.drop_tree()
    total = visible_length(article)
    counts, seen = {"total": total}, set()
    for kind, xpath in APPARATUS.items():
        nodes = [n for n in article.xpath(xpath) if not any(a in seen for a in n.iterancestors())]
        seen.update(nodes)
        counts[kind] = sum(visible_length(n) for n in nodes)
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (make site writes site/)")
    args = parser.parse_args(argv)
    shares = []
    print(f"{'page':<32} {'chars':>6} {'apparatus':>9}  " + "  ".join(APPARATUS))
    for name in TOPIC_PAGES:
        page = args.site / name / "index.html"
        if not page.is_file():
            print(f"{page}: not found; build the site first (make site)", file=sys.stderr)
            return 1
        counts = measure(page)
        apparatus = sum(counts[k] for k in APPARATUS)
        share = apparatus / counts["total"]
        shares.append(share)
        print(f"{name:<32} {counts['total']:>6} {share:>9.0%}  " + "  ".join(f"{counts[k]:>{len(k)}}" for k in APPARATUS))
    print(f"{'mean share of apparatus':<32} {'':>6} {sum(shares) / len(shares):>9.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
