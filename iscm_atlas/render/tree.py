"""The render step: data/ and docs/ in, a plain docs tree out (build/docs), which any engine builds.

Every page is `<slug>/index.md` with its front matter; figures, downloads, stylesheets and scripts are
real files beside them; build/zensical.yml is the engine config for Zensical. Only what changed is
written: a run whose inputs (every source file, the build's environment) hash the same as the last run's
does nothing, and otherwise only files whose content changed are rewritten, stale ones removed, and a
figure is drawn again only when its numbers changed. State of the last run: build/.render-state.json.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from iscm_atlas.background import Background
from iscm_atlas.content import urls
from iscm_atlas.content.currency import data_last_changed
from iscm_atlas.formats import export, plots
from iscm_atlas.formats.citing import build_date
from iscm_atlas.render import engines
from iscm_atlas.render.build import Build, make_build
from iscm_atlas.render.pages import collect, macro_env, part_pages, plan, render_page
from iscm_atlas.render.parts import all_rows

TREE = "build"  # below the project; ignored by git
STATE = ".render-state.json"
SOURCES = ("data", "docs", "templates", "iscm_atlas")  # folders whose every file is an input
SOURCE_FILES = ("CONTRIBUTING.md", "CITATION.cff", engines.CONFIG)
ENVIRONMENT = ("SITE_URL", "SOURCE_DATE_EPOCH", "ATLAS_VERSIONS", "MIKE_DOCS_VERSION", "ISCM_TABLE_PAGE_ROWS")


@dataclass(frozen=True)
class Rendered:
    tree: Path  # build/
    docs: Path  # build/docs, the engines' docs_dir
    settings: dict  # site_url and copyright for the engine config
    pages: int
    written: int
    removed: int
    drawn: int  # figures drawn in this run (the rest were kept from the last run)
    seconds: float
    unchanged: bool  # nothing to do: the inputs are the same as last run's

    def summary(self) -> str:
        if self.unchanged:
            return f"render: nothing changed since the last run; {self.docs} is current ({self.seconds:.2f} s)"
        return (f"render: {self.pages} pages into {self.docs}: {self.written} files written, {self.removed} removed, "
                f"{self.drawn} figures drawn ({self.seconds:.2f} s)")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_digest(project: Path) -> str:
    """One hash of everything a render reads: source files, the build's environment, the data's last commit date."""
    digest = hashlib.sha256()
    files = [project / name for name in SOURCE_FILES]
    for folder in SOURCES:
        files += sorted(p for p in (project / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.relative_to(project).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    digest.update(f"{build_date()}\0{data_last_changed(project)}".encode())
    return digest.hexdigest()


def _read_state(tree: Path) -> dict:
    try:
        return json.loads((tree / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def render_site(project: Path) -> Rendered:
    """Render the whole site into project/build (what changed only). Raises BuildError with a message."""
    return start_render(project).finish()


@dataclass
class PendingRender:
    """A render whose pages, downloads and static files are written, while the figures whose numbers changed
    are still being drawn on a second core: an engine can build the pages meanwhile, and `finish()` (before the
    engine copies static files) writes the drawings and the render's state. Until then a figure being drawn
    again keeps its last drawing, or an empty file where it had none, so the engine finds every file."""

    tree: Path
    docs: Path
    settings: dict
    _finish: Callable[[], Rendered]
    _done: Rendered | None = None

    def finish(self) -> Rendered:
        """Write the drawings and the state (once). A render never finished (the engine's build failed) leaves the
        state of the render before it, so the next render draws those figures again."""
        if self._done is None:
            self._done = self._finish()
        return self._done


def start_render(project: Path) -> PendingRender:
    """`render_site`, with the drawing of changed figures left to finish while an engine builds the pages."""
    started = time.perf_counter()
    project = Path(project).resolve()
    tree, docs = project / TREE, project / TREE / "docs"
    state = _read_state(tree)
    inputs = inputs_digest(project)
    files_intact = all((docs / path).is_file() for path in state.get("files", {})) and all(
        _last_drawing(docs, state, fid, key) is not None for fid, key in state.get("figures", {}).items())
    if state.get("inputs") == inputs and files_intact and state.get("files"):
        done = Rendered(tree, docs, state["settings"], state["pages"], 0, 0, 0, time.perf_counter() - started, True)
        return PendingRender(tree, docs, state["settings"], lambda: done)

    config = engines.read_config(project)
    build = make_build(project, config.get("site_name", "ISCM Atlas"))
    outputs, figure_keys, drawing = _outputs(build, docs, state, engines.nav_titles(config))
    build.save_caches()
    pages = sum(1 for path in outputs if path.endswith(".md"))
    settings = engines.settings(build)
    outputs_bytes = {path: (content.encode("utf-8") if isinstance(content, str) else content)
                     for path, content in outputs.items()}
    digests = {path: _digest(content) for path, content in outputs_bytes.items()}  # what changed, and the state
    pending = {urls.figure_svg(fid) for fid in drawing.ids} if drawing else set()
    written, removed = _write(docs, outputs_bytes, digests, state.get("files", {}), pending)
    zensical = engines.zensical_config(project, build, tree).encode("utf-8")
    if not (tree / engines.ZENSICAL_CONFIG).is_file() or (tree / engines.ZENSICAL_CONFIG).read_bytes() != zensical:
        (tree / engines.ZENSICAL_CONFIG).write_bytes(zensical)

    def finish() -> Rendered:
        drawn = {urls.figure_svg(fid): svg.encode("utf-8") for fid, svg in drawing.result().items()} if drawing else {}
        for path, content in drawn.items():
            (docs / path).write_bytes(content)
        new_state = {"inputs": inputs, "settings": settings, "pages": pages, "figures": figure_keys,
                     "files": {**digests, **{path: _digest(content) for path, content in drawn.items()}}}
        (tree / STATE).write_text(json.dumps(new_state, indent=0, sort_keys=True), encoding="utf-8")
        return Rendered(tree, docs, settings, pages, written + len(drawn), removed, len(drawn),
                        time.perf_counter() - started, False)

    return PendingRender(tree, docs, settings, finish)


@dataclass
class Drawing:
    """Figures being drawn in the background, by id."""

    ids: tuple[str, ...]
    work: Background

    def result(self) -> dict[str, str]:
        return self.work.result()


def _outputs(build: Build, docs: Path, state: dict, nav_titles: dict[str, str]
             ) -> tuple[dict[str, str | bytes], dict[str, str], Drawing | None]:
    """Every file of the tree by its path below build/docs: pages, static files, downloads and the figures kept
    from the last render; and the figures whose numbers changed, being drawn in the background (a second core)
    from before the pages render."""
    figure_keys = {figure.id: _digest(repr(figure).encode("utf-8")) for figure in build.figures.values()}
    kept = {fid: drawing for fid, key in figure_keys.items()
            if (drawing := _last_drawing(docs, state, fid, key)) is not None}  # the last drawing stands
    to_draw = [figure for figure in build.figures.values() if figure.id not in kept]
    drawing = Drawing(tuple(f.id for f in to_draw), Background(plots.svgs, to_draw)) if to_draw else None
    pages = plan(build, nav_titles)
    env = macro_env(build)
    collect(build, env, pages)  # pass 1: every page's citations and long tables, before any page is rendered
    pages += part_pages(build, pages)
    outputs: dict[str, str | bytes] = {page.src: render_page(build, env, page) for page in pages}
    outputs.update({split.rows_json: all_rows(build, split) for split in build.splits.values()})
    for path in sorted(build.docs_dir.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            outputs[path.relative_to(build.docs_dir).as_posix()] = path.read_bytes()
    ds = build.dataset
    outputs[urls.DATASET_JSON] = export.dataset_json(ds)
    outputs.update(export.all_exports(ds))
    for figure in build.figures.values():
        if figure.id in kept:
            outputs[urls.figure_svg(figure.id)] = kept[figure.id]
        outputs[urls.figure_csv(figure.id)] = export.figure_csv(figure)
    return outputs, figure_keys, drawing


def _last_drawing(docs: Path, state: dict, figure_id: str, key: str) -> bytes | None:
    """The last render's drawing of a figure whose numbers are unchanged, as that render recorded it (not a
    stand-in left by a render that never finished)."""
    path = urls.figure_svg(figure_id)
    if state.get("figures", {}).get(figure_id) != key or not (docs / path).is_file():
        return None
    content = (docs / path).read_bytes()
    return content if state.get("files", {}).get(path) == _digest(content) else None


WRITE_SHARE_FROM = 2000  # files to write before half of them are written by a second process


def _write_files(docs: Path, paths: list[str], outputs: dict[str, bytes]) -> int:
    """Write `paths`, half of them in a forked child when there are many; each folder is made once. A clean
    clone writes every file: 14,500 at 100x, which took 3 to 10 s of a 19 to 26 s render on this machine's
    disk (0.2 to 0.7 ms a file, with what the disk still had to do), about a third less in two processes.
    The child's share is written here if the child fails."""
    def write(share: list[str]) -> int:
        made: set[Path] = set()
        for path in share:
            target = docs / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)  # either process may make it first
                made.add(target.parent)
            target.write_bytes(outputs[path])
        return len(share)

    if len(paths) < WRITE_SHARE_FROM:
        return write(paths)
    half = len(paths) // 2
    there = Background(write, paths[half:])
    return write(paths[:half]) + there.result()


def _write(docs: Path, outputs: dict[str, bytes], digests: dict[str, str], previous: dict[str, str],
           pending: set[str] = frozenset()) -> tuple[int, int]:
    """Write the files whose content changed (`digests`: of `outputs`; `previous`: the last render's); remove
    the ones no longer made, except those still being made (`pending`: an empty file stands in for one that
    does not exist yet). Returns (written, removed)."""
    removed = 0
    changed = [path for path in outputs if previous.get(path) != digests[path] or not (docs / path).is_file()]
    written = _write_files(docs, changed, outputs)
    for path in pending:
        if not (docs / path).is_file():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_bytes(b"")
    for path in previous:
        if path not in outputs and path not in pending and (docs / path).is_file():
            (docs / path).unlink()
            removed += 1
    if docs.is_dir():  # folders left empty by removed pages
        for folder in sorted((p for p in docs.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return written, removed
