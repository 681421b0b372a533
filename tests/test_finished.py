"""Finished HTML blocks (iscm_atlas/render/finished.py): the MkDocs adapter sets every table aside before Markdown
and puts it back after, and the site is the same, byte for byte, as when Markdown parses them itself."""
from __future__ import annotations

import shutil

from conftest import run_build

from iscm_atlas.content import tables
from iscm_atlas.render import finished
from iscm_atlas.render.blocks import table_block
from iscm_atlas.render.templates import Templates

PLAIN_HOOKS = "from iscm_atlas.adapters.mkdocs_hooks import on_config, on_post_page, on_post_template  # noqa: F401\n"


def test_the_site_is_the_same_when_markdown_parses_the_blocks_itself(contributed_project, contributed_site, tmp_path):
    """The contributed project (hostile text included) built with the adapter's hooks, and again with every hook
    but the two that set blocks aside: every page and the search index are identical."""
    project = tmp_path / "project"
    shutil.copytree(contributed_project, project, ignore=shutil.ignore_patterns("build", "site", "__pycache__"))
    (project / "plain_hooks.py").write_text(PLAIN_HOOKS, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - iscm_atlas/adapters/mkdocs_hooks.py\n" in config
    (project / "mkdocs.yml").write_text(config.replace("  - iscm_atlas/adapters/mkdocs_hooks.py\n", "  - plain_hooks.py\n"),
                                        encoding="utf-8")
    plain = run_build(project, tmp_path / "plain", published=True)
    assert plain.returncode == 0, plain.output
    ours = contributed_site.site
    compared = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.suffix in (".html", ".json"))
    assert any(str(p).startswith("references/") for p in compared) and len(compared) > 100
    assert {p.relative_to(plain.site) for p in plain.site.rglob("*") if p.suffix in (".html", ".json")} == set(compared)
    different = [str(p) for p in compared if (ours / p).read_bytes() != (plain.site / p).read_bytes()]
    assert different == []
    tables_shown = sum((ours / p).read_text(encoding="utf-8").count(finished.START) for p in compared if p.suffix == ".html")
    assert tables_shown > 20  # the blocks were there to set aside


def test_every_table_block_is_marked_and_set_aside_whole(root):
    templates = Templates(root / "templates")
    table = tables.Table("t", "A caption", (tables.Column("a", "A"),),
                         (tables.Row("r1", {"a": tables.Cell("x\n<!-- /atlas:html -->\n<script>")}),))
    block = table_block(templates, table)
    page = f"# Title\n\nSome prose.\n\n{block}\n\nMore prose.\n"
    prose, blocks = finished.set_aside(page)
    assert len(blocks) == 1 and "&lt;script&gt;" in blocks[0] and "<table" in blocks[0]
    assert "<table" not in prose and "Some prose." in prose and "More prose." in prose
    assert finished.put_back(prose, blocks) == page


def test_a_block_not_at_the_start_of_a_line_is_left_to_markdown():
    indented = f"- item\n\n    {finished.START}\n    <p>x</p>\n    {finished.END}\n"
    assert finished.set_aside(indented) == (indented, [])


def test_a_slot_without_its_block_is_left_as_it_is():
    assert finished.put_back("<!-- atlas:slot 3 -->", ["only one"]) == "<!-- atlas:slot 3 -->"
