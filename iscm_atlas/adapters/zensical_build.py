"""Zensical adapter: `python -m iscm_atlas.adapters.zensical_build [SITE_DIR]` (make site-zensical).

Zensical reads mkdocs.yml but ignores MkDocs hooks, so this runs the render step itself, builds the
rendered tree from build/zensical.yml (written by the render step), applies the same HTML repairs as
the MkDocs adapter and moves the site to SITE_DIR (default: build/site-zensical). Zensical's own
"no issues found" is not trusted: the engine comparison test counts broken links itself.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from iscm_atlas.adapters.html_fixes import fix_page, rooted_404
from iscm_atlas.render.build import BuildError
from iscm_atlas.render.engines import ZENSICAL_CONFIG
from iscm_atlas.render.tree import render_site

DEFAULT_SITE = Path("build") / "site-zensical"


def build(project: Path, site_dir: Path) -> float:
    """Render and build with Zensical into site_dir; returns the engine's own seconds (render excluded)."""
    rendered = render_site(project)
    print(rendered.summary())
    started = time.perf_counter()
    out = rendered.tree / "site"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-m", "zensical", "build", "--clean", "--strict", "-f",
                           str(rendered.tree / ZENSICAL_CONFIG)], cwd=rendered.tree, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"zensical build failed:\n{proc.stdout}{proc.stderr}")
    preview = not rendered.settings.get("site_url")  # no address: its 404 page must find its version's root itself
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if preview and page.relative_to(out).as_posix() == "404.html":
            fixed = rooted_404(fixed)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    site_dir = Path(site_dir).resolve()
    if site_dir != out.resolve():
        shutil.rmtree(site_dir, ignore_errors=True)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(out), str(site_dir))
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    project = Path.cwd()
    site_dir = Path(argv[0]) if argv else project / DEFAULT_SITE
    try:
        seconds = build(project, site_dir)
    except BuildError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    print(f"zensical: built {site_dir} in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
