"""The render step on its own: it writes only what changed, keeps no state in any module, and leaves no
macro for an engine to expand. Run in-process on a copy of the project (no engine involved)."""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys

import pytest

import iscm_atlas
from iscm_atlas.render.tree import render_site

MUTABLE = (dict, list, set, bytearray)


def _module_state() -> dict[str, str]:
    """Every module-level container and memo of the package, as text (to compare before and after builds)."""
    state = {}
    for info in pkgutil.walk_packages(iscm_atlas.__path__, "iscm_atlas."):
        if info.name.startswith("iscm_atlas.adapters."):  # they import an engine; no state either (checked below)
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, MUTABLE):
                state[f"{info.name}.{name}"] = repr(value)
            if hasattr(value, "cache_info"):  # functools.cache / lru_cache: a memo that outlives the build
                state[f"{info.name}.{name}"] = f"memo {value.cache_info()}"
    return state


def test_no_module_keeps_state_between_builds(project_copy):
    before = _module_state()
    assert not [k for k, v in before.items() if v.startswith("memo")], "a module-level memo outlives every build"
    render_site(project_copy)
    shutil.rmtree(project_copy / "build")
    render_site(project_copy)
    assert _module_state() == before


def test_the_engine_adapters_keep_no_state():
    from iscm_atlas.adapters import html_fixes, mkdocs_hooks, zensical_build

    for module in (html_fixes, mkdocs_hooks, zensical_build):
        assert not [n for n, v in vars(module).items() if isinstance(v, MUTABLE) and not n.isupper()
                    and not n.startswith("__")], module.__name__


@pytest.fixture
def rendered(project_copy):
    first = render_site(project_copy)
    assert not first.unchanged and first.written > 0 and first.drawn > 0
    return project_copy, first


def test_a_second_run_with_nothing_changed_does_nothing(rendered):
    project, first = rendered
    again = render_site(project)
    assert again.unchanged and again.written == 0 and again.pages == first.pages


def test_editing_a_page_rewrites_that_page_only(rendered):
    project, _ = rendered
    page = project / "docs" / "methods" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by the test.\n", encoding="utf-8")
    after = render_site(project)
    assert (after.written, after.removed, after.drawn) == (1, 0, 0)
    assert "A sentence added by the test." in (after.docs / "methods" / "index.md").read_text(encoding="utf-8")


def _edit_first(project, pattern: str, replace) -> str:
    """Change the first value matching `pattern` in a case file; returns the new text of that line."""
    for path in sorted((project / "data" / "cases").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        match = re.search(pattern, text, re.M)
        if match:
            new = replace(match)
            path.write_text(text[:match.start()] + new + text[match.end():], encoding="utf-8")
            return new
    raise AssertionError(f"no case file has {pattern}")


def test_a_data_edit_that_no_figure_shows_redraws_nothing(rendered):
    project, first = rendered
    _edit_first(project, r"^(\s+)age: (\d+)$", lambda m: f"{m.group(1)}age: {int(m.group(2)) + 1}")
    after = render_site(project)
    assert after.drawn == 0  # no figure counts ages
    assert 0 < after.written < first.written / 2  # the pages and downloads that show the patient, not the site


def test_mkdocs_publishes_the_figures_drawn_while_it_read_the_pages(project_copy, tmp_path):
    """The MkDocs hook lets the changed figures be drawn while MkDocs reads the pages, and writes them before it
    copies static files: the site carries each new drawing, never the stand-in or the old one."""
    from conftest import run_build

    first = run_build(project_copy, tmp_path / "site")
    assert first.returncode == 0, first.output
    overall = "figures/survival-overall.svg"
    before = (first.site / overall).read_bytes()
    _edit_first(project_copy, r"^(\s+)survival_months: (\d+)$", lambda m: f"{m.group(1)}survival_months: {int(m.group(2)) + 50}")
    again = run_build(project_copy, tmp_path / "site")
    assert again.returncode == 0, again.output
    published = (again.site / overall).read_bytes()
    assert published == (project_copy / "build" / "docs" / overall).read_bytes() != before
    assert published.lstrip().startswith(b"<?xml") and b"</svg>" in published


def test_a_render_that_never_finished_leaves_no_stand_in_behind(project_copy):
    """An engine's build that fails while figures are drawn leaves an empty stand-in for a figure that had no file:
    the next render draws that figure again rather than keep the stand-in."""
    import gc

    from iscm_atlas.render.tree import start_render

    first = render_site(project_copy)
    figure = first.docs / "figures" / "survival-overall.svg"
    figure.unlink()
    pending = start_render(project_copy)  # never finished, as when MkDocs fails before on_env
    assert figure.read_bytes() == b""
    del pending
    gc.collect()
    again = render_site(project_copy)
    assert again.drawn == 1 and figure.read_bytes().lstrip().startswith(b"<?xml")


def test_a_survival_edit_redraws_the_survival_figures(rendered):
    project, _ = rendered
    _edit_first(project, r"^(\s+)survival_months: (\d+)$", lambda m: f"{m.group(1)}survival_months: {int(m.group(2)) + 1}")
    after = render_site(project)
    assert after.drawn >= 1


def test_a_page_that_is_gone_is_removed_from_the_tree(rendered):
    project, _ = rendered
    extra = project / "docs" / "extra-page"
    extra.mkdir()
    (extra / "index.md").write_text("# Extra\n\nA page added by the test.\n", encoding="utf-8")
    assert (render_site(project).docs / "extra-page" / "index.md").is_file()
    shutil.rmtree(extra)
    after = render_site(project)
    assert after.removed == 1 and not (after.docs / "extra-page").exists()


def test_a_page_outside_the_slug_layout_is_refused(project_copy):
    from iscm_atlas.render.build import BuildError

    (project_copy / "docs" / "stray.md").write_text("# Stray\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"docs/stray.md: every page is <slug>/index.md .* docs/stray/index.md"):
        render_site(project_copy)


def test_no_macro_is_left_for_an_engine(rendered):
    """Every macro call is expanded by the render step: an engine's own macro layer has nothing to do. (The
    contributor guide shows macro calls as code, which is text, not a call.)"""
    _, first = rendered

    def outside_code(text: str) -> str:
        return re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M))

    left = [p.relative_to(first.docs).as_posix() for p in first.docs.rglob("*.md")
            if re.search(r"\{\{\s*[a-z_]+\(", outside_code(p.read_text(encoding="utf-8")))]
    assert left == []


RENDER_AND_REPORT = ("import json, sys; from pathlib import Path; from iscm_atlas.render.tree import render_site\n"
                     "render_site(Path(sys.argv[1]))\n"
                     "print(json.dumps(sorted({'lifelines', 'pandas', 'scipy', 'numpy'} & set(sys.modules))))")


def _loaded_by_render(project, cache) -> list[str]:
    """Render in a fresh interpreter, as `make site` does: which of the statistics packages it loaded."""
    proc = subprocess.run([sys.executable, "-c", RENDER_AND_REPORT, str(project)], capture_output=True, text=True,
                          env={**os.environ, "ISCM_CACHE_DIR": str(cache)}, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_survival_curves_are_computed_without_lifelines_and_again_only_when_their_records_change(project_copy, tmp_path):
    """lifelines, pandas and scipy are never loaded (a second per build; the unit tests check the arithmetic
    against lifelines); numpy, which computes the curves, only when survival records changed."""
    cache = tmp_path / "cache"
    assert _loaded_by_render(project_copy, cache) == ["numpy"]  # nothing kept yet: every curve is computed
    _edit_first(project_copy, r"^(\s+)age: (\d+)$", lambda m: f"{m.group(1)}age: {int(m.group(2)) + 1}")
    assert _loaded_by_render(project_copy, cache) == []  # no curve counts ages: all come from the cache
    _edit_first(project_copy, r"^(\s+)survival_months: (\d+)$", lambda m: f"{m.group(1)}survival_months: {int(m.group(2)) + 1}")
    assert _loaded_by_render(project_copy, cache) == ["numpy"]


@pytest.mark.parametrize("forks", [True, False])
def test_many_files_are_written_in_two_processes_as_in_one(tmp_path, monkeypatch, forks):
    """A clean clone writes every file of the tree; past WRITE_SHARE_FROM half are written by a forked child
    (or here, where there is none), each with its own content, folders made as needed."""
    from iscm_atlas import background
    from iscm_atlas.render import tree

    monkeypatch.setattr(tree, "WRITE_SHARE_FROM", 2)
    if not forks:
        monkeypatch.setattr(background, "can_fork", lambda: False)
    outputs = {f"references/work-{k}/{name}": f"{k} {name} é".encode() for k in range(40)
               for name in ("index.md", "work.bib", "work.ris")}
    outputs["index.md"] = b"home"
    assert tree._write_files(tmp_path, list(outputs), outputs) == len(outputs)
    written = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == outputs
