"""Screenshots of built pages as a reader sees them: desktop (1280x800) and phone (390x844).

    python scripts/screenshots.py site/ shots/ "" topics/treatment/ cases/breast-carcinoma/

Serves the built site on a local port, opens each page in Debian's chromium (Playwright) and writes
<page>-desktop.png and <page>-phone.png (full page). For looking at what was built, not a test.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import CHROMIUM_ARGS, chromium_path, serve

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("pages", nargs="+", help='site paths, e.g. "" for home, topics/treatment/')
    parser.add_argument("--viewport-only", action="store_true", help="the first screen only, not the full page")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with serve(args.site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for name, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for path in args.pages:
                page.goto(base + path, wait_until="load")
                page.wait_for_timeout(300)
                slug = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=str(args.out / f"{slug}-{name}.png"), full_page=not args.viewport_only)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
