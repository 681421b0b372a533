"""What every engine is told about this build, from one place: the engine config of mkdocs.yml with the
build's own values (published address, copyright line), and the Zensical config the render step writes.

mkdocs.yml is the one engine config of the project. MkDocs reads it directly (its hook points it at the
rendered tree, iscm_atlas/adapters/mkdocs_hooks.py); Zensical reads the copy written here, which names
the rendered tree and leaves out what only MkDocs reads (hooks, watch).
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from iscm_atlas.render.build import Build, BuildError

CONFIG = "mkdocs.yml"
ZENSICAL_CONFIG = "zensical.yml"  # in the rendered tree's folder (Zensical wants docs and site below its config)
MKDOCS_ONLY = ("hooks", "watch", "validation")


class EnvSafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader (plain values only, no Python objects) plus one tag: mkdocs.yml's `!ENV [NAME, default]`,
    resolved the way MkDocs resolves it. A python tag in mkdocs.yml is refused as by yaml.safe_load."""


def _env_tag(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else (*names, None)
    for name in variables:
        if name in os.environ:
            return os.environ[name]
    return default


EnvSafeLoader.add_constructor("!ENV", _env_tag)


def read_config(project: Path) -> dict:
    path = Path(project) / CONFIG
    try:
        loader = EnvSafeLoader(path.read_text(encoding="utf-8"))
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise BuildError(f"{CONFIG}{f':{mark.line + 1}' if mark else ''}: not valid YAML ({error})") from None


def nav_titles(config: dict) -> dict[str, str]:
    """The titles the navigation gives pages ("Surgical series: cases/surgical-series/index.md"): a page's title
    wherever it appears (header, <title>, citations), as MkDocs itself titles it."""
    titles: dict[str, str] = {}

    def walk(items):
        for item in items or []:
            if isinstance(item, dict):
                for title, target in item.items():
                    if isinstance(target, str):
                        titles[target] = title
                    else:
                        walk(target)

    walk(config.get("nav"))
    return titles


def settings(build: Build) -> dict:
    """The values of this build an engine needs in its config."""
    site = build.site
    # The canonical address is this version's permanent one; a preview (no SITE_URL) has none, never a local
    # one. Under `mike deploy` (MIKE_DOCS_VERSION set) mike's plugin appends the version to the root itself.
    deployed = os.environ.get("MIKE_DOCS_VERSION")
    after = (f"; this build holds changes made after that release, to {site.date.isoformat()}"
             if site.date > site.released else "")  # so that "released" never stands beside a later data date unexplained
    copyright_line = (f"{site.name} version {site.version}, released {site.released.isoformat()}{after}"
                      + (" (preview build, not for citation)" if site.preview else "")
                      + ". Data and text CC BY 4.0, code MIT: credit the atlas and the original publications.")
    return {"site_url": (site.root if deployed else site.version_root) or None, "copyright": copyright_line}


def zensical_config(project: Path, build: Build, tree: Path) -> str:
    """mkdocs.yml for Zensical: the rendered tree as docs, its site below the tree, our theme overrides."""
    config = {k: v for k, v in read_config(project).items() if k not in MKDOCS_ONLY}
    config.update(settings(build))
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = os.path.relpath(Path(project) / theme["custom_dir"], tree)
    config["theme"] = theme
    header = "# Written by the render step (iscm_atlas/render/engines.py) from mkdocs.yml; edit mkdocs.yml instead.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
